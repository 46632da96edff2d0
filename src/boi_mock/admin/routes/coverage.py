"""Contract Coverage (MOCK-11): which rules, error codes and operations this district's BOI calls exercised.

A checklist grouped by the guide's sections, the rules never exercised first, each with one sentence on how
to exercise it; then the operations with their statuses and the error codes. "Start again" clears the counters
(like `DELETE /_mock/districts/{appName}/coverage`).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import UiDep
from boi_mock.admin.render import redirect, render
from boi_mock.domain.coverage import SECTIONS
from boi_mock.services import coverage

router = APIRouter()


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(ui: UiDep) -> Response:
    found = coverage.of_district(ui.session, ui.district)
    sections = []
    for section in SECTIONS:
        rules = [rule for rule in found.rules if rule.section == section]
        # Never exercised first (the to-do list), then the exercised ones, each group in the contract's order.
        ordered = [rule for rule in rules if not rule.hits] + [rule for rule in rules if rule.hits]
        sections.append({"name": section, "rules": ordered, "exercised": sum(1 for rule in rules if rule.hits)})
    return render(ui.request, "coverage.html", {
        "nav": "coverage", "coverage": found, "sections": sections,
        "operations_called": sum(1 for op in found.operations if op.hits),
        "codes_seen": sum(1 for code in found.error_codes if code.hits),
    }, ui=ui)


@router.post("/coverage/clear")
def clear_coverage(ui: UiDep) -> Response:
    coverage.clear(ui.session, ui.district)
    return redirect(ui.request, ui.links("coverage"), notice="Coverage cleared: counting starts again.")
