"""SYNC-7 durability: kill -9 a real `boi-mock serve` mid commit job, restart it, check nothing is half-written.

A district of 2,000 staff, 500 of whom the HR export changes (new last name, a coaching position, a
termination). The server is killed while the job commits them one by one; after the restart the job
is INTERRUPTED, every staff member is either fully committed (and its staging row says so) or
untouched, and submitting the job again commits exactly the rest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from boi_mock.jobs import queue
from boi_mock.testing.server import BoiMockProcess

ROOT = Path(__file__).resolve().parent.parent
BOI = "/campus/api/businessOfficeIntegration"
SYNC = f"{BOI}/staffMembers/sync"
STAFF = 2000
CHANGED = 500
COACH = {"schoolNumber": "010", "assignmentCode": "95", "startDate": "2025-11-03", "endDate": None}

pytestmark = [pytest.mark.slow]


def _person(i: int) -> dict[str, Any]:
    return {"ref": f"p{i}", "staffNumber": f"{50000 + i}", "lastName": f"Last{i}", "firstName": "Pat",
            "gender": "F", "birthdate": "1980-01-01",
            "employments": [{"hireDate": "2015-08-10", "terminationDate": None}],
            "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2015-08-10"}]}


def _scenario() -> dict[str, Any]:
    return {"appName": "crash-test", "today": "2026-01-15",
            "schools": [{"schoolNumber": "010", "name": "Central High"}],
            "genders": [{"code": "F", "name": "Female"}],
            "assignmentCodes": [{"code": "20", "name": "Teacher"}, {"code": "95", "name": "Coach"}],
            "persons": [_person(i) for i in range(STAFF)]}


def _hr_export() -> list[dict[str, Any]]:
    out = []
    every = STAFF // CHANGED
    for i in range(STAFF):
        member = {k: v for k, v in _person(i).items() if k != "ref"}
        if i % every == 0 and i // every < CHANGED:
            member["lastName"] = "CHANGED"
            member["positions"] = [*member["positions"], COACH]
            member["employments"] = [{"hireDate": "2015-08-10", "terminationDate": "2025-12-19"}]
        out.append(member)
    return out


@pytest.fixture
def server(tmp_path: Path) -> Iterator[BoiMockProcess]:
    """`boi-mock serve` on a new SQLite file, as a child process (kill -9 needs a real one)."""
    # The job is paced (10 ms per changed staff member) so the kill lands mid-job on any machine.
    process = BoiMockProcess(f"sqlite:///{tmp_path / 'crash.db'}", tmp_path / "server.log", cwd=ROOT,
                             env={"BOI_MOCK_WORKER_POLL_SECONDS": "0.05", "BOI_MOCK_JOB_PACE_MS": "10"})
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _database_file(process: BoiMockProcess) -> Path:
    return Path(str(make_url(process.database_url).database))


def _client(port: int, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=120)


def _token(port: int, creds: dict[str, Any]) -> str:
    with _client(port) as c:
        response = c.post("/campus/oauth2/token?appName=crash-test", data={
            "grant_type": "client_credentials", "client_id": creds["clientId"], "client_secret": creds["clientSecret"]})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])


def _consistency(db: Path) -> tuple[int, int]:
    """Every changed staff member is wholly committed (and its staging row says succeeded) or wholly untouched."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("""
            SELECT s.staff_number, s.outcome,
                   (SELECT i.last_name FROM identity i WHERE i.person_id = p.id AND i.is_current = 1),
                   (SELECT COUNT(*) FROM identity i WHERE i.person_id = p.id),
                   (SELECT COUNT(*) FROM district_assignment a WHERE a.person_id = p.id AND a.assignment_code = '95'),
                   (SELECT COUNT(*) FROM employment e WHERE e.person_id = p.id AND e.termination_date IS NOT NULL),
                   p.synced_at
            FROM sync_staging_row s JOIN person p ON p.staff_number = s.staff_number AND p.district_id = s.district_id
            WHERE s.payload LIKE '%CHANGED%'""").fetchall()
    finally:
        conn.close()
    assert len(rows) == CHANGED
    done = 0
    for number, outcome, last_name, identities, coach, terminated, synced_at in rows:
        if outcome == "succeeded":
            assert (last_name, identities, coach, terminated) == ("CHANGED", 2, 1, 1), number
            assert synced_at is not None, number
            done += 1
        else:
            assert outcome is None, number
            assert (last_name, identities, coach, terminated, synced_at) == (
                f"Last{int(number) - 50000}", 1, 0, 0, None), number
    return done, CHANGED - done


def test_sync7_kill_9_mid_job_leaves_no_half_written_staff_and_the_job_interrupted(
        server: BoiMockProcess) -> None:
    port = server.port
    with _client(port) as control:
        created = control.post("/_mock/districts", json=_scenario())
        assert created.status_code == 201, created.text
        creds = created.json()
    token = _token(port, creds)
    members = _hr_export()
    with _client(port, token) as c:
        assert c.post(f"{SYNC}/start").status_code == 201
        for i in range(0, STAFF, 1000):
            assert c.post(f"{SYNC}/transfer", json=members[i:i + 1000]).status_code == 200
        assert c.post(f"{SYNC}/end").status_code == 200
        report = c.post(f"{SYNC}/validate").json()
        assert report["summary"]["demographicDifferences"]["total"] == CHANGED
        submitted = c.post(f"{SYNC}/submitCommitJob")
        assert submitted.status_code == 202, submitted.text
        unchanged = STAFF - CHANGED
        deadline = time.monotonic() + 120
        while True:  # wait until the job is committing the changed staff one by one
            job = c.get(f"{SYNC}/commitJobStatus").json()
            if job["processed"] >= unchanged + 3:
                break
            assert job["status"] in ("QUEUED", "RUNNING"), job
            assert time.monotonic() < deadline, job
            time.sleep(0.02)
    assert job["processed"] < STAFF, "the job finished before the kill; make it bigger"
    server.kill()  # SIGKILL: no shutdown, no cleanup

    committed, pending = _consistency(_database_file(server))
    assert committed >= 3 and pending > 0

    server.start()
    port = server.port
    token = _token(port, creds)
    with _client(port, token) as c:
        # The dead server's lease runs out, then the restarted one interrupts the job (jobs/queue.py).
        deadline = time.monotonic() + queue.LEASE_SECONDS + queue.RECOVER_EVERY_SECONDS + 5
        while (job := c.get(f"{SYNC}/commitJobStatus").json())["status"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert job["status"] == "INTERRUPTED", job
        assert job["processed"] == unchanged + committed  # the counters commit with each staff member
        status = c.get(f"{SYNC}/status").json()
        assert (status["status"], status["staffPending"]) == ("COMMITTING", pending)
        resumed = c.post(f"{SYNC}/submitCommitJob")
        assert resumed.status_code == 202, resumed.text
        deadline = time.monotonic() + 300
        while True:
            job = c.get(f"{SYNC}/commitJobStatus").json()
            if job["status"] not in ("QUEUED", "RUNNING"):
                break
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
        assert (job["status"], job["total"], job["succeeded"], job["failed"]) == ("COMPLETED", pending, pending, 0)
        assert c.get(f"{SYNC}/status").json()["status"] == "COMMITTED"
    assert _consistency(_database_file(server)) == (CHANGED, 0)
