"""STAFF-5 under concurrency: simultaneous creates of one staff number against a real server.

Writes are serialised per district (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL),
so "does the staff number exist? then create it" cannot race: exactly one 201, the rest 409.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from boi_mock.main import BOI_PREFIX
from tests.support import minimal_scenario, staff_payload

pytestmark = pytest.mark.slow  # races on a real socket, several rounds

ROUNDS = 5
CLIENTS = 4


@pytest.fixture
def boi(live_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh district on the live server (tests/conftest.py's live_url): the BOI base URL and auth headers."""
    with httpx.Client(base_url=live_url, timeout=30) as http:
        created = http.post("/_mock/districts", json=minimal_scenario())
        assert created.status_code == 201, created.text
        creds = created.json()
        token = http.post(f"/campus/oauth2/token?appName={creds['appName']}",
                          data={"grant_type": "client_credentials", "client_id": creds["clientId"],
                                "client_secret": creds["clientSecret"]})
        assert token.status_code == 200, token.text
        yield live_url + BOI_PREFIX, {"Authorization": f"Bearer {token.json()['access_token']}"}


def _race(base: str, headers: dict[str, str], bodies: list[dict[str, Any]]) -> list[int]:
    barrier = threading.Barrier(len(bodies))

    def post(body: dict[str, Any]) -> int:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            http.get("/schools")  # warm the connection so the posts leave together
            barrier.wait()
            return http.post("/staffMembers", json=body).status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_staff5_simultaneous_creates_of_one_staff_number_one_201_rest_409(
        boi: tuple[str, dict[str, str]]) -> None:
    base, headers = boi
    for round_no in range(ROUNDS):
        number = f"7700{round_no}"
        statuses = _race(base, headers, [staff_payload(number, firstName=f"C{i}") for i in range(CLIENTS)])
        assert sorted(statuses) == [201] + [409] * (CLIENTS - 1), statuses
        found = httpx.get(f"{base}/staffMembers", params={"staffNumber": number}, headers=headers)
        assert found.headers["X-Total-Count"] == "1"


def test_staff5_simultaneous_creates_of_different_numbers_all_succeed(boi: tuple[str, dict[str, str]]) -> None:
    base, headers = boi
    statuses = _race(base, headers, [staff_payload(f"7800{i}") for i in range(CLIENTS)])
    assert statuses == [201] * CLIENTS
