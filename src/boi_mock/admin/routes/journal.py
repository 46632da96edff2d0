"""The request journal (MOCK-9) in the Campus UI, as WireMock's admin view shows its requests: every BOI call of
the district, newest first, with the district clock's time, method, path, status, duration and the rule IDs that
fired; filters, numbered pages, and each call's masked bodies on a page of its own. Not a Campus screen: a mock
tool, beside the Error Log (which shows only the failed calls)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import UiDep
from boi_mock.admin.paging import Pager
from boi_mock.admin.render import render
from boi_mock.services import logs

router = APIRouter()
PAGE = 50
METHODS = ("GET", "POST", "PUT", "DELETE")

Method = Literal["", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
StatusClass = Literal["", "2xx", "3xx", "4xx", "5xx", "dropped"]
Text = Annotated[str, Query(max_length=200)]


@router.get("/journal", response_class=HTMLResponse)
def journal_page(ui: UiDep, method: Method = "", status: StatusClass = "", path: Text = "", rule: Text = "",
                 staff: Text = "", page: Annotated[int, Query(ge=1, le=10**9)] = 1) -> Response:
    filters = logs.JournalFilter(method=method or None, status_class=status or None, path=path.strip() or None,
                                 rule=rule.strip().upper() or None, staff_number=staff.strip() or None)
    query = {"method": method, "status": status, "path": path, "rule": rule, "staff": staff}
    shown = {k: v for k, v in query.items() if v}
    total = logs.journal_count(ui.session, ui.district.id, filters)
    pager = Pager.of(total, page, PAGE, lambda n: ui.links("journal", **shown, page=n if n > 1 else None))
    rows = logs.journal_page(ui.session, ui.district.id, filters, limit=PAGE, offset=pager.offset)
    return render(ui.request, "journal.html", {
        "nav": "journal", "rows": rows, "total": total, "paging": pager, "filters": query, "filtered": bool(shown),
        "methods": METHODS, "status_classes": [c for c in logs.STATUS_CLASSES],
    }, ui=ui)


@router.get("/journal/{entry_id}", response_class=HTMLResponse)
def journal_entry_page(ui: UiDep, entry_id: int) -> Response:
    entry = logs.journal_entry(ui.session, ui.district.id, entry_id)
    return render(ui.request, "journal_entry.html", {"nav": "journal", "entry": entry}, ui=ui)
