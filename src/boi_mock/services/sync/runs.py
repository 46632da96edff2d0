"""Starting and ending a sync (SYNC-1, SYNC-3) and reading its status."""

from __future__ import annotations

from sqlalchemy import delete

from boi_mock import models as m
from boi_mock.errors import Conflict
from boi_mock.jobs import queue
from boi_mock.schemas.sync import SyncStatusOut
from boi_mock.services.context import DistrictContext
from boi_mock.services.sync import state


def start(ctx: DistrictContext) -> m.SyncRun:
    """SYNC-1. Starting again discards the staging data of an uncommitted sync ("restart from step 1").

    Decided: while a commit is running (a queued/running job, or a synchronous commit) → 409
    sync_state_conflict. A commit that was interrupted (COMMITTING, no job running) may be abandoned by
    starting again; what it had committed stays committed.
    """
    session = ctx.session
    run = state.current_run(session, ctx.district_id)
    if run is not None and run.status == state.COMMITTING:
        running = queue.active(session, ctx.district_id, state.COMMIT_KINDS)
        if running:
            raise Conflict(f"Cannot start a sync while sync {run.id} is being committed (job {running[0].id}); "
                           "wait for the commit to finish (GET staffMembers/sync/commitJobStatus)",
                           code="sync_state_conflict", extra={"syncStatus": run.status})
    if run is not None and run.status != state.COMMITTED:
        session.execute(delete(m.SyncStagingRow).where(m.SyncStagingRow.sync_id == run.id))
        run.superseded = True
        ctx.fire("SYNC-1 uncommitted sync discarded")
    new = m.SyncRun(district_id=ctx.district_id, status=state.TRANSFER_STARTED, started_at=ctx.clock.now(),
                    started_by=ctx.actor, staff_transferred=0, superseded=False)
    session.add(new)
    session.flush()
    ctx.fire("SYNC-1")
    return new


def end(ctx: DistrictContext) -> m.SyncRun:
    """SYNC-3: TRANSFER_STARTED → TRANSFER_ENDED; nothing transferred → 409 nothing_transferred."""
    run = state.require(state.current_run(ctx.session, ctx.district_id), "end the transfer",
                        state.TRANSFER_STARTED)
    if run.staff_transferred == 0:
        raise Conflict("Cannot end the transfer: no staff have been transferred (POST staffMembers/sync/transfer)",
                       code="nothing_transferred")
    run.status = state.TRANSFER_ENDED
    run.ended_at = ctx.clock.now()
    ctx.fire("SYNC-3")
    return run


def status(ctx: DistrictContext) -> SyncStatusOut:
    return state.status_out(ctx.session, ctx.district, state.current_run(ctx.session, ctx.district_id))


def status_of(ctx: DistrictContext, run: m.SyncRun) -> SyncStatusOut:
    return state.status_out(ctx.session, ctx.district, run)
