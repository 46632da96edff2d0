"""SYNC-5..7: commit the staged staff to Campus, synchronously or as a durable background job.

Both ways run the same engine (`run_commit`) over a `BackgroundJob` row: kind `sync_commit` for
submitCommitJob (SYNC-7, claimed by a worker), `sync_commit_inline` for the synchronous commit
(SYNC-6, owned by the request's thread). The row gives both a heartbeat, so a server killed
mid-commit is detected and the commit can be resumed (INTERRUPTED, then submitted again).

Each staff member is written in its own SAVEPOINT (`update_staff`/`create_staff`): a failure rolls
back that staff member only. Staff members are committed in chunks (`Database.unit_of_work`, district
lock taken first; up to CHUNK_STAFF of them or CHUNK_SECONDS): their writes, their staging rows'
outcomes, the job's counters and the Error Log rows of their failures commit together or not at all.
So a crash leaves every staff member either fully committed (outcome recorded) or untouched (still
pending), and a resumed commit never redoes a committed row. A chunk pays the per-transaction cost
(lock, BEGIN/COMMIT, reading the job and run, who Campus holds) once for all its staff.

Staff members whose HR data equals Campus (boi_mock/domain/sync_commit.py says exactly when) are not
rewritten: one transaction marks them synced and succeeded in bulk, before the per-staff loop. Their
whole commit is that mark, so grouping them does not weaken per-staff atomicity.

Staleness (SYNC-5): commit and submitCommitJob compare `district.data_version` with the version
the validation saw. The commit's own writes bump `data_version` too; each staff member's write
moves the run's remembered version along with it, but only when nobody else wrote in between,
so an outside write during a commit still makes a resumed commit stale.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import Clock, clock_of, iso, utcnow
from boi_mock.db import Database
from boi_mock.domain import sync_commit
from boi_mock.domain.display import display_timestamp
from boi_mock.domain.masking import mask_body, mask_text
from boi_mock.errors import Conflict, DomainError, NotFound
from boi_mock.jobs import queue
from boi_mock.jobs.worker import JobControl
from boi_mock.repositories import districts as district_repo
from boi_mock.schemas.staff import StaffMemberIn
from boi_mock.schemas.sync import CommitFailureOut, CommitJobOut, CommitOut, SubmittedJobOut
from boi_mock.services import addresses, notifications
from boi_mock.services.context import DistrictContext
from boi_mock.services.staff import ReferenceSets, create_staff, find_person, update_staff
from boi_mock.services.sync import commit_create, report, state

log = logging.getLogger("boi_mock")

# The guide advises the synchronous commit for fewer than 500 staff and submitCommitJob above. Advice, not
# a rule: a larger synchronous commit is processed (slowly) and answered with the advice (size_advice).
COMMIT_LIMIT = 500
ADVICE_RULE = "SYNC-6 advice"
_IN_CHUNK = 500
# Staff members per transaction (each in its own SAVEPOINT): the per-transaction cost (write lock, BEGIN,
# COMMIT, reading the job and run) is paid once per chunk. A chunk also ends after CHUNK_SECONDS, so the
# district's write lock (on SQLite the database's) is never held much longer than that.
CHUNK_STAFF = 200
CHUNK_SECONDS = 0.25
_FIRST_CHUNK = 10


class _InternalError(DomainError):
    status = 500


@dataclass(frozen=True)
class _Job:
    """What the engine needs of a job row, read once."""

    job_id: int
    district_id: int
    sync_id: int
    path: str
    actor: str


def pending_count(session: Session, sync_id: int) -> int:
    return session.scalar(select(func.count()).select_from(m.SyncStagingRow).where(
        m.SyncStagingRow.sync_id == sync_id, m.SyncStagingRow.outcome.is_(None))) or 0


def _prepare(session: Session, district: m.District, *, kind: str, path: str, actor: str,
             claimed_by: str | None) -> m.BackgroundJob:
    """The checks both commits share (caller holds the district lock); the run becomes COMMITTING."""
    run = state.require(state.current_run(session, district.id), "commit", state.VALIDATED, state.COMMITTING)
    running = queue.active(session, district.id, state.COMMIT_KINDS)
    if running:
        raise Conflict(f"Sync {run.id} is already being committed (job {running[0].id}); "
                       "wait for it (GET staffMembers/sync/commitJobStatus)",
                       code="sync_state_conflict", extra={"syncStatus": run.status})
    if run.validated_data_version != district.data_version:
        raise Conflict("Campus data changed after the validation; repeat step 4 (POST staffMembers/sync/validate) "
                       "before committing", code="validation_stale")
    pending = pending_count(session, run.id)
    run.status = state.COMMITTING
    return queue.enqueue(session, district_id=district.id, kind=kind,
                         params={"syncID": run.id, "path": path, "actor": actor}, total=pending,
                         submitted_at=clock_of(district).now(), claimed_by=claimed_by)


def submit_commit_job(ctx: DistrictContext, path: str) -> SubmittedJobOut:
    """SYNC-7: 202 at once; the worker picks the job up after this request commits."""
    job = _prepare(ctx.session, ctx.district, kind=state.JOB_KIND, path=path, actor=ctx.actor, claimed_by=None)
    ctx.fire("SYNC-7")
    return SubmittedJobOut(job_id=job.id, status=job.status)


def commit_now(db: Database, district_id: int, *, actor: str, path: str, skip_unchanged: bool = True,
               pause_gc: bool = True) -> CommitOut:
    """SYNC-6: commit every pending staff member now, one transaction each, and list the outcomes.

    Runs outside the request's session (the caller holds none): each per-staff transaction takes
    the district's write lock for itself. `skip_unchanged`, `pause_gc`: see `run_commit`.
    """
    with db.unit_of_work() as session:
        district_repo.lock(session, district_id)
        district = session.get(m.District, district_id)
        if district is None:
            raise NotFound("The district no longer exists", code="district_not_found")
        job = _prepare(session, district, kind=state.INLINE_KIND, path=path, actor=actor,
                       claimed_by=f"{queue.process_identity()}:inline")
        job_id, sync_id = job.id, int(job.params["syncID"])
    try:
        run_commit(db, job_id, skip_unchanged=skip_unchanged, pause_gc=pause_gc)
    except Exception as exc:
        queue.finish(db, job_id, queue.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    with db.unit_of_work(write=False) as session:
        return outcomes(session, sync_id)


def size_advice(result: CommitOut) -> str | None:
    """The guide's advice when a synchronous commit held 500 staff or more (CONTRACT §7: processed, not refused).

    Plain ASCII: it also travels in the response headers `X-Boi-Mock-Advice` and `Warning`.
    """
    count = len(result.succeeded) + len(result.failed)
    if count < COMMIT_LIMIT:
        return None
    return (f"{count} staff members were committed synchronously; the guide advises "
            f"POST staffMembers/sync/submitCommitJob for {COMMIT_LIMIT} or more, as the synchronous commit "
            "does not return until every staff member is synced")


def outcomes(session: Session, sync_id: int) -> CommitOut:
    rows = session.execute(select(m.SyncStagingRow.staff_number, m.SyncStagingRow.outcome,
                                  m.SyncStagingRow.outcome_code, m.SyncStagingRow.outcome_message)
                           .where(m.SyncStagingRow.sync_id == sync_id).order_by(m.SyncStagingRow.seq))
    succeeded: list[str] = []
    failed: list[CommitFailureOut] = []
    for number, outcome, code, message in rows:
        if outcome == state.SUCCEEDED:
            succeeded.append(number)
        elif outcome == state.FAILED:
            failed.append(CommitFailureOut(staff_number=number, code=code or "", message=message or ""))
    return CommitOut(succeeded=succeeded, failed=failed)


def job_status(ctx: DistrictContext) -> CommitJobOut:
    """SYNC-7: the most recent submitted commit job of the district."""
    job = queue.latest(ctx.session, ctx.district_id, state.JOB_KIND)
    if job is None:
        raise NotFound("No commit job has been submitted (POST staffMembers/sync/submitCommitJob)",
                       code="commit_job_not_found")
    return job_out(job)


def latest_job(ctx: DistrictContext) -> CommitJobOut | None:
    """The district's most recent commit job, if any (the Campus UI's sync page)."""
    job = queue.latest(ctx.session, ctx.district_id, state.JOB_KIND)
    return job_out(job) if job is not None else None


def synchronous_commit(ctx: DistrictContext, *, running: bool = False) -> CommitJobOut | None:
    """The district's latest synchronous commit (SYNC-6), whose counters move while it runs: the Campus UI shows
    its progress to the trainer waiting on Commit (and to one who pressed it twice: the second is refused)."""
    job = queue.latest(ctx.session, ctx.district_id, state.INLINE_KIND)
    if running and job is not None and job.status not in queue.ACTIVE:
        return None
    return job_out(job) if job is not None else None


def job_out(job: m.BackgroundJob) -> CommitJobOut:
    return CommitJobOut(job_id=job.id, status=job.status, total=job.total, processed=job.processed,
                        succeeded=job.succeeded, failed=job.failed, submitted_date=iso(job.submitted_at),
                        started_date=iso(job.started_at), finished_date=iso(job.finished_at), error=job.error)


# --- the engine ---------------------------------------------------------------------------------------


def _never() -> bool:
    return False


def handle_job(db: Database, job_id: int, control: JobControl) -> None:
    """SYNC-7: the commit job's handler (`jobs.worker.Handler`); it closes the job (COMPLETED/INTERRUPTED) itself."""
    run_commit(db, job_id, control.should_stop, pace_seconds=control.pace_seconds, pause_gc=control.pause_gc)


