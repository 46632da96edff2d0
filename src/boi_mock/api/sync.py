"""Staff synchronization (SYNC-1..7) under /staffMembers/sync/: parse, one service call, a schema.

`validate` and `commit` authenticate with `BoiCaller`, a short READ transaction, and hold no session
while they run: validate reads a snapshot without the district's write lock, and the synchronous
commit opens one write transaction per staff member itself. With `BoiContext` (a write session that
has taken the district lock, BEGIN IMMEDIATE on SQLite) those per-staff transactions would wait on
the request's own lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.responses import JSONResponse

from boi_mock.api.deps import BoiContext, bearer_scheme
from boi_mock.api.pipeline import current_call
from boi_mock.api.routing import BoiRoute
from boi_mock.db import Database
from boi_mock.schemas.staff import StaffMemberIn
from boi_mock.schemas.sync import (
    CommitJobOut,
    CommitOut,
    SubmittedJobOut,
    SyncStatusOut,
    TransferOut,
    ValidationReportOut,
)
from boi_mock.services.sync import commit, report, runs, transfer
from boi_mock.web.deps import get_db, get_settings

router = APIRouter(prefix="/staffMembers/sync", tags=["Staff synchronization"], route_class=BoiRoute)


@dataclass(frozen=True)
class Caller:
    db: Database
    district_id: int
    actor: str
    # The rule codes the call fires (the journal shows them, MOCK-9).
    rules: list[str] = field(default_factory=list)
    # settings.sync_pause_gc
    pause_gc: bool = True


def boi_caller(request: Request, _doc: Annotated[object, Depends(bearer_scheme)] = None) -> Caller:
    """AUTH-3 like `boi_context` (authenticated once by the pipeline), without a session held while the handler runs."""
    call = current_call(request)
    if call is None or call.district_id is None:
        raise RuntimeError("BoiCaller is only available on BoiRoute routes")
    return Caller(db=get_db(request), district_id=call.district_id, actor=call.client_id or "HR system",
                  rules=call.rules, pause_gc=get_settings(request).sync_pause_gc)


BoiCaller = Annotated[Caller, Depends(boi_caller)]


async def _batch_size(request: Request) -> None:
    """SYNC-2: more than 1000 objects → 400 too_many_staff, before 1000s of items are validated."""
    try:
        body = await request.json()
    except ValueError:
        return  # FastAPI reports the malformed JSON itself
    if isinstance(body, list) and len(body) > transfer.MAX_PER_CALL:
        raise transfer.too_many(len(body))


@router.post("/start", status_code=201, response_model=SyncStatusOut, response_model_exclude_none=True,
             summary="Start the data transfer process (SYNC-1)")
def start(ctx: BoiContext) -> SyncStatusOut:
    return runs.status_of(ctx, runs.start(ctx))


@router.post("/transfer", response_model=TransferOut, summary="Transfer staff data to Infinite Campus (SYNC-2)",
             dependencies=[Depends(_batch_size)])
def transfer_staff(ctx: BoiContext,
                   items: Annotated[list[StaffMemberIn], Body(max_length=transfer.MAX_PER_CALL)]) -> TransferOut:
    return TransferOut(staff_transferred=transfer.transfer(ctx, items).staff_transferred)


@router.post("/end", response_model=SyncStatusOut, response_model_exclude_none=True,
             summary="End the data transfer process (SYNC-3)")
def end(ctx: BoiContext) -> SyncStatusOut:
    return runs.status_of(ctx, runs.end(ctx))


@router.post("/validate", summary="Validate staff data transferred to Infinite Campus (SYNC-4)",
             responses={200: {"model": ValidationReportOut}})
def validate(caller: BoiCaller) -> JSONResponse:
    caller.rules.append("SYNC-4")
    return _json(report.validate(caller.db, caller.district_id, pause_gc=caller.pause_gc))


@router.get("/report", summary="The current sync's last validation report (decided: convenience read)",
            responses={200: {"model": ValidationReportOut}})
def last_report(ctx: BoiContext) -> JSONResponse:
    return _json(report.last_report(ctx.session, ctx.district_id))


@router.post("/commit", response_model=CommitOut,
             summary="Commit transferred staff data to Infinite Campus (SYNC-6; the guide advises it below 500 staff)")
def commit_now(caller: BoiCaller, request: Request, response: Response) -> CommitOut:
    caller.rules.append("SYNC-6")
    result = commit.commit_now(caller.db, caller.district_id, actor=caller.actor, path=request.url.path,
                               pause_gc=caller.pause_gc)
    advice = commit.size_advice(result)
    if advice is not None:  # 500 or more: processed, with the guide's advice where a vendor looks
        caller.rules.append(f"{commit.ADVICE_RULE}: {advice}")
        response.headers["X-Boi-Mock-Advice"] = advice
        response.headers["Warning"] = f'299 boi-mock "{advice}"'
    return result


@router.post("/submitCommitJob", status_code=202, response_model=SubmittedJobOut,
             summary="Start a job in Infinite Campus to commit transferred staff data (SYNC-7)")
def submit_commit_job(ctx: BoiContext, request: Request) -> SubmittedJobOut:
    return commit.submit_commit_job(ctx, request.url.path)


@router.get("/commitJobStatus", response_model=CommitJobOut, response_model_exclude_none=True,
            summary="Get the status of the last background job submitted (SYNC-7)")
def commit_job_status(ctx: BoiContext) -> CommitJobOut:
    return commit.job_status(ctx)


@router.get("/status", response_model=SyncStatusOut, summary="The current sync (decided: for the UI and vendors)")
def status(ctx: BoiContext) -> SyncStatusOut:
    return runs.status(ctx)


def _json(content: dict[str, Any]) -> JSONResponse:
    """Large reports: serialised once with json.dumps, not walked by jsonable_encoder."""
    return JSONResponse(content=content)
