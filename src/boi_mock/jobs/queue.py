"""The durable job queue: BackgroundJob rows, claimed by exactly one worker (SYNC-7).

Lifecycle: QUEUED → RUNNING → COMPLETED | FAILED | INTERRUPTED.

* Enqueue inside the caller's unit of work (`enqueue` only adds and flushes): a rolled-back request
  leaves no job, a committed one is seen by the next poll.
* Claim: PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` (two workers never get the same row); SQLite
  serialises the claim with the write transaction's ``BEGIN IMMEDIATE``.
* Ownership is a **lease**, nothing else: a RUNNING job is its owner's while its `heartbeat_at` is less
  than `LEASE_SECONDS` old. The owner renews it every `RENEW_EVERY_SECONDS` (`Lease`, a thread beside the
  job; the commit engine's chunks renew it too). Hostname and PID prove nothing: replicas in containers
  share both. A job whose lease has expired is INTERRUPTED (never resumed automatically) by `recover`
  (every worker, every `RECOVER_EVERY_SECONDS`) or by the API the moment it looks at the job (`active`).
  Worst-case takeover after a `kill -9`: LEASE_SECONDS + RECOVER_EVERY_SECONDS (12.5 s). Replicas'
  clocks must agree to well within the lease (NTP); the lease is four renewals long, so a renewal that
  waits for a busy row lock does not lose it.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import clock_of, utcnow
from boi_mock.db import Database

QUEUED = "QUEUED"
RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
INTERRUPTED = "INTERRUPTED"
ACTIVE = (QUEUED, RUNNING)
FINAL = (COMPLETED, FAILED, INTERRUPTED)
# A RUNNING job whose heartbeat is older than the lease has lost its owner, whoever and wherever it was.
LEASE_SECONDS = 10.0
RENEW_EVERY_SECONDS = 2.5
RECOVER_EVERY_SECONDS = 2.5
STALE_AFTER_SECONDS = LEASE_SECONDS  # the name callers knew before leases

log = logging.getLogger("boi_mock")
_TOKENS: dict[int, str] = {}


def process_identity() -> str:
    """host:pid:token of this process: who holds a lease, for people reading the row (never for deciding)."""
    pid = os.getpid()
    token = _TOKENS.setdefault(pid, secrets.token_hex(4))
    return f"{socket.gethostname()}:{pid}:{token}"


def renew(db: Database, job_id: int, owner: str) -> bool:
    """Extend the lease of a RUNNING job this owner holds; False when it is no longer ours (closed or taken)."""
    with db.unit_of_work() as session:
        result = session.execute(update(m.BackgroundJob)
                                 .where(m.BackgroundJob.id == job_id, m.BackgroundJob.status == RUNNING,
                                        m.BackgroundJob.claimed_by == owner)
                                 .values(heartbeat_at=utcnow()), execution_options={"synchronize_session": False})
        return bool(getattr(result, "rowcount", 0))


class Lease:
    """A thread that renews a running job's lease every `every` seconds until the block ends."""

    def __init__(self, db: Database, job_id: int, owner: str, *, every: float = RENEW_EVERY_SECONDS) -> None:
        self.db, self.job_id, self.owner, self.every = db, job_id, owner, every
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"boi-lease job {job_id}", daemon=True)

    def __enter__(self) -> Lease:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._done.set()
        self._thread.join()

    def _renew(self) -> None:
        while not self._done.wait(self.every):
            try:
                if not renew(self.db, self.job_id, self.owner):
                    return  # closed, or interrupted by someone who thought we were dead: nothing to hold
            except Exception:  # the database may be briefly unavailable: the lease has 3 more chances
                log.exception("job %s: lease renewal failed", self.job_id)


def enqueue(session: Session, *, district_id: int, kind: str, params: dict[str, Any], total: int,
            submitted_at: datetime, claimed_by: str | None = None) -> m.BackgroundJob:
    """Add a job in the caller's transaction. With `claimed_by` it starts RUNNING, owned by the caller."""
    now = utcnow()
    job = m.BackgroundJob(
        district_id=district_id, kind=kind, status=RUNNING if claimed_by else QUEUED, params=params,
        total=total, processed=0, succeeded=0, failed=0, submitted_at=submitted_at,
        started_at=submitted_at if claimed_by else None, claimed_by=claimed_by,
        heartbeat_at=now if claimed_by else None,
    )
    session.add(job)
    session.flush()
    return job


