"""The sync run's state machine (SYNC-1..7) and how a run is shown.

    NONE → TRANSFER_STARTED → TRANSFER_ENDED → VALIDATED → COMMITTING → COMMITTED

The current run of a district is its newest `SyncRun`; an out-of-order call is 409
`sync_state_conflict` with a detail naming the step to take instead.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import iso
from boi_mock.errors import Conflict
from boi_mock.schemas.sync import SyncStatusOut

NONE = "NONE"
TRANSFER_STARTED = "TRANSFER_STARTED"
TRANSFER_ENDED = "TRANSFER_ENDED"
VALIDATED = "VALIDATED"
COMMITTING = "COMMITTING"
COMMITTED = "COMMITTED"

# Job kinds: a submitted commit job (SYNC-7) and the synchronous commit's own bookkeeping row (SYNC-6).
JOB_KIND = "sync_commit"
INLINE_KIND = "sync_commit_inline"
COMMIT_KINDS = (JOB_KIND, INLINE_KIND)

SUCCEEDED = "succeeded"
FAILED = "failed"

_NEXT_STEP = {
    NONE: "start a sync first (POST staffMembers/sync/start)",
    TRANSFER_STARTED: "transfer staff, then end the transfer (POST staffMembers/sync/end)",
    TRANSFER_ENDED: "validate next (POST staffMembers/sync/validate)",
    VALIDATED: "commit next (POST staffMembers/sync/commit or submitCommitJob)",
    COMMITTING: "wait for the commit to finish (GET staffMembers/sync/commitJobStatus)",
    COMMITTED: "start a new sync (POST staffMembers/sync/start)",
}


def current_run(session: Session, district_id: int) -> m.SyncRun | None:
    return session.scalars(select(m.SyncRun).where(m.SyncRun.district_id == district_id)
                           .order_by(m.SyncRun.id.desc()).limit(1)).first()


def status_of(run: m.SyncRun | None) -> str:
    return run.status if run is not None else NONE


def require(run: m.SyncRun | None, action: str, *allowed: str) -> m.SyncRun:
    """The run, when its status allows `action`; else 409 sync_state_conflict."""
    status = status_of(run)
    if run is None or status not in allowed:
        raise Conflict(
            f"Cannot {action}: the sync is {status} (allowed in {', '.join(allowed)}); {_NEXT_STEP[status]}",
            code="sync_state_conflict", extra={"syncStatus": status},
        )
    return run


def outcome_counts(session: Session, sync_id: int) -> dict[str | None, int]:
    rows = session.execute(select(m.SyncStagingRow.outcome, func.count())
                           .where(m.SyncStagingRow.sync_id == sync_id).group_by(m.SyncStagingRow.outcome))
    return {outcome: n for outcome, n in rows}


def status_out(session: Session, district: m.District, run: m.SyncRun | None) -> SyncStatusOut:
    if run is None:
        return SyncStatusOut(sync_id=None, status=NONE, started_date=None, started_by=None, staff_transferred=0)
    committing = run.status in (COMMITTING, COMMITTED)
    counts = outcome_counts(session, run.id) if committing else {}
    stale = None
    if run.status in (VALIDATED, COMMITTING):
        stale = run.validated_data_version != district.data_version
    return SyncStatusOut(
        sync_id=run.id, status=run.status, started_date=iso(run.started_at), started_by=run.started_by,
        staff_transferred=run.staff_transferred, ended_date=iso(run.ended_at),
        validated_date=iso(run.validated_at), committed_date=iso(run.committed_at), validation_stale=stale,
        staff_committed=counts.get(SUCCEEDED, 0) if committing else None,
        staff_failed=counts.get(FAILED, 0) if committing else None,
        staff_pending=counts.get(None, 0) if committing else None,
    )
