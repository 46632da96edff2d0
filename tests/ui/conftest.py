"""Campus UI fixtures: each test gets its own district (boi_mock/seed/minimal.json) seen through the UI."""

from __future__ import annotations

import pytest

from tests.support import District
from tests.ui.support import Campus


@pytest.fixture
def campus(district: District) -> Campus:
    return Campus(district)
