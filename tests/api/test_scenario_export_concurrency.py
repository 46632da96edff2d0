"""MOCK-12 under concurrent writes, against a real server: every export is one consistent picture of the district
(on PostgreSQL it holds the district row FOR SHARE; on SQLite its read transaction is one snapshot), so it always
loads: never a 5xx, never a document that points at a row it does not hold."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from boi_mock.main import BOI_PREFIX
from boi_mock.settings import Settings
from boi_mock.testing.server import ThreadedServer
from tests.support import minimal_scenario, staff_payload

pytestmark = pytest.mark.slow  # writes and exports racing on a real socket


@pytest.fixture(scope="module")
def live_url(settings: Settings) -> Iterator[str]:
    threaded = ThreadedServer(settings.model_copy(update={"run_worker": False, "seed_on_start": False}))
    try:
        yield threaded.start().url
    finally:
        threaded.stop()


def test_mock12_exports_racing_writes_are_consistent_and_load(live_url: str) -> None:
    with httpx.Client(base_url=live_url, timeout=60) as http:
        creds = http.post("/_mock/districts", json=minimal_scenario()).json()
        app = creds["appName"]
        token = http.post(f"/campus/oauth2/token?appName={app}", data={
            "grant_type": "client_credentials", "client_id": creds["clientId"],
            "client_secret": creds["clientSecret"]}).json()["access_token"]
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        with httpx.Client(base_url=live_url + BOI_PREFIX, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as boi:
            n = 0
            while not stop.is_set() and n < 40:
                household = {"name": f"H{n}", "householdLocations": [{"address": {
                    "number": str(100 + n), "street": "Maple", "tag": "Ave", "city": "Ozark", "state": "MO",
                    "zip": "65721"}, "startDate": "2024-01-01"}]}
                written.append(boi.post("/staffMembers", json=staff_payload(f"8{n:04d}", household=household))
                               .status_code)
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    exported = 0
    try:
        with httpx.Client(base_url=live_url, timeout=60) as http:
            while writer.is_alive() or exported < 3:
                response = http.get(f"/_mock/districts/{app}/scenario")
                assert response.status_code == 200, response.text
                doc = response.json()
                refs = {p["ref"] for p in doc["persons"]}
                assert all(member in refs for h in doc["households"] for member in h["members"])
                twin = http.post("/_mock/districts", json={**doc, "appName": minimal_scenario()["appName"]})
                assert twin.status_code == 201, twin.text
                exported += 1
    finally:
        stop.set()
        writer.join()
    assert written and set(written) == {201}
    assert exported >= 3
