"""The durable job queue: BackgroundJob rows, claimed by exactly one worker (SYNC-7).

Lifecycle: QUEUED → RUNNING → COMPLETED | FAILED | INTERRUPTED.

* Enqueue inside the caller's unit of work (`enqueue` only adds and flushes): a rolled-back request
  leaves no job, a committed one is seen by the next poll.
* Claim: PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` (two workers never get the same row); SQLite
  serialises the claim with the write transaction's ``BEGIN IMMEDIATE``.
* Recovery (`recover`): a RUNNING job whose owner is gone becomes INTERRUPTED. Owner gone = the
  claiming process is provably dead (same host, its pid no longer runs, or the pid now belongs to a
  new process) or its heartbeat is older than `stale_after`. Run at worker start and periodically.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.services.context import clock_of

QUEUED = "QUEUED"
RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
INTERRUPTED = "INTERRUPTED"
ACTIVE = (QUEUED, RUNNING)
FINAL = (COMPLETED, FAILED, INTERRUPTED)
# A RUNNING job whose heartbeat is older than this belongs to a dead worker (other hosts; same host: pid check).
STALE_AFTER_SECONDS = 60.0

_TOKENS: dict[int, str] = {}


def process_identity() -> str:
    """host:pid:token of this process (the token tells a restarted process reusing a pid from the old one)."""
    pid = os.getpid()
    token = _TOKENS.setdefault(pid, secrets.token_hex(4))
    return f"{socket.gethostname()}:{pid}:{token}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_dead(claimed_by: str | None) -> bool:
    """Whether the process that claimed a job is provably gone (only decidable on this host)."""
    if not claimed_by:
        return True
    host, pid_text, token = [*claimed_by.split(":"), "", "", ""][:3]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return token != _TOKENS.get(pid)
    return not _pid_alive(pid)


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


def _is_dead(job: m.BackgroundJob | tuple[Any, ...], cutoff: datetime) -> bool:
    claimed_by, heartbeat_at = (job.claimed_by, job.heartbeat_at) if isinstance(job, m.BackgroundJob) else job
    return owner_dead(claimed_by) or heartbeat_at is None or heartbeat_at < cutoff


def _interrupt(session: Session, job: m.BackgroundJob) -> None:
    district = session.get(m.District, job.district_id)
    job.status = INTERRUPTED
    job.finished_at = clock_of(district).now() if district is not None else utcnow()
    job.error = (f"The server stopped while the job was running ({job.processed} of {job.total} "
                 "processed). Nothing is half-written; submit the job again to finish the rest.")


def recover(db: Database, *, stale_after_seconds: float = STALE_AFTER_SECONDS) -> list[int]:
    """Mark RUNNING jobs whose owner is gone INTERRUPTED; returns their ids."""
    cutoff = utcnow() - timedelta(seconds=stale_after_seconds)
    with db.unit_of_work(write=False) as session:
        running = session.execute(select(m.BackgroundJob.id, m.BackgroundJob.claimed_by,
                                         m.BackgroundJob.heartbeat_at)
                                  .where(m.BackgroundJob.status == RUNNING)).all()
    dead = [job_id for job_id, owner, beat in running if _is_dead((owner, beat), cutoff)]
    if not dead:
        return []
    with db.unit_of_work() as session:
        for job_id in dead:
            job = session.get(m.BackgroundJob, job_id)
            if job is not None and job.status == RUNNING:
                _interrupt(session, job)
    return dead


def heartbeat(session: Session, job: m.BackgroundJob) -> None:
    job.heartbeat_at = utcnow()


def latest(session: Session, district_id: int, kind: str) -> m.BackgroundJob | None:
    return session.scalars(select(m.BackgroundJob)
                           .where(m.BackgroundJob.district_id == district_id, m.BackgroundJob.kind == kind)
                           .order_by(m.BackgroundJob.id.desc()).limit(1)).first()


def active(session: Session, district_id: int, kinds: tuple[str, ...]) -> list[m.BackgroundJob]:
    """The district's QUEUED/RUNNING jobs of these kinds. A RUNNING job whose owner is gone is marked
    INTERRUPTED here (in the caller's write transaction) rather than left to block the district until
    a worker's next recovery: the API heals without a worker too (run_worker off)."""
    jobs = list(session.scalars(select(m.BackgroundJob)
                                .where(m.BackgroundJob.district_id == district_id,
                                       m.BackgroundJob.kind.in_(kinds), m.BackgroundJob.status.in_(ACTIVE))
                                .order_by(m.BackgroundJob.id)))
    cutoff = utcnow() - timedelta(seconds=STALE_AFTER_SECONDS)
    live = []
    for job in jobs:
        if job.status == RUNNING and _is_dead(job, cutoff):
            _interrupt(session, job)
        else:
            live.append(job)
    return live