def run_commit(db: Database, job_id: int, should_stop: Callable[[], bool] = _never, *,
               pace_seconds: float = 0.0, skip_unchanged: bool = True, set_wise: bool = True,
               pause_gc: bool = True) -> str:
    """Commit the run's pending staging rows in order, a chunk per transaction; returns the job's final status.

    `pace_seconds` pauses between two staff members (a deliberately slow job: progress to watch, a kill to
    test); a paced job commits one staff member per transaction, so nothing waits while holding the lock.
    `skip_unchanged` marks the staff the report found unchanged synced in bulk, without `update_staff`
    (False runs every row through `update_staff`: the slow path the shortcut must agree with).
    `set_wise`: new staff members are created set-wise (`commit_create`); False creates each with `create_staff`
    (the slow path the set-wise create must agree with). `pause_gc`: the `sync_pause_gc` setting, for the
    shortcut's load of the district (`report.gc_paused`).
    """
    with db.unit_of_work(write=False) as session:
        row = session.get(m.BackgroundJob, job_id)
        if row is None:
            return queue.FAILED
        job = _Job(job_id, row.district_id, int(row.params["syncID"]), str(row.params.get("path", "")),
                   str(row.params.get("actor", "HR system")))
    if skip_unchanged and not _mark_unchanged(db, job, pause_gc=pause_gc):
        return queue.INTERRUPTED
    with db.unit_of_work(write=False) as session:
        row_ids = list(session.scalars(select(m.SyncStagingRow.id).where(
            m.SyncStagingRow.sync_id == job.sync_id, m.SyncStagingRow.outcome.is_(None))
            .order_by(m.SyncStagingRow.seq)))
        ref = ReferenceSets.load(session, job.district_id)
    size = 1 if pace_seconds else _FIRST_CHUNK
    position = 0
    while position < len(row_ids):
        if should_stop():
            queue.finish(db, job_id, queue.INTERRUPTED,
                         "The server shut down during the job; nothing is half-written. Submit the job again "
                         "to commit the remaining staff.")
            return queue.INTERRUPTED
        done = _commit_chunk(db, job, row_ids[position:position + size], ref, should_stop, set_wise)
        if done is None:
            return queue.INTERRUPTED  # the job was closed under us (recovered as dead): stop here
        position += done
        if pace_seconds:
            time.sleep(pace_seconds)
        else:  # the next chunk holds about what fits in CHUNK_SECONDS (its staging rows are read at once)
            size = min(CHUNK_STAFF, done * 2) if done == size else max(done, 1)
    return _complete(db, job)


