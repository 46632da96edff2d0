"""Business Office Synchronization: Check Campus Data (SYNC-9), the Staff Synchronization tool (SYNC-1..7)
and the Staff Synchronization Validation Report (SYNC-4) with its print, CSV and JSON forms.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import TypeAdapter, ValidationError

from boi_mock.admin import report_view, upload
from boi_mock.admin.deps import UiCallerDep, UiDep
from boi_mock.admin.render import redirect, render
from boi_mock.errors import BadRequest, Conflict, DomainError, FieldError
from boi_mock.schemas.staff import StaffMemberIn
from boi_mock.schemas.sync import CommitJobOut
from boi_mock.services.sync import commit, report, runs, state, transfer
from boi_mock.web.problems import validation_errors

router = APIRouter()
BOI_SYNC = "/campus/api/businessOfficeIntegration/staffMembers/sync"
_ITEMS = TypeAdapter(list[StaffMemberIn])
_INDEX = re.compile(r"^\[(\d+)\]")


def _download(content: str, filename: str, media_type: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/sync", response_class=HTMLResponse)
def sync_page(ui: UiDep) -> Response:
    status = runs.status(ui.ctx)
    run = state.current_run(ui.session, ui.district.id)
    job = commit.latest_job(ui.ctx)
    outcome = commit.outcomes(ui.session, run.id) if run is not None and run.status in (
        state.COMMITTING, state.COMMITTED) else None
    summary = run.report.get("summary") if run is not None and run.report else None
    inline = commit.synchronous_commit(ui.ctx, running=True)
    return render(ui.request, "sync.html", {
        "nav": "sync", "status": status, "run": run, "job": job, "inline": inline,
        "outcome": outcome, "summary": summary, "states": state, "commit_limit": commit.COMMIT_LIMIT,
        "max_per_call": transfer.MAX_PER_CALL,
    }, ui=ui)


@router.post("/sync/start")
def start_sync(ui: UiDep) -> Response:
    ui.back_to("sync")
    run = runs.start(ui.ctx)
    discarded = any(r.startswith("SYNC-1 uncommitted") for r in ui.ctx.rules)
    return redirect(ui.request, ui.links("sync"), notice=f"Transfer started by {run.started_by}."
                    + (" The staged staff of the previous, uncommitted sync were discarded." if discarded else ""))


def _renumber(problems: list[FieldError], offset: int, items: list[dict[str, Any]]) -> list[FieldError]:
    """Paths of a chunk (`[3].lastName`) → the file's item and its staff number."""
    out = []
    for p in problems:
        match = _INDEX.match(p.field)
        if match is None:
            out.append(p)
            continue
        index = int(match.group(1)) + offset
        number = items[index].get("staffNumber") if index < len(items) else None
        label = f"[{index}]" + (f" (staff number {number})" if number else "")
        # The message names the property within the item ("Unknown property 'firstname'"), the label the item.
        inner = p.field[match.end():].removeprefix(".")
        message = p.message.replace(repr(p.field), repr(inner)).replace(f"{p.field}:", f"{inner}:", 1)
        out.append(FieldError(label + p.field[match.end():], p.code, f"Item {label}: {message}"))
    return out


@router.post("/sync/transfer")
def transfer_file(ui: UiDep, file: UploadFile) -> Response:
    """Transfer Staff Via File Upload: the same checks as POST staffMembers/sync/transfer (SYNC-2); any
    problem stages nothing of the file (the request's unit of work rolls back)."""
    ui.back_to("sync")
    items = upload.parse(file.filename or "", file.file.read(upload.MAX_BYTES + 1))
    try:
        parsed = _ITEMS.validate_python(items)
    except ValidationError as exc:
        # As the API reads an array body: unknown properties get "did you mean …?" from the staff member's model.
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        problems = _renumber(validation_errors(errors, list[StaffMemberIn]), 0, items)
        raise BadRequest(f"{len(problems)} problem(s) in {file.filename}; nothing was transferred",
                         code="invalid_request", errors=problems) from exc
    for offset in range(0, len(parsed), transfer.MAX_PER_CALL):
        try:
            run = transfer.transfer(ui.ctx, parsed[offset:offset + transfer.MAX_PER_CALL])
        except DomainError as exc:
            exc.errors = _renumber(exc.errors, offset, items)
            exc.detail = f"{exc.detail} (nothing of {file.filename} was transferred)"
            raise
    total = run.staff_transferred if parsed else 0
    return redirect(ui.request, ui.links("sync"),
                    notice=f"{len(parsed)} staff transferred from {file.filename}; {total} in this sync.")


@router.post("/sync/end")
def end_transfer(ui: UiDep) -> Response:
    ui.back_to("sync")
    run = runs.end(ui.ctx)
    return redirect(ui.request, ui.links("sync"), notice=f"Transfer ended: {run.staff_transferred} staff transferred.")


