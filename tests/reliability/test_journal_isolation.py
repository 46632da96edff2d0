"""ERR-1 and MOCK-9 under hostile input: one district's unstorable calls never cost another district its rows.

The journal writer batches entries of every district in one transaction. Before issue 12, on PostgreSQL
one entry with a NUL in its path failed the whole batch: a district kept 306 of 480 Error Log rows while
another district sent NUL paths. Now text is made storable before it is written (NUL and lone surrogates
escaped) and a failed batch is retried entry by entry. Also here: what read-your-writes means across two
replicas on one database (docs/architecture.md, "The request pipeline").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from boi_mock.clock import Clock
from boi_mock.db import Database
from boi_mock.schemas.scenario import Scenario
from boi_mock.services import districts, logs, observability
from boi_mock.services.observability import CallRecord, JournalWriter
from boi_mock.settings import Settings
from tests.reliability.support import LiveDistrict, LiveServer, new_live_district
from tests.support import BOI, minimal_scenario

HOSTILE_CALLS = 120
ORDINARY_CALLS = 120
# Documented bound for a read on another replica (docs/architecture.md): the writer's linger plus a write.
OTHER_REPLICA_BOUND_S = 5.0


def _hostile(http: httpx.Client, district: LiveDistrict, i: int) -> httpx.Response:
    """NUL and lone surrogates in the path, the query and the body (every one of them is rejected)."""
    kind = i % 4
    if kind == 0:
        return http.get(f"{BOI}/staffMembers/%00{i}", headers=district.headers)
    if kind == 1:
        return http.get(f"{BOI}/staffMembers?lastName=a%00b{i}", headers=district.headers)
    if kind == 2:
        body = ('{"staffNumber": "\\ud800' + str(i) + '", "lastName": "\\udfff\\u0000", "firstName": "X"}').encode()
        return http.post(f"{BOI}/staffMembers", content=body,
                         headers={**district.headers, "Content-Type": "application/json"})
    return http.get(f"{BOI}/staffMembers/%ED%A0%80{i}", headers=district.headers)


def _ordinary(http: httpx.Client, district: LiveDistrict, i: int) -> httpx.Response:
    """An ordinary rejected call: an unknown staff member (404) or a schema error (400)."""
    if i % 2:
        return http.get(f"{BOI}/staffMembers/NOPE{i}", headers=district.headers)
    return http.post(f"{BOI}/staffMembers", json={"staffNumber": f"N{i}"}, headers=district.headers)


def _send_all(url: str, district: LiveDistrict, count: int,
              send: Callable[[httpx.Client, LiveDistrict, int], httpx.Response], statuses: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        for i in range(count):
            statuses.append(send(http, district, i).status_code)


def _rows(url: str, app_name: str, what: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/_mock/districts/{app_name}/{what}", params={"limit": 1000}, timeout=60)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


@pytest.mark.slow
def test_err1_hostile_calls_of_one_district_never_cost_another_its_error_log_rows(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    server = live_server(live_db_url)
    hostile, ordinary = new_live_district(server.url), new_live_district(server.url)
    hostile_statuses: list[int] = []
    ordinary_statuses: list[int] = []
    threads = [threading.Thread(target=_send_all, args=(server.url, hostile, HOSTILE_CALLS // 2, _hostile,
                                                        hostile_statuses)) for _ in range(2)]
    threads += [threading.Thread(target=_send_all, args=(server.url, ordinary, ORDINARY_CALLS // 2, _ordinary,
                                                         ordinary_statuses)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(400 <= status < 500 for status in hostile_statuses + ordinary_statuses), \
        sorted(set(hostile_statuses + ordinary_statuses))
    assert len(_rows(server.url, ordinary.app_name, "error-log")) == ORDINARY_CALLS, "ERR-1: every row kept"
    assert len(_rows(server.url, ordinary.app_name, "requests")) == ORDINARY_CALLS, "MOCK-9: every entry kept"
    # The hostile district's own rows are kept too, their text escaped rather than refused.
    hostile_log = _rows(server.url, hostile.app_name, "error-log")
    assert len(hostile_log) == HOSTILE_CALLS
    assert any("\\u0000" in row["path"] for row in hostile_log)
    assert "Traceback" not in server.log_text()


def test_mock9_a_failed_batch_is_retried_entry_by_entry(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry that cannot be stored at all (here: one that makes the insert fail) takes no other entry with it."""
    db = Database(settings.database_url)
    try:
        with db.unit_of_work() as session:
            district = districts.create(session, Scenario.model_validate(minimal_scenario()))
            district_id = district.id
        real_rows = observability._rows

        def poisoned(record: CallRecord, did: int, clock: Clock) -> Any:
            journal, error = real_rows(record, did, clock)
            if record.path.endswith("/poison") and journal is not None:
                journal = {**journal, "method": None}  # NOT NULL: the database refuses the whole statement
            return journal, error

        monkeypatch.setattr(observability, "_rows", poisoned)
        writer = JournalWriter(db, cap_default=1000, linger=0.2)  # long enough to gather one batch
        for i in range(20):
            path = "/campus/api/businessOfficeIntegration/poison" if i == 7 else f"/x/{i}"
            writer.submit(CallRecord(method="GET", path=path, query=None, status=404, duration_ms=1.0,
                                     request_body=b"", response_body=b"{}", district_id=district_id,
                                     error_message="nope", error_code="not_found"))
        assert writer.settle(30)
        writer.stop()
        with db.unit_of_work(write=False) as session:
            kept = {entry.path for entry in logs.journal(session, district_id, limit=100)}
            errors = logs.error_log(session, district_id, limit=100)
        assert kept == {f"/x/{i}" for i in range(20) if i != 7}
        assert len(errors) == 19, "the Error Log row of each good entry is kept with its journal entry"
    finally:
        db.dispose()


def test_storable_escapes_nul_and_lone_surrogates_and_fits_the_column() -> None:
    assert observability.storable("a\x00b\ud800c") == "a\\u0000b\\ud800c"
    assert observability.storable("x" * 600, 500) == "x" * 500
    assert observability.storable("plain é") == "plain é"
    assert observability.storable(None) is None


@pytest.mark.slow
def test_mock9_read_your_writes_on_the_answering_replica_and_the_documented_wait_on_another(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    """Two replicas on one database: a read on the replica that answered sees the call at once (it waits for
    its own writer); a read on another replica sees it within the documented bound (no shared marker)."""
    first = live_server(live_db_url)
    second = live_server(live_db_url)
    district = new_live_district(first.url)
    with httpx.Client(timeout=60) as http:
        for i in range(10):
            assert http.get(f"{first.boi_url}/staffMembers/NOPE{i}", headers=district.headers).status_code == 404
        assert len(_rows(first.url, district.app_name, "requests")) == 10, "read-your-writes on the same replica"
        assert len(_rows(first.url, district.app_name, "error-log")) == 10
        # The other replica: every call answered by the first is visible once the first's writer has written it.
        assert len(_rows(second.url, district.app_name, "requests")) == 10, "already written: the first settled"
        for i in range(10):
            http.get(f"{first.boi_url}/staffMembers/LATER{i}", headers=district.headers)
        deadline = time.monotonic() + OTHER_REPLICA_BOUND_S
        while len(_rows(second.url, district.app_name, "requests")) < 20:
            assert time.monotonic() < deadline, "another replica sees a call within the documented bound"
            time.sleep(0.05)
