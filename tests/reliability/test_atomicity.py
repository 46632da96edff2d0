"""Atomicity under bad input: a rejected BOI write changes nothing, anywhere in the district (CONTRACT §1).

For every BOI write operation (create and update a staff member, add and update a position, and the
sync steps start/transfer/end/validate/commit/submitCommitJob) a table of bad requests: wrong types,
missing required fields, unknown codes, 10,000-character strings, control characters, deeply nested
JSON, a 6 MB body (declared and chunked), wrong content types, impossible dates, malformed JSON,
lone surrogates, state conflicts. Many mix a valid change (a new name, a new title code, a new
employment, a household move) with one bad part, so a half-applied request would show.

Each case asserts the documented status and stable code as problem+json, that every row of every
district table (all models with a `district_id`, and the district row; only the Error Log and the
request journal may grow) is identical before and after, and that the Error Log got exactly one row
for the call (ERR-1) with no full SSN in it.

SQL and HTML injection strings are valid strings: they are stored verbatim, found by exact search
(bound parameters, not SQL), returned as JSON, and shown escaped in the Campus UI.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.reliability.support import district_snapshot, district_tables, engine_for, snapshot_diff
from tests.support import District, create_district, staff_payload

LONG = "x" * 10_000
DEEP = ('{"lastName":' + "[" * 50_000 + "]" * 50_000 + "}").encode()
DEEP_ARRAY = ("[" * 50_000 + "]" * 50_000).encode()
SIX_MB = b'{"lastName":"' + b"a" * (6 * 1024 * 1024) + b'"}'
SSN_DIGITS = "123456789"
POSITION = {"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262", "startDate": "2023-10-01"}
NEW_TITLE = {"schoolNumber": "010", "assignmentCode": "20", "titleCode": "NEWTITLE1", "titleDescription": "New",
             "startDate": "2024-01-01"}
HOUSEHOLD = {"householdLocations": [{"address": {"fullStreetAddress": "12 New Street", "city": "Springfield",
                                                 "state": "MO", "zip": "65806"}}]}
# Brown (10058) holds a linked position (POS-8); Doughty (10060) an ordinary one at school 020.
LINKED = "10058"
PLAIN = "10060"
PLAIN_POSITION = {"schoolNumber": "020", "assignmentCode": "30", "titleCode": "1C9E55A0", "startDate": "2012-08-13"}


def _chunks(data: bytes, size: int = 256 * 1024) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        for i in range(0, len(data), size):
            yield data[i:i + size]
    return gen


@dataclass(frozen=True)
class Bad:
    """One bad request and what it must answer."""

    id: str
    method: str
    path: str
    body: Any = None
    raw: bytes | Callable[[], Iterator[bytes]] | None = None
    content_type: str = "application/json"
    status: int = 400
    code: str = "invalid_value"
    state: str = "staff"
    extra: dict[str, Any] = field(default_factory=dict)


def _shape_cases(prefix: str, method: str, path: str, state: str = "staff", *,
                 array_body: bool = False) -> list[Bad]:
    """Bad shapes every JSON write shares: deep nesting, 6 MB, content types, malformed JSON, …"""
    good: Any = [staff_payload("55590")] if array_body else staff_payload("55590")
    encoded = json.dumps(good).encode()
    return [
        Bad(f"{prefix}-deeply-nested-json", method, path, raw=DEEP_ARRAY if array_body else DEEP,
            code="invalid_request", state=state),
        Bad(f"{prefix}-6mb-body", method, path, raw=SIX_MB, status=413, code="payload_too_large", state=state),
        Bad(f"{prefix}-6mb-body-chunked", method, path, raw=_chunks(SIX_MB), status=413, code="payload_too_large",
            state=state),
        Bad(f"{prefix}-text-plain", method, path, raw=encoded, content_type="text/plain", status=415,
            code="unsupported_media_type", state=state),
        Bad(f"{prefix}-form-urlencoded", method, path, raw=b"staffNumber=1&lastName=x",
            content_type="application/x-www-form-urlencoded", status=415, code="unsupported_media_type", state=state),
        Bad(f"{prefix}-xml", method, path, raw=b"<staffMember/>", content_type="application/xml", status=415,
            code="unsupported_media_type", state=state),
        Bad(f"{prefix}-malformed-json", method, path, raw=encoded[:-3], code="invalid_request", state=state),
        Bad(f"{prefix}-empty-body", method, path, raw=b"", code="missing_field", state=state),
        Bad(f"{prefix}-lone-surrogate", method, path,
            raw=(b'[{"staffNumber":"55591","lastName":"\\ud800","firstName":"x"}]' if array_body else
                 b'{"staffNumber":"55591","lastName":"\\ud800","firstName":"x","schoolNumber":"\\udfff"}'),
            code="invalid_request" if not array_body else "invalid_value", state=state),
        Bad(f"{prefix}-nan-literal", method, path,
            raw=b'[{"staffNumber":"55592","lastName":NaN}]' if array_body else b'{"lastName":NaN,"startDate":NaN}',
            code="invalid_value" if array_body else "invalid_request", state=state),
    ]


def _staff(**changes: Any) -> dict[str, Any]:
    return staff_payload("55501", **{"household": HOUSEHOLD, **changes})


CREATE = "/staffMembers"
CASES: list[Bad] = [
    # POST /staffMembers (STAFF-5)
    Bad("create-lastname-number", "POST", CREATE, _staff(lastName=123)),
    Bad("create-positions-not-a-list", "POST", CREATE, _staff(positions="010")),
    Bad("create-birthdate-integer", "POST", CREATE, _staff(birthdate=19791226)),
    Bad("create-hiredate-boolean", "POST", CREATE, _staff(employments=[{"hireDate": True}])),
    Bad("create-household-a-string", "POST", CREATE, _staff(household="4321 Main St")),
    Bad("create-body-an-array", "POST", CREATE, [_staff()]),
    Bad("create-body-null", "POST", CREATE, raw=b"null"),
    Bad("create-missing-lastname", "POST", CREATE, {k: v for k, v in _staff().items() if k != "lastName"},
        code="missing_field"),
    Bad("create-missing-staffnumber", "POST", CREATE, {k: v for k, v in _staff().items() if k != "staffNumber"},
        code="missing_field"),
    Bad("create-unknown-school", "POST", CREATE, _staff(positions=[NEW_TITLE, {**POSITION, "schoolNumber": "999"}]),
        code="unknown_school"),
    Bad("create-unknown-assignment-code", "POST", CREATE,
        _staff(positions=[NEW_TITLE, {**POSITION, "assignmentCode": "77"}]), code="unknown_assignment_code"),
    Bad("create-unknown-gender", "POST", CREATE, _staff(gender="Q", positions=[NEW_TITLE]), code="unknown_gender"),
    Bad("create-position-without-title-or-assignment", "POST", CREATE,
        _staff(positions=[NEW_TITLE, {"schoolNumber": "010", "startDate": "2020-01-01"}]),
        code="title_or_assignment_required"),
    Bad("create-lastname-10k-chars", "POST", CREATE, _staff(lastName=LONG)),
    Bad("create-title-description-10k-chars", "POST", CREATE,
        _staff(positions=[{**NEW_TITLE, "titleDescription": LONG}])),
    Bad("create-street-10k-chars", "POST", CREATE, _staff(household={"householdLocations": [
        {"address": {"fullStreetAddress": "1 " + LONG, "city": "Springfield", "state": "MO"}}]})),
    Bad("create-street-name-too-wide-for-its-column", "POST", CREATE, _staff(household={"householdLocations": [
        {"address": {"fullStreetAddress": "1 " + "A" * 190 + " St", "city": "Springfield", "state": "MO"}}]})),
    Bad("create-control-character-bell", "POST", CREATE, _staff(firstName="Pat\x07")),
    Bad("create-control-character-ansi-escape", "POST", CREATE, _staff(lastName="\x1b[31mRed")),
    Bad("create-nul-byte", "POST", CREATE, _staff(workEmail="a\x00@b.c")),
    Bad("create-nul-in-property-name", "POST", CREATE, {**_staff(), "\x00": 1}, code="unknown_property"),
    Bad("create-unknown-property", "POST", CREATE, _staff(salary=100000), code="unknown_property"),
    Bad("create-birthdate-february-30", "POST", CREATE, _staff(birthdate="2026-02-30")),
    Bad("create-hiredate-month-13", "POST", CREATE, _staff(employments=[{"hireDate": "2026-13-01"}])),
    Bad("create-startdate-february-30", "POST", CREATE, _staff(positions=[{**POSITION, "startDate": "2026-02-30"}])),
    Bad("create-date-with-time", "POST", CREATE, _staff(birthdate="1979-12-26T10:00:00")),
    Bad("create-staffnumber-with-symbols", "POST", CREATE, _staff(staffNumber="12-34'")),
    Bad("create-staffnumber-21-chars", "POST", CREATE, _staff(staffNumber="1" * 21)),
    Bad("create-ssn-too-short", "POST", CREATE, _staff(ssn="12345")),
    Bad("create-existing-staff-number", "POST", CREATE, staff_payload(LINKED, household=HOUSEHOLD,
                                                                       positions=[NEW_TITLE]),
        status=409, code="staff_exists"),
    Bad("create-address-parts-conflict", "POST", CREATE, _staff(household={"householdLocations": [
        {"address": {"fullStreetAddress": "1 Main St", "street": "Main", "city": "X", "state": "MO"}}]}),
        code="address_parts_conflict"),
    Bad("create-po-box-with-street", "POST", CREATE, _staff(household={"householdLocations": [
        {"address": {"postOfficeBox": True, "number": "12", "street": "Main", "city": "X", "state": "MO"}}]}),
        code="po_box_with_street_parts"),
    Bad("create-unparseable-address", "POST", CREATE, _staff(household={"householdLocations": [
        {"address": {"fullStreetAddress": "Corner of Main and Elm", "city": "X", "state": "MO"}}]}),
        code="unparseable_address"),
    *_shape_cases("create", "POST", CREATE),
    # PUT /staffMembers/{staffNumber} (STAFF-6): a name change (IDENT-1) plus one bad part.
    Bad("update-rename-with-unknown-school", "PUT", f"/staffMembers/{PLAIN}",
        {"lastName": "Renamed", "employments": [{"hireDate": "2021-01-01"}],
         "positions": [PLAIN_POSITION, {**POSITION, "schoolNumber": "999"}]}, code="unknown_school"),
    Bad("update-rename-removing-a-linked-position", "PUT", f"/staffMembers/{LINKED}",
        {"lastName": "Renamed", "household": HOUSEHOLD, "positions": [NEW_TITLE]}, status=409,
        code="position_in_use"),
    Bad("update-rename-with-unknown-gender", "PUT", f"/staffMembers/{PLAIN}",
        {"lastName": "Renamed", "gender": "Q", "household": HOUSEHOLD}, code="unknown_gender"),
    Bad("update-rename-with-unparseable-address", "PUT", f"/staffMembers/{PLAIN}",
        {"lastName": "Renamed", "household": {"householdLocations": [
            {"address": {"fullStreetAddress": "Main Street", "city": "X", "state": "MO"}}]}},
        code="unparseable_address"),
    Bad("update-staff-number-mismatch", "PUT", f"/staffMembers/{PLAIN}", {"staffNumber": "10062", "lastName": "X"},
        code="staff_number_mismatch"),
    Bad("update-unknown-staff-number", "PUT", "/staffMembers/99999", {"lastName": "X"}, status=404,
        code="staff_not_found"),
    Bad("update-clear-lastname", "PUT", f"/staffMembers/{PLAIN}", {"lastName": None, "firstName": "New"}),
    Bad("update-blank-firstname", "PUT", f"/staffMembers/{PLAIN}", {"lastName": "New", "firstName": "   "}),
    Bad("update-firstname-object", "PUT", f"/staffMembers/{PLAIN}", {"lastName": "New", "firstName": {"a": 1}}),
    Bad("update-middlename-10k-chars", "PUT", f"/staffMembers/{PLAIN}", {"lastName": "New", "middleName": LONG}),
    Bad("update-control-character", "PUT", f"/staffMembers/{PLAIN}", {"lastName": "New", "cellPhone": "555\x08"}),
    Bad("update-hiredate-february-30", "PUT", f"/staffMembers/{PLAIN}",
        {"lastName": "New", "employments": [{"hireDate": "2026-02-30"}]}),
    Bad("update-unknown-property", "PUT", f"/staffMembers/{PLAIN}", {"lastName": "New", "nickName": "P"},
        code="unknown_property"),
    *_shape_cases("update", "PUT", f"/staffMembers/{PLAIN}"),
    # POST /staffMembers/{staffNumber}/position (POS-6): a new title code (POS-5) plus one bad part.
    Bad("add-position-unknown-school", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "schoolNumber": "999"}, code="unknown_school"),
    Bad("add-position-unknown-assignment", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "assignmentCode": "77"}, code="unknown_assignment_code"),
    Bad("add-position-missing-school", "POST", f"/staffMembers/{PLAIN}/position",
        {k: v for k, v in NEW_TITLE.items() if k != "schoolNumber"}, code="missing_field"),
    Bad("add-position-no-title-or-assignment", "POST", f"/staffMembers/{PLAIN}/position",
        {"schoolNumber": "010", "startDate": "2024-01-01"}, code="title_or_assignment_required"),
    Bad("add-position-unknown-staff", "POST", "/staffMembers/99999/position", NEW_TITLE, status=404,
        code="staff_not_found"),
    Bad("add-position-startdate-february-30", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "startDate": "2026-02-30"}),
    Bad("add-position-title-description-10k", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "titleDescription": LONG}),
    Bad("add-position-title-code-control-character", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "titleCode": "T\x01"}),
    Bad("add-position-school-number-list", "POST", f"/staffMembers/{PLAIN}/position",
        {**NEW_TITLE, "schoolNumber": ["010"]}),
    *_shape_cases("add-position", "POST", f"/staffMembers/{PLAIN}/position"),
    # PUT /staffMembers/{staffNumber}/position (POS-7)
    Bad("update-position-no-match", "PUT", f"/staffMembers/{PLAIN}/position",
        {**PLAIN_POSITION, "startDate": "1999-01-01", "endDate": "2030-06-30"}, status=404,
        code="position_not_found"),
    Bad("update-position-unknown-school", "PUT", f"/staffMembers/{PLAIN}/position",
        {**PLAIN_POSITION, "schoolNumber": "999", "endDate": "2030-06-30"}, code="unknown_school"),
    Bad("update-position-enddate-february-30", "PUT", f"/staffMembers/{PLAIN}/position",
        {**PLAIN_POSITION, "endDate": "2030-02-30"}),
    Bad("update-position-title-description-not-allowed", "PUT", f"/staffMembers/{PLAIN}/position",
        {**PLAIN_POSITION, "endDate": "2030-06-30", "titleDescription": "x"}, code="unknown_property"),
    Bad("update-position-unknown-staff", "PUT", "/staffMembers/99999/position",
        {**PLAIN_POSITION, "endDate": "2030-06-30"}, status=404, code="staff_not_found"),
    Bad("update-position-school-10k", "PUT", f"/staffMembers/{PLAIN}/position",
        {**PLAIN_POSITION, "schoolNumber": LONG, "endDate": "2030-06-30"}),
    *_shape_cases("update-position", "PUT", f"/staffMembers/{PLAIN}/position"),
    # Staff synchronization (SYNC-1..7)
    Bad("sync-start-text-plain", "POST", "/staffMembers/sync/start", raw=b"go", content_type="text/plain",
        status=415, code="unsupported_media_type", state="sync_started"),
    Bad("sync-start-6mb-body", "POST", "/staffMembers/sync/start", raw=SIX_MB, status=413, code="payload_too_large",
        state="sync_started"),
    Bad("sync-transfer-one-bad-item-of-three", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001"), staff_payload("66002"),
         staff_payload("66003", positions=[{**POSITION, "schoolNumber": "999"}])],
        code="unknown_school", state="sync_started"),
    Bad("sync-transfer-same-number-twice", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001"), staff_payload("66001")], code="duplicate_staff_number", state="sync_started"),
    Bad("sync-transfer-number-already-staged", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66004"), staff_payload("60001")], code="duplicate_staff_number", state="sync_started"),
    Bad("sync-transfer-1001-items", "POST", "/staffMembers/sync/transfer",
        [staff_payload(f"7{i:04d}") for i in range(1001)], code="too_many_staff", state="sync_started"),
    Bad("sync-transfer-object-not-array", "POST", "/staffMembers/sync/transfer", staff_payload("66001"),
        state="sync_started"),
    Bad("sync-transfer-item-not-object", "POST", "/staffMembers/sync/transfer", [staff_payload("66001"), 5],
        state="sync_started"),
    Bad("sync-transfer-missing-staff-number", "POST", "/staffMembers/sync/transfer",
        [{k: v for k, v in staff_payload("66001").items() if k != "staffNumber"}], code="missing_field",
        state="sync_started"),
    Bad("sync-transfer-lastname-10k", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001"), staff_payload("66002", lastName=LONG)], state="sync_started"),
    Bad("sync-transfer-control-character", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001", lastName="A\x0bB")], state="sync_started"),
    Bad("sync-transfer-birthdate-february-30", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001", birthdate="2026-02-30")], state="sync_started"),
    Bad("sync-transfer-unknown-gender", "POST", "/staffMembers/sync/transfer",
        [staff_payload("66001", gender="Q")], code="unknown_gender", state="sync_started"),
    *_shape_cases("sync-transfer", "POST", "/staffMembers/sync/transfer", "sync_started", array_body=True),
    Bad("sync-transfer-after-end", "POST", "/staffMembers/sync/transfer", [staff_payload("66001")], status=409,
        code="sync_state_conflict", state="sync_ended"),
    Bad("sync-transfer-without-sync", "POST", "/staffMembers/sync/transfer", [staff_payload("66001")], status=409,
        code="sync_state_conflict", state="staff"),
    Bad("sync-end-nothing-transferred", "POST", "/staffMembers/sync/end", status=409, code="nothing_transferred",
        state="sync_started_empty"),
    Bad("sync-end-without-sync", "POST", "/staffMembers/sync/end", status=409, code="sync_state_conflict",
        state="staff"),
    Bad("sync-end-6mb-body", "POST", "/staffMembers/sync/end", raw=SIX_MB, status=413, code="payload_too_large",
        state="sync_started"),
    Bad("sync-validate-before-end", "POST", "/staffMembers/sync/validate", status=409, code="sync_state_conflict",
        state="sync_started"),
    Bad("sync-validate-text-plain", "POST", "/staffMembers/sync/validate", raw=b"x", content_type="text/plain",
        status=415, code="unsupported_media_type", state="sync_ended"),
    Bad("sync-commit-before-validate", "POST", "/staffMembers/sync/commit", status=409, code="sync_state_conflict",
        state="sync_ended"),
    Bad("sync-commit-stale-validation", "POST", "/staffMembers/sync/commit", status=409, code="validation_stale",
        state="sync_stale"),
    Bad("sync-submit-before-validate", "POST", "/staffMembers/sync/submitCommitJob", status=409,
        code="sync_state_conflict", state="sync_ended"),
    Bad("sync-submit-stale-validation", "POST", "/staffMembers/sync/submitCommitJob", status=409,
        code="validation_stale", state="sync_stale"),
    Bad("sync-submit-6mb-body", "POST", "/staffMembers/sync/submitCommitJob", raw=SIX_MB, status=413,
        code="payload_too_large", state="sync_stale"),
]


# --- districts in each starting state ---------------------------------------------------------------------


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _prepare(client: TestClient, state: str) -> District:
    district = create_district(client)
    if state == "staff":
        return district
    _ok(district.post("/staffMembers/sync/start"), 201)
    if state == "sync_started_empty":
        return district
    _ok(district.post("/staffMembers/sync/transfer", [staff_payload("60001"), staff_payload(LINKED)]))
    if state == "sync_started":
        return district
    _ok(district.post("/staffMembers/sync/end"))
    if state == "sync_ended":
        return district
    _ok(district.post("/staffMembers/sync/validate"))
    # A Campus write after the validation makes it stale (SYNC-5).
    _ok(district.put(f"/staffMembers/{PLAIN}", {"workPhone": "5550001111"}))
    assert state == "sync_stale", state
    return district


@pytest.fixture(scope="module")
def districts() -> dict[str, District]:
    """One district per starting state, made on first use and shared by the module's cases (a case that
    changed its district would fail its own snapshot comparison, so sharing cannot hide a defect)."""
    return {}


@pytest.fixture(scope="module")
def engine(database_url: str) -> Iterator[Engine]:
    with engine_for(database_url) as engine:
        yield engine


def _district_id(engine: Engine, app_name: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM district WHERE app_name = :a"), {"a": app_name}).scalar_one())


def _error_log(engine: Engine, district_id: int) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, status, code, error_message, payload FROM error_log WHERE district_id = :d ORDER BY id"),
            {"d": district_id})]


def _snapshot(engine: Engine, district_id: int) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return district_snapshot(conn, district_id)


def _send(district: District, case: Bad) -> Any:
    if case.raw is None and case.body is None:
        return district.call(case.method, case.path)
    if case.raw is None:
        return district.call(case.method, case.path, json=case.body)
    content = case.raw() if callable(case.raw) else case.raw
    return district.call(case.method, case.path, content=content, headers={"Content-Type": case.content_type})


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_rejected_write_changes_no_row_of_the_district_and_is_error_logged(
        case: Bad, client: TestClient, districts: dict[str, District], engine: Engine) -> None:
    district = districts.get(case.state)
    if district is None:
        district = districts[case.state] = _prepare(client, case.state)
    did = _district_id(engine, district.app_name)
    before = _snapshot(engine, did)
    log_before = _error_log(engine, did)

    response = _send(district, case)
    # The Error Log row is written after the answer; reads wait for it (the control API does, through this).
    client.app.state.journal_writer.settle()  # type: ignore[attr-defined]

    assert response.status_code == case.status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == case.status
    assert problem["code"] == case.code, problem
    after = _snapshot(engine, did)
    assert not snapshot_diff(before, after), snapshot_diff(before, after)
    log_after = _error_log(engine, did)
    new_rows = log_after[len(log_before):]
    assert len(new_rows) == 1, f"ERR-1: {len(new_rows)} Error Log rows for one rejected call"
    assert SSN_DIGITS not in str(new_rows[0]) and "123-45-6789" not in str(new_rows[0])


def test_snapshot_covers_every_district_table() -> None:
    """A new model is part of the atomicity check automatically (or must be declared server-wide)."""
    names = {t.name for t in district_tables()}
    assert {"person", "identity", "employment", "district_assignment", "household", "household_location",
            "household_member", "address", "title", "sync_run", "sync_staging_row", "background_job",
            "message", "notification", "district"} <= names


# --- injection strings are data ---------------------------------------------------------------------------

INJECTION = {
    "lastName": "Robert'); DROP TABLE person;--",
    "firstName": "<script>alert(1)</script>",
    "middleName": "' OR '1'='1",
    "workEmail": "a@b.c\"><img src=x onerror=alert(1)>",
    "personalEmail": "{{7*7}}${7*7}<%= 7*7 %>",
    "otherPhone": "1; SELECT pg_sleep(5)",
}
INJECTED_TITLE = {"schoolNumber": "010", "assignmentCode": "20", "titleCode": "X'--<b>",
                  "titleDescription": "<svg onload=alert(1)>\"; DELETE FROM title;--", "startDate": "2024-01-01"}


def test_sql_and_html_injection_strings_are_stored_verbatim_and_returned_inert(
        client: TestClient, engine: Engine) -> None:
    district = create_district(client)
    payload = staff_payload("55601", **INJECTION, positions=[INJECTED_TITLE],
                            household={"name": "<b>Bobby</b> Tables' Household", "householdLocations": [
                                {"address": {"fullStreetAddress": "12 O'Brien Street", "city": "St. John's",
                                             "state": "MO", "zip": "65806"}}]})
    created = district.post("/staffMembers", payload)
    assert created.status_code == 201, created.text
    assert created.headers["content-type"] == "application/json"
    read = district.get("/staffMembers/55601").json()
    for key, value in INJECTION.items():
        assert created.json()[key] == value
        assert read[key] == value
    assert read["household"]["name"] == payload["household"]["name"]
    assert read["positions"][0]["titleCode"] == INJECTED_TITLE["titleCode"]
    titles = {t["titleCode"]: t["description"] for t in district.get("/attributes/titles").json()}
    assert titles[INJECTED_TITLE["titleCode"]] == INJECTED_TITLE["titleDescription"]

    # Searches bind their parameters: the SQL in the name finds exactly that person, a tautology finds nobody.
    found = district.get("/staffMembers", params={"lastName": INJECTION["lastName"]})
    assert [m["staffNumber"] for m in found.json()] == ["55601"]
    assert district.get("/staffMembers", params={"lastName": "x' OR '1'='1"}).json() == []
    assert district.get("/staffMembers", params={"staffNumber": "' OR 1=1 --"}).json() == []

    # The tables the strings name are intact.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() > 0
        assert conn.execute(text("SELECT count(*) FROM title")).scalar_one() > 0

    # The Campus UI shows the strings escaped, never as markup.
    person_id = read["personID"]
    page = client.get(f"/campus/ui/{district.app_name}/staff/{person_id}")
    assert page.status_code == 200, page.text[:300]
    assert "<script>alert(1)</script>" not in page.text
    assert "<img src=x onerror=alert(1)>" not in page.text
    assert html.escape(INJECTION["firstName"], quote=False) in page.text
    assert "<svg onload=alert(1)>" not in page.text
