"""The BOI request pipeline (boi_mock.api.pipeline): what every call costs, counted, never timed.

One authentication (the district loaded once), no fault-rule query for a district without rules, one
commit for a successful write (its journal entry in its own transaction), reads and rejected calls
answered before their journal entry is written, and read-your-writes kept on the read side (MOCK-9, ERR-1).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from boi_mock.api.pipeline import STATE_KEY, BoiCall
from boi_mock.domain import tokens
from boi_mock.services.observability import JournalWriter
from tests.support import District, create_district, staff_payload


def _writer(client: TestClient) -> JournalWriter:
    writer: JournalWriter = client.app.state.journal_writer  # type: ignore[attr-defined]
    return writer


# The job worker polls background_job on its own connection meanwhile: its statements are not the call's.
_WORKER = "background_job"


@contextmanager
def _statements(client: TestClient) -> Iterator[list[str]]:
    """Every SQL statement and COMMIT of the BOI calls made meanwhile (the journal writer settled first)."""
    _writer(client).settle()
    engine = client.app.state.db.engine  # type: ignore[attr-defined]
    seen: list[str] = []
    worker_connections: set[int] = set()

    def on_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _WORKER in statement:
            worker_connections.add(id(conn))
        else:
            seen.append(statement)

    def on_commit(conn: Any) -> None:
        if id(conn) not in worker_connections:
            seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


def _from(table: str, statements: list[str]) -> list[str]:
    """Statements that read `table` as their main table (an EXISTS subquery does not count)."""
    pattern = re.compile(rf"^\s*SELECT .*?\bFROM {table}\b(?!.*EXISTS)", re.DOTALL | re.IGNORECASE)
    return [s for s in statements if pattern.search(s) and not re.search(r"EXISTS\s*\(", s, re.IGNORECASE)]


def test_auth3_a_read_loads_its_district_once_and_asks_nothing_about_faults_without_rules(
        client: TestClient, district: District) -> None:
    district.token()
    with _statements(client) as seen:
        assert district.get("/attributes/genders").status_code == 200
    district_loads = [s for s in seen if re.search(r"\bFROM district\b", s, re.IGNORECASE)]
    assert len(district_loads) == 1, district_loads
    assert "fault_rule" in district_loads[0], "the fault marker comes with the district, in the same query"
    assert not _from("fault_rule", seen), "no fault-rule query for a district without rules"
    assert "COMMIT" not in seen, "a read commits nothing before answering"


def test_auth3_the_token_is_decoded_once(district: District, monkeypatch: Any) -> None:
    district.token()
    decoded: list[str] = []
    real_parse = tokens.parse

    def counting(token: str) -> tokens.ParsedToken | None:
        decoded.append(token)
        return real_parse(token)

    monkeypatch.setattr(tokens, "parse", counting)
    assert district.post("/staffMembers", {"staffNumber": "1"}).status_code == 400
    assert district.get("/attributes/genders").status_code == 200
    assert len(decoded) == 2, "once per call"


def test_a_district_with_fault_rules_pays_for_them(client: TestClient, district: District) -> None:
    district.token()
    assert district.mock("POST", "/faults", json={"path": "/schools", "status": 503, "times": 1}).status_code == 201
    with _statements(client) as seen:
        assert district.get("/attributes/genders").status_code == 200, "the rule does not match this path"
    assert _from("fault_rule", seen), "rules exist: they are read"
    assert district.get("/schools").status_code == 503


def test_staff5_a_successful_write_commits_once_with_its_journal_entry(client: TestClient, district: District) -> None:
    district.token()
    with _statements(client) as seen:
        response = district.post("/staffMembers", staff_payload("77001"))
        assert response.status_code == 201, response.text
        commits_when_answered = seen.count("COMMIT")
        journal_inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO REQUEST_JOURNAL")]
    assert commits_when_answered == 1, seen
    assert len(journal_inserts) == 1, "the journal entry went in with the write"
    engine = client.app.state.db.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:  # no settling: the entry was committed with the staff member
        paths = conn.execute(text("SELECT j.path FROM request_journal j JOIN district d ON d.id = j.district_id "
                                  "WHERE d.app_name = :a AND j.method = 'POST'"), {"a": district.app_name}).all()
    assert [p[0] for p in paths] == ["/campus/api/businessOfficeIntegration/staffMembers"]


def test_err1_reads_and_rejected_calls_are_answered_before_their_entry_is_written(
        client: TestClient, district: District, monkeypatch: Any) -> None:
    """The writer is held back: calls are still answered; a journal read then waits for the writer."""
    district.token()
    writer = _writer(client)
    writer.settle()
    release = threading.Event()
    real_write = writer._write

    def held(batch: Any) -> None:
        release.wait(30)
        real_write(batch)

    monkeypatch.setattr(writer, "_write", held)
    answered: list[int] = []

    def calls() -> None:
        answered.append(district.get("/schools").status_code)
        answered.append(district.get("/staffMembers/NOPE").status_code)
        answered.append(district.post("/staffMembers", {"staffNumber": "1"}).status_code)

    caller = threading.Thread(target=calls)
    caller.start()
    caller.join(20)
    try:
        assert answered == [200, 404, 400], "answered while the journal writer could not write"
    finally:
        release.set()
    rows = district.mock("GET", "/requests").json()
    assert [r["status"] for r in rows[:3]] == [400, 404, 200], "the read waited for the writer (MOCK-9)"
    assert [r["status"] for r in district.error_log()[:2]] == [400, 404], "ERR-1: rows of both rejections"


def test_mock9_every_call_answered_before_a_read_is_in_it(client: TestClient) -> None:
    """Many calls from several threads, then one read: all of them are there (read-your-writes)."""
    district = create_district(client)
    district.token()

    def burst(offset: int) -> None:
        for i in range(15):
            district.get("/schools" if i % 3 else f"/staffMembers/NONE{offset + i}")

    threads = [threading.Thread(target=burst, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(district.mock("GET", "/requests", params={"limit": 1000}).json()) == 60
    assert len(district.error_log()) == 20


def test_the_call_context_is_one_typed_object(client: TestClient, district: District) -> None:
    """Handlers, error handlers and the journal share one `BoiCall`, not loose request.state keys."""
    seen: list[dict[str, Any]] = []
    app = client.app

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        await inner(scope, receive, send)
        seen.append(dict(scope.get("state", {})))

    inner = app.middleware_stack  # type: ignore[attr-defined]
    app.middleware_stack = spy  # type: ignore[attr-defined]
    try:
        district.get("/schools")
    finally:
        app.middleware_stack = inner  # type: ignore[attr-defined]
    boi_states = [state for state in seen if STATE_KEY in state]
    assert boi_states and all(isinstance(state[STATE_KEY], BoiCall) for state in boi_states)
    assert {key for state in boi_states for key in state} == {STATE_KEY}