def _chunks(values: list[int]) -> list[list[int]]:
    return [values[i:i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]


def _lock_owned(session: Session, job: _Job) -> tuple[m.District, m.BackgroundJob, m.SyncRun] | None:
    """Takes the district lock and reads the job's district, job row and sync run; None when the job is no longer
    ours to run (one of them is gone, or the job is no longer RUNNING: recovered or cancelled)."""
    district_repo.lock(session, job.district_id)
    district = session.get(m.District, job.district_id)
    job_row = session.get(m.BackgroundJob, job.job_id)
    run = session.get(m.SyncRun, job.sync_id)
    if district is None or job_row is None or run is None or job_row.status != queue.RUNNING:
        return None
    return district, job_row, run


def _mark_unchanged(db: Database, job: _Job, *, pause_gc: bool) -> bool:
    """Mark every pending staff member the commit would not change synced and succeeded, in one transaction.

    Campus is read under the district lock, so nobody changes it between the comparison and the mark.
    False when the job is no longer ours to run.
    """
    with db.unit_of_work() as session:
        owned = _lock_owned(session, job)
        if owned is None:
            return False
        district, job_row, run = owned
        today = clock_of(district).today()
        with report.gc_paused(pause_gc):
            address_ids = report.address_ids(session, district.id)
            hr = report.load_hr(session, run, today, address_ids.keys(), pending_only=True)
            campus = report.load_campus(session, district, today)
            titles = set(session.scalars(select(m.Title.title_code).where(m.Title.district_id == district.id)))
            skip = sync_commit.unchanged_staff(campus, hr, address_ids, titles)
            pending = len(hr)
            del hr, campus
        now = clock_of(district).now()
        for chunk in _chunks(list(skip)):
            session.execute(update(m.SyncStagingRow).where(m.SyncStagingRow.id.in_(chunk))
                            .values(outcome=state.SUCCEEDED), execution_options={"synchronize_session": False})
        for chunk in _chunks(list(skip.values())):
            session.execute(update(m.Person).where(m.Person.id.in_(chunk)).values(synced_at=now),
                            execution_options={"synchronize_session": False})
        job_row.processed += len(skip)
        job_row.succeeded += len(skip)
        queue.heartbeat(session, job_row)
    log.info("sync %s: %s of %s staff unchanged, marked synced", job.sync_id, len(skip), pending)
    return True


def _error_log(job: _Job, staging: m.SyncStagingRow, exc: DomainError, clock: Clock) -> m.ErrorLogEntry:
    wall = utcnow()
    return m.ErrorLogEntry(
        district_id=job.district_id, error_at=clock.at(wall), wall_at=wall, action="POST", path=job.path,
        status=exc.status,
        code=exc.code, error_message=mask_text(f"Staff number {staging.staff_number}: {exc.detail}"),
        payload=mask_body(json.dumps(staging.payload).encode()),
    )


def _commit_chunk(db: Database, job: _Job, row_ids: list[int], ref: ReferenceSets,
                  should_stop: Callable[[], bool], set_wise: bool) -> int | None:
    """Staff members in order, each in its own SAVEPOINT, in one transaction that also records their outcomes
    and the job's counters. Stops early after CHUNK_SECONDS or when the worker stops.

    Returns how many rows it went through (≥ 1); None when the job is no longer ours to run.
    """
    with db.unit_of_work() as session:
        owned = _lock_owned(session, job)
        if owned is None:
            return None
        district, job_row, run = owned
        staged = {row.id: row for row in session.scalars(
            select(m.SyncStagingRow).where(m.SyncStagingRow.id.in_(row_ids)))}
        # Who Campus holds, read once for the chunk under the lock (staff numbers are unique within a sync,
        # so no staff member of the chunk creates a number another one looks up).
        in_campus = set(session.scalars(select(m.Person.staff_number).where(
            m.Person.district_id == job.district_id,
            m.Person.staff_number.in_({row.staff_number for row in staged.values()}))))
        ctx = DistrictContext(session=session, district=district, actor=job.actor)
        # SYNC-5: the remembered version follows the commit's own writes when nobody wrote since it was
        # last moved. Under the lock only this chunk writes, so that is decided once, at its start.
        ours = district.data_version == run.validated_data_version
        began = time.monotonic()
        done = 0
        while done < len(row_ids):
            staging = staged.get(row_ids[done])
            done += 1
            if staging is None or staging.outcome is not None:
                continue  # already committed (or discarded): never redo a row
            if set_wise and staging.staff_number not in in_campus:
                # This and the following new staff members, up to the next one Campus holds, at once.
                batch = [staging]
                while done < len(row_ids):
                    following = staged.get(row_ids[done])
                    if following is not None and following.outcome is None:
                        if following.staff_number in in_campus:
                            break
                        batch.append(following)
                    done += 1
                _create_batch(ctx, job, job_row, batch, ref)
            else:
                _commit_staff(ctx, job, job_row, staging, ref, in_campus=staging.staff_number in in_campus)
            if time.monotonic() - began >= CHUNK_SECONDS or should_stop():
                break
        if ours:
            run.validated_data_version = district.data_version
        queue.heartbeat(session, job_row)
    return done


def _commit_staff(ctx: DistrictContext, job: _Job, job_row: m.BackgroundJob, staging: m.SyncStagingRow,
                  ref: ReferenceSets, *, in_campus: bool) -> None:
    """One staff member in a SAVEPOINT: written whole and SUCCEEDED, or untouched and FAILED (Error Log row)."""
    session = ctx.session
    job_row.processed += 1
    savepoint = session.begin_nested()
    try:
        payload = StaffMemberIn.model_validate(staging.payload)
        person: m.Person | None = None
        if in_campus:
            try:
                person = find_person(ctx, staging.staff_number)
            except NotFound:
                person = None
        parsed = addresses.parsed_from_json(staging.address_parts)  # the transfer parsed them already
        if person is None:
            person = create_staff(ctx, payload, ref=ref, parsed=parsed)
        else:
            person = update_staff(ctx, staging.staff_number, payload, person=person, ref=ref, parsed=parsed)
        person.synced_at = ctx.clock.now()  # SYNC-8: locked in the Campus UI from now on
        savepoint.commit()
        staging.outcome = state.SUCCEEDED
        job_row.succeeded += 1
    except DBAPIError:
        raise  # the database itself failed: the job stops (FAILED) and can be resumed
    except Exception as exc:  # one staff member's failure (or defect) must not stop the whole sync
        savepoint.rollback()
        if not isinstance(exc, DomainError):
            log.exception("sync %s: committing staff number %s failed", job.sync_id, staging.staff_number)
        failure = exc if isinstance(exc, DomainError) else _InternalError(
            f"Internal error ({type(exc).__name__}); this is a boi-mock bug", code="internal_error")
        _failed(ctx, job, job_row, staging, failure)


def _failed(ctx: DistrictContext, job: _Job, job_row: m.BackgroundJob, staging: m.SyncStagingRow,
            failure: DomainError) -> None:
    staging.outcome = state.FAILED
    staging.outcome_code = failure.code
    staging.outcome_message = failure.detail[:1000]
    ctx.session.add(_error_log(job, staging, failure, ctx.clock))
    job_row.failed += 1


def _create_batch(ctx: DistrictContext, job: _Job, job_row: m.BackgroundJob, batch: list[m.SyncStagingRow],
                  ref: ReferenceSets) -> None:
    """New staff members set-wise (`commit_create`), in one SAVEPOINT: each SUCCEEDED, or FAILED when its checks
    fail. Anything unexpected undoes the batch, and its staff members are committed one by one instead."""
    savepoint = ctx.session.begin_nested()
    try:
        failures = commit_create.create_new(
            ctx, [(row.id, row.payload, row.address_parts) for row in batch], ref, ctx.clock.now())
        savepoint.commit()
    except Exception as exc:  # the per-staff path decides each (a database failure stops the job there)
        savepoint.rollback()
        log.warning("sync %s: %s new staff members committed one by one (%s: %s)", job.sync_id, len(batch),
                    type(exc).__name__, exc)
        for staging in batch:
            _commit_staff(ctx, job, job_row, staging, ref, in_campus=False)
        return
    for staging in batch:
        job_row.processed += 1
        failure = failures.get(staging.id)
        if failure is None:
            staging.outcome = state.SUCCEEDED
            job_row.succeeded += 1
        else:
            _failed(ctx, job, job_row, staging, failure)


def _complete(db: Database, job: _Job) -> str:
    """All rows have an outcome: the run is COMMITTED, the job COMPLETED, and NOTE-1 HR Sync Commit sent."""
    with db.unit_of_work() as session:
        owned = _lock_owned(session, job)
        if owned is None:
            return queue.INTERRUPTED
        district, job_row, run = owned
        now = clock_of(district).now()
        counts = state.outcome_counts(session, run.id)
        if counts.get(None):
            job_row.status = queue.FAILED
            job_row.error = f"{counts[None]} staff members were left pending"
            job_row.finished_at = now
            return queue.FAILED
        run.status = state.COMMITTED
        run.committed_at = now
        job_row.status = queue.COMPLETED
        job_row.finished_at = now
        ok, failed = counts.get(state.SUCCEEDED, 0), counts.get(state.FAILED, 0)
        ctx = DistrictContext(session=session, district=district, actor=job.actor)
        ctx.fire("SYNC-6" if job_row.kind == state.INLINE_KIND else "SYNC-7")
        notifications.notify(
            ctx, notifications.HR_SYNC_COMMIT, notifications.SYNC_COMMITTED,
            f"HR Sync Commit: sync {run.id} committed ({ok} succeeded, {failed} failed)",
            f"The staff synchronization started {display_timestamp(run.started_at)} by {run.started_by} was "
            "committed: "
            f"{ok} staff members succeeded, {failed} failed"
            + (" (see the Business Office Error Log)." if failed else "."))
    log.info("sync %s committed: %s succeeded, %s failed", job.sync_id, ok, failed)
    return queue.COMPLETED
