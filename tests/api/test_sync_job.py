"""SYNC-7: the durable commit job: submit, status, worker claims (exactly once), recovery of dead workers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.jobs import queue
from boi_mock.jobs.worker import JobControl, Worker
from boi_mock.main import JOB_HANDLERS
from boi_mock.settings import Settings
from tests.api.staff_support import messages, view
from tests.api.sync_support import (
    SYNC,
    db_of,
    district_id,
    step,
    validated_district,
    wait_for_job,
)
from tests.support import District


def test_sync7_commit_job_status_is_not_found_before_any_job(district: District) -> None:
    response = district.get(f"{SYNC}/commitJobStatus")
    assert response.status_code == 404
    assert response.json()["code"] == "commit_job_not_found"


def test_sync7_submit_answers_202_at_once_and_the_job_completes(client: TestClient) -> None:
    district = validated_district(client, notifications=[{"type": "HR Sync Commit", "recipients": ["akline"]}])
    response = district.post(f"{SYNC}/submitCommitJob")
    assert response.status_code == 202, response.text
    submitted = response.json()
    assert set(submitted) == {"jobID", "status"} and submitted["status"] == "QUEUED"
    job = wait_for_job(district)
    assert job["jobID"] == submitted["jobID"]
    assert (job["status"], job["total"], job["processed"], job["succeeded"], job["failed"]) == (
        "COMPLETED", 6, 6, 5, 1)
    assert job["submittedDate"] <= job["startedDate"] <= job["finishedDate"]
    assert district.get(f"{SYNC}/status").json()["status"] == "COMMITTED"
    assert view(district, "10060")["identities"][-1]["lastName"] == "YOUNG"
    assert ("HR Sync Commit", "sync commit finished") in messages(district)


def test_sync7_job_failures_go_to_the_error_log(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "submitCommitJob")
    wait_for_job(district)
    rows = [r for r in district.error_log() if r["code"] == "duplicate_campus_staff_number"]
    assert len(rows) == 1
    assert rows[0]["path"].endswith("/staffMembers/sync/submitCommitJob")
    assert rows[0]["action"] == "POST"


def test_sync7_a_synchronous_commit_is_not_a_commit_job(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "commit")
    assert district.get(f"{SYNC}/commitJobStatus").status_code == 404


def test_sync7_a_second_submit_while_the_job_runs_is_a_state_conflict(client: TestClient) -> None:
    district = validated_district(client)
    worker = district.client.app.state.worker  # type: ignore[attr-defined]
    worker.stop()
    try:
        step(district, "submitCommitJob")
        for name in ("submitCommitJob", "commit"):
            response = district.post(f"{SYNC}/{name}")
            assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict"), name
    finally:
        worker.start()
    assert wait_for_job(district)["status"] == "COMPLETED"


def _running_job(district: District, *, claimed_by: str, heartbeat_age: float = 0.0) -> int:
    with db_of(district).unit_of_work() as session:
        job = queue.enqueue(session, district_id=district_id(district), kind="test_probe", params={},
                            total=0, submitted_at=utcnow(), claimed_by=claimed_by)
        job.heartbeat_at = utcnow() - timedelta(seconds=heartbeat_age)
        return job.id


def _status(district: District, job_id: int) -> str:
    with db_of(district).unit_of_work(write=False) as session:
        return str(session.scalars(select(m.BackgroundJob.status).where(m.BackgroundJob.id == job_id)).one())


def test_sync7_jobs_of_dead_workers_become_interrupted(district: District) -> None:
    """SYNC-7 (issue 15): ownership is the lease alone. Replicas in containers share hostname and PID, so
    neither decides anything: a fresh lease stands even for a PID that does not run here, an expired one
    falls even for this very process."""
    db = db_of(district)
    me = queue.process_identity()
    host, _pid, _token = me.split(":")
    lease = queue.LEASE_SECONDS
    no_such_pid = _running_job(district, claimed_by=f"{host}:999999999:abcd:worker-1")
    other_token = _running_job(district, claimed_by=f"{host}:{_pid}:other-token:worker-1")
    alive_elsewhere = _running_job(district, claimed_by="other-host:12:ab:worker-1", heartbeat_age=lease / 2)
    expired_elsewhere = _running_job(district, claimed_by="other-host:12:ab:worker-1", heartbeat_age=lease + 1)
    expired_mine = _running_job(district, claimed_by=f"{me}:worker-9", heartbeat_age=lease + 1)
    mine = _running_job(district, claimed_by=f"{me}:worker-9")
    interrupted = set(queue.recover(db, stale_after_seconds=lease))
    assert interrupted == {expired_elsewhere, expired_mine}
    assert _status(district, expired_mine) == "INTERRUPTED"
    for job_id in (no_such_pid, other_token, alive_elsewhere, mine):
        assert _status(district, job_id) == "RUNNING"
        queue.finish(db, job_id, queue.COMPLETED)


def test_sync7_a_lease_is_renewed_while_the_job_runs_and_lost_when_the_job_is_closed(district: District) -> None:
    db = db_of(district)
    owner = f"{queue.process_identity()}:lease-test"
    job_id = _running_job(district, claimed_by=owner, heartbeat_age=queue.LEASE_SECONDS - 0.5)
    with queue.Lease(db, job_id, owner, every=0.05):
        time.sleep(0.6)  # past the original expiry: only the renewals keep it
        assert queue.recover(db, stale_after_seconds=queue.LEASE_SECONDS) == []
    assert not queue.renew(db, job_id, "someone-else")
    queue.finish(db, job_id, queue.COMPLETED)
    assert not queue.renew(db, job_id, owner)


def test_sync7_each_job_runs_exactly_once_with_two_workers(district: District, settings: Settings) -> None:
    """Two workers (running a probe kind, beside the app's own) poll one database: every job is claimed by exactly one
    (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""
    db: Database = db_of(district)
    runs: Counter[int] = Counter()
    lock = threading.Lock()

    def probe(_db: Database, job_id: int, _control: JobControl) -> None:
        with lock:
            runs[job_id] += 1
        time.sleep(0.01)

    fast = settings.model_copy(update={"worker_poll_seconds": 0.01})
    workers = [Worker(db, fast, {"test_probe": probe}, name=f"claim-test-{i}") for i in range(2)]
    try:
        with db.unit_of_work() as session:
            ids = [queue.enqueue(session, district_id=district_id(district), kind="test_probe", params={},
                                 total=0, submitted_at=utcnow()).id for _ in range(40)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 60
        while any(_status(district, i) != "COMPLETED" for i in ids):
            assert time.monotonic() < deadline, "jobs not completed"
            time.sleep(0.05)
    finally:
        for worker in workers:
            worker.stop()
    assert {i: runs[i] for i in ids} == dict.fromkeys(ids, 1)
    with db.unit_of_work(write=False) as session:
        owners = set(session.scalars(select(m.BackgroundJob.claimed_by).where(m.BackgroundJob.id.in_(ids))))
    assert len(owners) >= 2  # the work was actually shared


def test_sync7_a_stopping_worker_interrupts_its_job_between_staff(client: TestClient, settings: Settings) -> None:
    district = validated_district(client)
    app_worker = district.client.app.state.worker  # type: ignore[attr-defined]
    app_worker.stop()
    db = db_of(district)
    worker = Worker(db, settings, JOB_HANDLERS, name="stopping")
    try:
        step(district, "submitCommitJob")
        worker._stop.set()  # as if stop() was called while the job runs: it stops before the first staff
        assert worker.run_once()
    finally:
        app_worker.start()
    job = district.get(f"{SYNC}/commitJobStatus").json()
    assert job["status"] == "INTERRUPTED"
    assert "Submit the job again" in job["error"]
    assert step(district, "submitCommitJob")["status"] == "QUEUED"  # resubmitting resumes
    assert wait_for_job(district)["status"] == "COMPLETED"


def test_sync7_a_commit_left_running_by_a_dead_server_does_not_block_the_district(client: TestClient) -> None:
    """Without waiting for a worker's recovery: the API itself reaps a RUNNING commit whose owner is gone."""
    district = validated_district(client)
    host = queue.process_identity().split(":")[0]
    with db_of(district).unit_of_work() as session:
        run = session.scalars(select(m.SyncRun).where(m.SyncRun.district_id == district_id(district))).one()
        run.status = "COMMITTING"
        job = queue.enqueue(session, district_id=run.district_id, kind="sync_commit_inline",
                            params={"syncID": run.id}, total=6, submitted_at=utcnow(),
                            claimed_by=f"{host}:999999999:dead:inline")
        job.heartbeat_at = utcnow() - timedelta(seconds=queue.LEASE_SECONDS + 1)  # its lease has expired
        job_id = job.id
    body = step(district, "commit")  # resumes: the dead commit had committed nothing
    assert len(body["succeeded"]) == 5
    assert _status(district, job_id) == "INTERRUPTED"
