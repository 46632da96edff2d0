"""Transfer Staff Via File Upload: a JSON array of staff member objects, or a CSV with the same columns.

CSV (decided): one row per staff member with the staff member's columns (staffNumber, lastName, …),
one employment (hireDate, terminationDate), one position (schoolNumber, assignmentCode, titleCode,
titleDescription, startDate, endDate) and one household address (fullStreetAddress or the parts,
city, state, zip, county; householdName, householdPhone). More rows with the same staffNumber add
employments and positions. A column may instead hold the JSON of `employments`, `positions` or
`household`. An empty cell is an absent property. The objects then go through the same checks as
the API's transfer (SYNC-2).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from boi_mock.admin.csv_export import SafeDictWriter
from boi_mock.domain.demographics import DEMOGRAPHICS
from boi_mock.errors import BadRequest, FieldError

STAFF_COLUMNS = ("staffNumber", *(f.wire for f in DEMOGRAPHICS))
EMPLOYMENT_COLUMNS = ("hireDate", "terminationDate")
POSITION_COLUMNS = ("schoolNumber", "assignmentCode", "titleCode", "titleDescription", "startDate", "endDate")
ADDRESS_COLUMNS = ("fullStreetAddress", "postOfficeBox", "number", "prefix", "street", "tag", "direction", "apt",
                   "city", "state", "zip", "county")
HOUSEHOLD_COLUMNS = ("householdName", "householdPhone")
JSON_COLUMNS = ("employments", "positions", "household")
CSV_COLUMNS = (STAFF_COLUMNS + EMPLOYMENT_COLUMNS + POSITION_COLUMNS + HOUSEHOLD_COLUMNS + ADDRESS_COLUMNS
               + JSON_COLUMNS)
MAX_BYTES = 20 * 1024 * 1024


def template_csv() -> str:
    """A header plus one example row (the guide's basketball coach)."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=[c for c in CSV_COLUMNS if c not in JSON_COLUMNS])
    writer.writeheader()
    writer.writerow({"staffNumber": "10058", "lastName": "SIMPSON", "firstName": "PAT", "gender": "F",
                     "birthdate": "1979-12-26", "workEmail": "psimpson@school.k12.mo.us",
                     "hireDate": "2020-08-01", "schoolNumber": "010", "assignmentCode": "20",
                     "titleCode": "4A61E262", "titleDescription": "Varsity Basketball", "startDate": "2023-10-01",
                     "fullStreetAddress": "4321 South Lexington Ave SE Apt 45", "city": "Blaine", "state": "MN",
                     "zip": "55123"})
    return out.getvalue()


def parse(filename: str, raw: bytes) -> list[dict[str, Any]]:
    """The staff member objects of an uploaded file (JSON array, or CSV by extension or content)."""
    if not raw.strip():
        raise BadRequest("The file is empty", code="empty_file")
    if len(raw) > MAX_BYTES:
        raise BadRequest(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB", code="payload_too_large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest("The file is not UTF-8 text", code="invalid_file") from exc
    # The extension decides; without a known one, what the file starts with does (a .json file that is not
    # JSON is malformed JSON, never a CSV with odd columns).
    name = filename.lower()
    if name.endswith(".csv") or (not name.endswith(".json") and not text.lstrip().startswith(("[", "{"))):
        return _parse_csv(text)
    return _parse_json(text, filename or "the file")


def _parse_json(text: str, filename: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"Malformed JSON: {filename} is not valid JSON ({exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}); nothing was transferred", code="malformed_json") from exc
    if not isinstance(data, list):
        raise BadRequest("The JSON file must hold an array of staff member objects", code="invalid_file")
    bad = [i for i, item in enumerate(data) if not isinstance(item, dict)]
    if bad:
        raise BadRequest(f"Item [{bad[0]}] is not a staff member object", code="invalid_file",
                         errors=[FieldError(f"[{i}]", "invalid_value", "not an object") for i in bad[:50]])
    return data


def _json_cell(value: str, column: str, line: int) -> Any:
    try:
        return json.loads(value)
    except ValueError as exc:
        raise BadRequest(f"CSV line {line}: column {column} is not valid JSON", code="invalid_file") from exc


def _parse_csv(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if unknown:
        raise BadRequest(f"Unknown CSV column(s): {', '.join(unknown)}", code="unknown_property",
                         errors=[FieldError(h, "unknown_property", f"Unknown column {h!r}") for h in unknown])
    if "staffNumber" not in header:
        raise BadRequest("The CSV needs a staffNumber column", code="invalid_file")
    reader.fieldnames = header
    by_number: dict[str, dict[str, Any]] = {}
    order: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue
        number = cells.get("staffNumber", "")
        item = by_number.get(number) if number else None
        if item is None:
            item = {c: cells[c] for c in STAFF_COLUMNS if cells.get(c)}
            order.append(item)
            if number:
                by_number[number] = item
        _add_row(item, cells, line)
    return order


def _add_row(item: dict[str, Any], cells: dict[str, str], line: int) -> None:
    for column in JSON_COLUMNS:
        if cells.get(column):
            value = _json_cell(cells[column], column, line)
            if column == "household":
                item["household"] = value
            else:
                item.setdefault(column, [])
                item[column].extend(value if isinstance(value, list) else [value])
    employment = {c: cells[c] for c in EMPLOYMENT_COLUMNS if cells.get(c)}
    if employment and employment not in item.get("employments", []):
        item.setdefault("employments", []).append(employment)
    position = {c: cells[c] for c in POSITION_COLUMNS if cells.get(c)}
    if position:
        item.setdefault("positions", []).append(position)
    address: dict[str, Any] = {c: cells[c] for c in ADDRESS_COLUMNS if cells.get(c)}
    if "postOfficeBox" in address:
        address["postOfficeBox"] = address["postOfficeBox"].lower() in ("true", "1", "yes", "y")
    household: dict[str, Any] = {}
    if cells.get("householdName"):
        household["name"] = cells["householdName"]
    if cells.get("householdPhone"):
        household["phone"] = cells["householdPhone"]
    if address:
        household["householdLocations"] = [{"address": address}]
    if household and "household" not in item:
        item["household"] = household
