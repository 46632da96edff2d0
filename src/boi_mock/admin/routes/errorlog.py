"""Business Office Error Log (ERR-1): filter by date and path, the masked payload, and a support-case draft."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from boi_mock.admin import support_case
from boi_mock.admin.deps import Ui, UiDep, server_url
from boi_mock.admin.render import render
from boi_mock.services import districts, logs, scenario_export

if TYPE_CHECKING:  # a row type only: the faces never query (docs/architecture.md)
    from boi_mock.models import ErrorLogEntry

router = APIRouter()
PAGE_SIZE = 100


def _entry(ui: Ui, entry_id: int) -> ErrorLogEntry:
    return logs.error_log_entry(ui.session, ui.district.id, entry_id)


@router.get("/error-log", response_class=HTMLResponse)
def error_log_page(ui: UiDep, path: str | None = None, date_from: date | None = None,
                   date_to: date | None = None, offset: int = 0) -> Response:
    since = datetime.combine(date_from, time.min) if date_from else None
    until = datetime.combine(date_to + timedelta(days=1), time.min) - timedelta(microseconds=1) if date_to else None
    offset = max(offset, 0)
    rows = logs.error_log(ui.session, ui.district.id, path=path or None, since=since, until=until,
                          limit=PAGE_SIZE + 1, offset=offset)
    return render(ui.request, "error_log.html", {
        "nav": "error-log", "rows": rows[:PAGE_SIZE], "more": len(rows) > PAGE_SIZE, "offset": offset,
        "page_size": PAGE_SIZE, "filters": {"path": path or "", "date_from": date_from, "date_to": date_to},
    }, ui=ui)


@router.get("/error-log/{entry_id}/payload", response_class=HTMLResponse)
def payload_page(ui: UiDep, entry_id: int, raw: bool = False) -> Response:
    entry = _entry(ui, entry_id)
    if raw:
        return PlainTextResponse(entry.payload or "")
    return render(ui.request, "error_payload.html", {"nav": "error-log", "entry": entry}, ui=ui)


@router.get("/error-log/{entry_id}/support-case", response_class=HTMLResponse)
def support_case_page(ui: UiDep, entry_id: int) -> Response:
    entry = _entry(ui, entry_id)
    first_seen, occurrences = logs.occurrences(ui.session, entry)
    creds = districts.credentials(ui.district, server_url(ui.request))
    outcome = logs.sync_outcome(ui.session, ui.district.id, entry.error_at) if "/sync/" in entry.path else None
    fields = support_case.draft(entry, ui.district, creds, first_seen=first_seen, occurrences=occurrences,
                                sync_outcome=outcome)
    return render(ui.request, "support_case.html", {
        "nav": "error-log", "entry": entry, "fields": fields, "all_text": support_case.as_text(fields),
        "verdict": support_case.assess(entry),
    }, ui=ui)


@router.get("/support-case/scenario.json")
def support_case_attachment(ui: UiDep) -> Response:
    """The support case's attachment (MOCK-12): the district as a scenario document support can load to see what
    Campus held, every SSN left out (it leaves this machine)."""
    document = scenario_export.export(ui.session, ui.district, with_ssn=False)
    filename = f"{ui.app_name}-scenario.json"
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
