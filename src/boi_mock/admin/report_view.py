"""The Staff Synchronization Validation Report as the guide prints it, and its CSV download.

Input is the report JSON of SYNC-4 (boi_mock/domain/sync_report.py builds it); nothing is recomputed
here. The HTML shows the first 100 rows per section, as the guide's report does; CSV and JSON hold all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from boi_mock.admin.csv_export import SafeDictWriter
from boi_mock.domain.display import display_date

SHOWN = 100
BY_FIELD_LABELS = (("ssn", "SSN"), ("staffNumber", "Staff Number"), ("name", "Name"), ("gender", "Gender"),
                   ("personalEmail", "Personal Email"), ("workEmail", "Work Email"), ("cellPhone", "Cell Phone"),
                   ("otherPhone", "Other Phone"), ("workPhone", "Work Phone"), ("birthdate", "Birth Date"))
SUMMARY_LABELS = (("employmentDifferences", "District Employment differences"),
                  ("assignmentDifferences", "District Assignment differences"),
                  ("addressDifferences", "Address differences"),
                  ("hrStaffNotInCampus", "HR staff NOT in Campus"),
                  ("campusStaffNotInHr", "Campus staff NOT in HR"),
                  ("campusDuplicateStaffNumbers", "Campus staff with duplicate staff numbers"),
                  ("campusStaffWithoutStaffNumber", "Campus staff with no staff number"))
# Demographic columns: (label, wire field, the `fields` entry that marks a difference).
DEMOGRAPHIC_COLUMNS = (("Last Name", "lastName", "name"), ("First Name", "firstName", "name"),
                       ("Middle Name", "middleName", "name"), ("G", "gender", "gender"), ("SSN", "ssn", "ssn"),
                       ("Birth Date", "birthdate", "birthdate"), ("Work Email", "workEmail", "workEmail"),
                       ("Personal Email", "personalEmail", "personalEmail"), ("Work Phone", "workPhone", "workPhone"),
                       ("Cell Phone", "cellPhone", "cellPhone"), ("Other Phone", "otherPhone", "otherPhone"))
PERSON_COLUMNS = (("Staff Number", "staffNumber"), ("Last Name", "lastName"), ("First Name", "firstName"),
                  ("Middle Name", "middleName"), ("G", "gender"), ("Birth Date", "birthdate"),
                  ("Positions", "positions"), ("Employments", "employments"))


@dataclass
class Cell:
    text: str
    differs: bool = False


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    # Each entry is one staff member: one row, or a Campus row over an HR row.
    entries: list[list[tuple[str, list[Cell]]]] = field(default_factory=list)
    total: int = 0
    person_ids: list[int | None] = field(default_factory=list)
    note: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _shown(field_name: str, value: Any) -> str:
    """A cell on the page: a birth date in the one display format, anything else as text."""
    return display_date(value) if field_name == "birthdate" else _text(value)


def address_text(a: dict[str, Any]) -> str:
    if a.get("fullStreetAddress"):
        street = str(a["fullStreetAddress"])
    elif a.get("postOfficeBox"):
        street = f"PO Box {a.get('number') or ''}".strip()
    else:
        street = " ".join(_text(a.get(k)) for k in ("number", "prefix", "street", "tag", "direction") if a.get(k))
        if a.get("apt"):
            street += f" #{a['apt']}"
    place = ", ".join(p for p in (_text(a.get("city")), _text(a.get("state"))) if p)
    return ", ".join(p for p in (street, f"{place} {_text(a.get('zip'))}".strip()) if p)


def _iso(value: Any) -> str:
    """The CSV keeps the report's ISO dates (a spreadsheet reads them); the page shows display_date's."""
    return _text(value)


def _employments(rows: list[dict[str, Any]], day: Any = _iso) -> str:
    return "; ".join(f"{day(r.get('hireDate')) or '?'} - {day(r.get('terminationDate')) or ''}".strip()
                     for r in rows) or "none"


def _positions(rows: list[dict[str, Any]], day: Any = _iso) -> str:
    parts = []
    for r in rows:
        codes = "/".join(_text(r.get(k)) for k in ("assignmentCode", "titleCode") if r.get(k))
        linked = " (linked)" if r.get("linked") else ""
        parts.append(f"{r.get('schoolNumber')} {codes} {day(r.get('startDate')) or '?'} - {day(r.get('endDate')) or ''}"
                     .strip() + linked)
    return "; ".join(parts) or "none"


def _addresses(rows: list[dict[str, Any]]) -> str:
    return "; ".join(address_text(a) for a in rows) or "none"


def _demographics(rows: list[dict[str, Any]]) -> Section:
    section = Section("demographicDifferences", "Demographic Differences",
                      ["System", "Staff Number", *[c[0] for c in DEMOGRAPHIC_COLUMNS]])
    for row in rows[:SHOWN]:
        fields = set(row.get("fields", []))
        campus, hr = row.get("campus", {}), row.get("hr", {})
        # The guide's "name" difference covers three columns: mark the ones that differ (as IDENT-3 compares).
        marked = {wire for _label, wire, marker in DEMOGRAPHIC_COLUMNS if marker in fields and (
            marker != "name" or _text(campus.get(wire)).casefold() != _text(hr.get(wire)).casefold())}
        campus_cells = [Cell(_text(row.get("staffNumber")))] + [
            Cell(_shown(wire, campus.get(wire)), wire in marked) for _label, wire, _marker in DEMOGRAPHIC_COLUMNS]
        hr_cells = [Cell(_text(row.get("staffNumber")))] + [
            Cell(_shown(wire, hr.get(wire)) if wire in hr else "", wire in marked and wire in hr)
            for _label, wire, _marker in DEMOGRAPHIC_COLUMNS]
        section.entries.append([("Campus", campus_cells), ("HR", hr_cells)])
        section.person_ids.append(row.get("personID"))
    return section


def _paired(key: str, title: str, column: str, rows: list[dict[str, Any]], fmt: Any, note: str = "") -> Section:
    section = Section(key, title, ["System", "Staff Number", column], note=note)
    for row in rows[:SHOWN]:
        number = _text(row.get("staffNumber"))
        entry = [("Campus", [Cell(number), Cell(fmt(row.get("campus", [])))]),
                 ("HR", [Cell(number), Cell(fmt(row.get("hr", [])), True)])]
        if row.get("linkedPositionsRemoved"):
            entry.append(("Blocked", [Cell(number), Cell("Linked position(s) the HR list leaves out: "
                                                         + _positions(row["linkedPositionsRemoved"], display_date)
                                                         + " → this staff member's commit fails (POS-8)", True)]))
        section.entries.append(entry)
        section.person_ids.append(row.get("personID"))
    return section


def _persons(key: str, title: str, rows: list[dict[str, Any]], *, extra: tuple[str, str] | None = None) -> Section:
    columns = list(PERSON_COLUMNS) + ([extra] if extra else [])
    section = Section(key, title, [c[0] for c in columns])
    for row in rows[:SHOWN]:
        section.entries.append([("", [Cell(_shown(k, row.get(k))) for _label, k in columns])])
        section.person_ids.append(row.get("personID"))
    return section


def _addresses_to_add(rows: list[dict[str, Any]]) -> Section:
    section = Section("addressesToAdd", "Addresses to Add", ["Address", "Staff Numbers"])
    for row in rows[:SHOWN]:
        section.entries.append([("", [Cell(address_text(row.get("address", {}))),
                                      Cell(", ".join(row.get("staffNumbers", [])))])])
        section.person_ids.append(None)
    return section


def sections(report: dict[str, Any]) -> list[Section]:
    details: dict[str, list[dict[str, Any]]] = report.get("details", {})

    def rows(key: str) -> list[dict[str, Any]]:
        return details.get(key, [])

    out = [
        _demographics(rows("demographicDifferences")),
        _paired("employmentDifferences", "District Employment Differences", "Employments (hire - termination)",
                rows("employmentDifferences"), lambda r: _employments(r, display_date)),
        _paired("assignmentDifferences", "District Assignment Differences",
                "District assignments (school assignment/title start - end)", rows("assignmentDifferences"),
                lambda r: _positions(r, display_date)),
        _paired("addressDifferences", "Address Differences", "Current addresses", rows("addressDifferences"),
                _addresses, note="An address spelled differently that matches the Campus address is no difference."),
        _persons("hrStaffNotInCampus", "HR Staff NOT in Campus (staff to add)", rows("hrStaffNotInCampus")),
        _persons("campusStaffNotInHr", "Campus Staff NOT in HR", rows("campusStaffNotInHr")),
        _persons("campusDuplicateStaffNumbers", "Campus Staff with Duplicate Staff Numbers",
                 rows("campusDuplicateStaffNumbers"), extra=("In HR", "inHr")),
        _persons("campusStaffWithoutStaffNumber", "Campus Staff with No Staff Number",
                 rows("campusStaffWithoutStaffNumber")),
        _addresses_to_add(rows("addressesToAdd")),
    ]
    for section in out:
        section.total = len(rows(section.key))
    return out


def check_sections(check: dict[str, Any]) -> list[Section]:
    """Check Campus Data (SYNC-9): the two lists the district must fix in Campus."""
    details: dict[str, list[dict[str, Any]]] = check.get("details", {})
    out = [_persons("campusDuplicateStaffNumbers", "Campus Staff with Duplicate Staff Numbers",
                    details.get("campusDuplicateStaffNumbers", [])),
           _persons("campusStaffWithoutStaffNumber", "Campus Staff with No Staff Number",
                    details.get("campusStaffWithoutStaffNumber", []))]
    for section in out:
        section.total = len(details.get(section.key, []))
    return out


CSV_COLUMNS = ("section", "system", "staffNumber", "personID", "lastName", "firstName", "middleName", "gender",
               "ssn", "birthdate", "workEmail", "personalEmail", "workPhone", "cellPhone", "otherPhone",
               "differences", "employments", "positions", "addresses", "count")


def to_csv(report: dict[str, Any]) -> str:
    """Every row of the report (not only the first 100), one line per system side; HR's text cannot run as a
    formula in a spreadsheet (`csv_export`)."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    summary = report.get("summary", {})
    demo = summary.get("demographicDifferences", {})
    writer.writerow({"section": "summary", "system": "demographicDifferences", "count": demo.get("total", 0)})
    for key, _label in BY_FIELD_LABELS:
        writer.writerow({"section": "summary", "system": f"demographicDifferences.{key}",
                         "count": demo.get("byField", {}).get(key, 0)})
    for key, _label in SUMMARY_LABELS:
        writer.writerow({"section": "summary", "system": key, "count": summary.get(key, 0)})
    details: dict[str, list[dict[str, Any]]] = report.get("details", {})
    for row in details.get("demographicDifferences", []):
        for side in ("campus", "hr"):
            writer.writerow({"section": "demographicDifferences", "system": side, "staffNumber": row.get("staffNumber"),
                             "personID": row.get("personID"), "differences": " ".join(row.get("fields", [])),
                             **row.get(side, {})})
    for key, column, fmt in (("employmentDifferences", "employments", _employments),
                             ("assignmentDifferences", "positions", _positions),
                             ("addressDifferences", "addresses", _addresses)):
        for row in details.get(key, []):
            for side in ("campus", "hr"):
                writer.writerow({"section": key, "system": side, "staffNumber": row.get("staffNumber"),
                                 "personID": row.get("personID"), column: fmt(row.get(side, []))})
    for key in ("hrStaffNotInCampus", "campusStaffNotInHr", "campusDuplicateStaffNumbers",
                "campusStaffWithoutStaffNumber", "staffToAdd"):
        for row in details.get(key, []):
            writer.writerow({"section": key, "system": "hr" if key in ("hrStaffNotInCampus", "staffToAdd")
                             else "campus", **{k: v for k, v in row.items() if k in CSV_COLUMNS}})
    for row in details.get("addressesToAdd", []):
        writer.writerow({"section": "addressesToAdd", "system": "hr", "addresses": address_text(row.get("address", {})),
                         "staffNumber": " ".join(row.get("staffNumbers", []))})
    return out.getvalue()
