"""MOCK-11 across replicas: the coverage counters have the journal's guarantees (they are written with it).

Two `boi-mock serve` processes on one database. Calls spread over both and sent from several threads at once
(successful writes, whose counters commit in the write's own transaction, and rejected calls and reads, whose
counters the journal writers batch): no call is counted twice or lost, no counter upsert deadlocks, and a read
on the replica that answered sees its calls at once; another replica sees them within the journal's bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.reliability.support import LiveDistrict, LiveServer, new_live_district
from tests.support import staff_payload

THREADS = 4
CALLS_PER_THREAD = 12
OTHER_REPLICA_BOUND_S = 5.0  # docs/architecture.md: the writer's linger plus a write


def _coverage(url: str, app_name: str) -> dict[str, Any]:
    response = httpx.get(f"{url}/_mock/districts/{app_name}/coverage", timeout=60)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _hits(body: dict[str, Any], rule: str) -> int:
    return next(int(item["hits"]) for item in body["rules"] if item["id"] == rule)


def _operation(body: dict[str, Any], method: str, path: str) -> dict[str, int]:
    found: dict[str, int] = next(op["statuses"] for op in body["operations"]
                                 if (op["method"], op["path"]) == (method, path))
    return found


def _work(servers: list[LiveServer], district: LiveDistrict, worker: int) -> list[int]:
    """Each thread alternates replicas: a new hire (201), the same again (409), an unknown staff read (404)."""
    statuses = []
    with httpx.Client(timeout=60) as http:
        for i in range(CALLS_PER_THREAD // 3):
            server = servers[(worker + i) % len(servers)]
            number = f"{worker}{i:03d}"
            body = staff_payload(f"8{number}")
            statuses.append(http.post(f"{server.boi_url}/staffMembers", json=body,
                                      headers=district.headers).status_code)
            statuses.append(http.post(f"{server.boi_url}/staffMembers", json=body,
                                      headers=district.headers).status_code)
            statuses.append(http.get(f"{server.boi_url}/staffMembers/NOPE{number}",
                                     headers=district.headers).status_code)
    return statuses


@pytest.mark.slow
def test_mock11_counters_from_two_replicas_under_concurrent_calls_are_exact_and_seen_like_the_journal(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    servers = [live_server(live_db_url), live_server(live_db_url)]
    district = new_live_district(servers[0].url)
    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [s for found in pool.map(lambda w: _work(servers, district, w), range(THREADS)) for s in found]
    creates = THREADS * CALLS_PER_THREAD // 3
    assert sorted(set(statuses)) == [201, 404, 409], "no 5xx: no counter upsert deadlocked or failed"
    # Each replica settles its own writer before it answers a control read: read both, then the sums are exact.
    for server in servers:
        _coverage(server.url, district.app_name)
    for server in servers:
        body = _coverage(server.url, district.app_name)
        assert _operation(body, "POST", "/staffMembers") == {"201": creates, "409": creates}
        assert _operation(body, "GET", "/staffMembers/{staffNumber}") == {"404": creates}
        assert _hits(body, "STAFF-5") == 2 * creates and _hits(body, "STAFF-4") == creates
        assert _hits(body, "ERR-1") == 2 * creates and _hits(body, "EMP-1") == creates
        codes = {item["code"]: item["hits"] for item in body["errorCodes"]}
        assert codes["staff_exists"] == creates and codes["staff_not_found"] == creates

    # Read-your-writes on the answering replica; the other sees the calls within the journal's bound.
    first, second = servers
    with httpx.Client(timeout=60) as http:
        for _ in range(3):
            assert http.get(f"{first.boi_url}/schools", headers=district.headers).status_code == 200
    assert _hits(_coverage(first.url, district.app_name), "REF-1") == 3, "at once on the replica that answered"
    with httpx.Client(timeout=60) as http:
        for _ in range(3):
            assert http.get(f"{first.boi_url}/attributes/genders", headers=district.headers).status_code == 200
    deadline = time.monotonic() + OTHER_REPLICA_BOUND_S
    while _hits(_coverage(second.url, district.app_name), "REF-2") < 3:
        assert time.monotonic() < deadline, "another replica sees the counts within the journal's bound"
        time.sleep(0.05)