@router.post("/sync/validate")
def validate(caller: UiCallerDep) -> Response:
    """SYNC-4 (runs its own snapshot read and state write, like the API)."""
    result = report.validate(caller.db, caller.district_id, pause_gc=caller.pause_gc)
    counts = result["summary"]
    return redirect(caller.request, caller.links("sync", "report"),
                    notice=f"Validated: {counts['demographicDifferences']['total']} demographic differences, "
                           f"{counts['hrStaffNotInCampus']} HR staff not in Campus.")


@router.post("/sync/commit")
def commit_now(caller: UiCallerDep) -> Response:
    """SYNC-6 (the guide advises it below 500 staff; more is processed, with that advice); failures also go to
    the Error Log. A second Commit while one runs (a double click without JavaScript) is refused by the
    service and changes nothing; the page it lands on shows the running commit's progress."""
    try:
        result = commit.commit_now(caller.db, caller.district_id, actor=caller.actor, path=f"{BOI_SYNC}/commit",
                                   pause_gc=caller.pause_gc)
    except Conflict as exc:
        if exc.code != "sync_state_conflict" or "already being committed" not in exc.detail:
            raise
        return redirect(caller.request, caller.links("sync") + "#commit-busy",
                        error="This sync is already being committed (Commit was pressed twice?); nothing was "
                              "committed twice. Its progress is shown below; the page reloads when it ends.")
    advice = commit.size_advice(result)
    return redirect(caller.request, caller.links("sync") + "#outcome",
                    notice=f"Committed: {len(result.succeeded)} succeeded, {len(result.failed)} failed."
                           + (f" Note: {advice}." if advice else ""))


@router.post("/sync/submit-commit-job")
def submit_commit_job(ui: UiDep) -> Response:
    """SYNC-7: the job runs in the background; the page polls its status."""
    ui.back_to("sync")
    job = commit.submit_commit_job(ui.ctx, f"{BOI_SYNC}/submitCommitJob")
    return redirect(ui.request, ui.links("sync") + "#commit-job", notice=f"Commit job {job.job_id} submitted.")


def _job_json(job: CommitJobOut | None) -> JSONResponse:
    """A commit's counters as the sync page polls them: its wire JSON, or 404 `{"status": "NONE"}` when none."""
    if job is None:
        return JSONResponse({"status": "NONE"}, status_code=404)
    return JSONResponse(job.model_dump(mode="json", by_alias=True))


@router.get("/sync/job.json")
def job_status(ui: UiDep) -> JSONResponse:
    return _job_json(commit.latest_job(ui.ctx))


@router.get("/sync/commit-progress.json")
def commit_progress(ui: UiDep) -> JSONResponse:
    """The synchronous commit's counters, polled by the page while its Commit request runs."""
    return _job_json(commit.synchronous_commit(ui.ctx))


@router.get("/sync/report", response_class=HTMLResponse)
def report_page(ui: UiDep) -> Response:
    data = report.last_report(ui.session, ui.district.id)
    run = state.current_run(ui.session, ui.district.id)
    status = runs.status(ui.ctx)
    return render(ui.request, "sync_report.html", {
        "nav": "sync", "report": data, "summary": data["summary"], "sections": report_view.sections(data),
        "by_field": report_view.BY_FIELD_LABELS, "summary_labels": report_view.SUMMARY_LABELS,
        "shown": report_view.SHOWN, "run": run, "stale": status.validation_stale,
    }, ui=ui)


@router.get("/sync/report.json")
def report_json(ui: UiDep) -> Response:
    data = report.last_report(ui.session, ui.district.id)
    return _download(json.dumps(data, indent=1), f"validation-report-{ui.app_name}.json", "application/json")


@router.get("/sync/report.csv")
def report_csv(ui: UiDep) -> Response:
    data = report.last_report(ui.session, ui.district.id)
    return _download(report_view.to_csv(data), f"validation-report-{ui.app_name}.csv", "text/csv; charset=utf-8")


@router.get("/sync/check", response_class=HTMLResponse)
def check_campus_data(ui: UiDep) -> Response:
    data = report.check_campus_data(ui.session, ui.district)
    return render(ui.request, "sync_check.html", {
        "nav": "sync", "check": data, "sections": report_view.check_sections(data), "shown": report_view.SHOWN,
    }, ui=ui)


@router.get("/sync/check.json")
def check_campus_data_json(ui: UiDep) -> Response:
    data = report.check_campus_data(ui.session, ui.district)
    return _download(json.dumps(data, indent=1), f"check-campus-data-{ui.app_name}.json", "application/json")


@router.get("/sync/template.csv")
def csv_template(ui: UiDep) -> Response:
    return _download(upload.template_csv(), "staff-transfer-template.csv", "text/csv; charset=utf-8")
