"""Toolkit tests: the plugin's `boi_server` runs on the suite's own database (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from boi_mock.client import BoiClient, MockControl
from boi_mock.settings import Settings
from tests.support import District


@pytest.fixture(scope="session")
def boi_server_settings(settings: Settings) -> Settings:
    """Overrides the plugin's fixture: the threaded server uses the suite's (migrated) test database.

    No job worker of its own: the suite's app (`client`) already runs one on this database, and a second,
    living on in the session, would take jobs that the sync tests stop and start their worker around.
    """
    return settings.model_copy(update={"seed_on_start": False, "run_worker": False})


@pytest.fixture
def boi(client: TestClient, district: District) -> Iterator[BoiClient]:
    """The typed client for the suite's `district`, sent through the in-process TestClient."""
    with BoiClient("http://testserver/campus", district.app_name, district.client_id, district.client_secret,
                   http_client=client) as boi_client:
        yield boi_client


@pytest.fixture
def control(client: TestClient) -> MockControl:
    return MockControl("http://testserver", http_client=client)
