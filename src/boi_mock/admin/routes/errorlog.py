"""Business Office Error Log (ERR-1): filter by date and path, the masked payload, and a support-case draft."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy import func, select

from boi_mock import models as m
from boi_mock.admin import support_case
from boi_mock.admin.deps import Ui, UiDep, server_url
from boi_mock.admin.render import render
from boi_mock.errors import NotFound
from boi_mock.services import districts, logs

router = APIRouter()
PAGE_SIZE = 100


def _entry(ui: Ui, entry_id: int) -> m.ErrorLogEntry:
    entry = ui.session.get(m.ErrorLogEntry, entry_id)
    if entry is None or entry.district_id != ui.district.id:
        raise NotFound(f"Error Log entry {entry_id} does not exist", code="error_log_entry_not_found")
    return entry


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
    same = (m.ErrorLogEntry.district_id == ui.district.id, m.ErrorLogEntry.path == entry.path,
            m.ErrorLogEntry.action == entry.action, m.ErrorLogEntry.status == entry.status,
            (m.ErrorLogEntry.code == entry.code) if entry.code is not None else m.ErrorLogEntry.code.is_(None))
    first_seen, occurrences = ui.session.execute(
        select(func.min(m.ErrorLogEntry.error_at), func.count(m.ErrorLogEntry.id)).where(*same)).one()
    creds = districts.credentials(ui.district, server_url(ui.request))
    fields = support_case.draft(entry, ui.district, creds, first_seen=first_seen or entry.error_at,
                                occurrences=int(occurrences or 1))
    return render(ui.request, "support_case.html", {
        "nav": "error-log", "entry": entry, "fields": fields, "all_text": support_case.as_text(fields),
    }, ui=ui)
