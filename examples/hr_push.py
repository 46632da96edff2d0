"""The code under test in these examples: how an HR system might push one staff member to Campus.

Create, or update when Campus already has the staff number; retry what is worth retrying (a
dropped connection, 429/502/503/504) and nothing else (a 400 will not get better by itself).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx

from boi_mock.client import BoiApiError, BoiClient
from boi_mock.client.models import StaffMember

RETRYABLE = {429, 502, 503, 504}


def push_staff(client: BoiClient, member: Mapping[str, Any], *, attempts: int = 3,
               backoff_seconds: float = 0.05) -> StaffMember:
    for attempt in range(1, attempts + 1):
        try:
            try:
                return client.create_staff(member)
            except BoiApiError as error:
                if error.code != "staff_exists":
                    raise
            return client.update_staff(str(member["staffNumber"]), member)
        except BoiApiError as error:
            if error.status not in RETRYABLE or attempt == attempts:
                raise
        except httpx.TransportError:
            if attempt == attempts:
                raise
        time.sleep(backoff_seconds * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