def has_queued(db: Database, kinds: tuple[str, ...]) -> bool:
    """A cheap read (no write lock) before trying to claim."""
    with db.unit_of_work(write=False) as session:
        found = session.scalar(select(m.BackgroundJob.id)
                               .where(m.BackgroundJob.status == QUEUED, m.BackgroundJob.kind.in_(kinds)).limit(1))
        return found is not None


def claim(db: Database, worker_id: str, kinds: tuple[str, ...]) -> int | None:
    """Take the oldest QUEUED job of these kinds, or None. Exactly one worker gets each job."""
    with db.unit_of_work() as session:
        stmt = (select(m.BackgroundJob)
                .where(m.BackgroundJob.status == QUEUED, m.BackgroundJob.kind.in_(kinds))
                .order_by(m.BackgroundJob.id).limit(1))
        if db.dialect != "sqlite":
            stmt = stmt.with_for_update(skip_locked=True)
        job = session.scalars(stmt).first()
        if job is None:
            return None
        district = session.get(m.District, job.district_id)
        job.status = RUNNING
        job.claimed_by = worker_id
        job.started_at = clock_of(district).now() if district is not None else utcnow()
        job.heartbeat_at = utcnow()
        return job.id


def finish(db: Database, job_id: int, status: str, error: str | None = None) -> None:
    """Close a RUNNING job (a job already closed by its handler keeps its outcome)."""
    with db.unit_of_work() as session:
        job = session.get(m.BackgroundJob, job_id)
        if job is None or job.status != RUNNING:
            return
        district = session.get(m.District, job.district_id)
        job.status = status
        job.error = error
        job.finished_at = clock_of(district).now() if district is not None else utcnow()


def _expired(heartbeat_at: datetime | None, cutoff: datetime) -> bool:
    return heartbeat_at is None or heartbeat_at < cutoff


def _interrupt(session: Session, job: m.BackgroundJob) -> None:
    district = session.get(m.District, job.district_id)
    job.status = INTERRUPTED
    job.finished_at = clock_of(district).now() if district is not None else utcnow()
    job.error = (f"The server stopped while the job was running ({job.processed} of {job.total} "
                 "processed). Nothing is half-written; submit the job again to finish the rest.")


def recover(db: Database, *, stale_after_seconds: float = STALE_AFTER_SECONDS) -> list[int]:
    """Mark RUNNING jobs whose lease has expired INTERRUPTED; returns their ids."""
    cutoff = utcnow() - timedelta(seconds=stale_after_seconds)
    with db.unit_of_work(write=False) as session:
        running = session.execute(select(m.BackgroundJob.id, m.BackgroundJob.heartbeat_at)
                                  .where(m.BackgroundJob.status == RUNNING)).all()
    dead = [job_id for job_id, beat in running if _expired(beat, cutoff)]
    if not dead:
        return []
    interrupted = []
    with db.unit_of_work() as session:
        for job_id in dead:
            # Read again under the row lock: a renewal that landed since the read above keeps the job alive.
            job = session.scalars(select(m.BackgroundJob).where(m.BackgroundJob.id == job_id)
                                  .with_for_update().execution_options(populate_existing=True)).first()
            if job is not None and job.status == RUNNING and _expired(job.heartbeat_at, cutoff):
                _interrupt(session, job)
                interrupted.append(job_id)
    return interrupted


def heartbeat(session: Session, job: m.BackgroundJob) -> None:
    job.heartbeat_at = utcnow()


def latest(session: Session, district_id: int, kind: str) -> m.BackgroundJob | None:
    return session.scalars(select(m.BackgroundJob)
                           .where(m.BackgroundJob.district_id == district_id, m.BackgroundJob.kind == kind)
                           .order_by(m.BackgroundJob.id.desc()).limit(1)).first()


def active(session: Session, district_id: int, kinds: tuple[str, ...]) -> list[m.BackgroundJob]:
    """The district's QUEUED/RUNNING jobs of these kinds. A RUNNING job whose lease has expired is marked
    INTERRUPTED here (in the caller's write transaction) rather than left to block the district until
    a worker's next recovery: the API heals without a worker too (run_worker off)."""
    jobs = list(session.scalars(select(m.BackgroundJob)
                                .where(m.BackgroundJob.district_id == district_id,
                                       m.BackgroundJob.kind.in_(kinds), m.BackgroundJob.status.in_(ACTIVE))
                                .order_by(m.BackgroundJob.id)))
    cutoff = utcnow() - timedelta(seconds=LEASE_SECONDS)
    live = []
    for job in jobs:
        if job.status == RUNNING and _expired(job.heartbeat_at, cutoff):
            _interrupt(session, job)
        else:
            live.append(job)
    return live

