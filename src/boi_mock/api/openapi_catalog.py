"""What the OpenAPI document says about each BOI operation beyond its route: rule IDs, error codes, examples.

Keyed by (METHOD, path under /campus/api/businessOfficeIntegration). Every operation also gets
400 and 401 (and 413/415 when it takes a body) from `boi_mock.api.docs`; the codes here are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boi_mock.errors import FieldError

STAFF_RULES_400 = ["unknown_gender", "unknown_school", "unknown_assignment_code", "title_or_assignment_required",
                   "address_parts_conflict", "po_box_with_street_parts", "unparseable_address"]

ADDRESS_EXAMPLE: dict[str, Any] = {
    "addressID": 412, "postOfficeBox": False, "number": "4321", "prefix": "N", "street": "Lexington", "tag": "Ave",
    "direction": None, "apt": None, "city": "Springfield", "state": "MO", "zip": "65803", "county": "Greene",
    "locationCode": None, "tract": None, "block": None,
}
POSITION_EXAMPLE: dict[str, Any] = {
    "schoolNumber": "030", "assignmentCode": "95", "titleCode": "4A61E262",
    "titleDescription": "Varsity Basketball", "startDate": "2023-10-01", "endDate": None,
}
STAFF_IN_EXAMPLE: dict[str, Any] = {
    "staffNumber": "10058", "lastName": "Brown", "firstName": "Allison", "middleName": "Jo", "gender": "F",
    "ssn": "401-55-8812", "birthdate": "1979-12-26", "workPhone": "(417) 523-0100",
    "workEmail": "abrown@school.k12.mo.us",
    "employments": [{"hireDate": "2008-08-11", "terminationDate": None}],
    "positions": [{k: v for k, v in POSITION_EXAMPLE.items() if k != "endDate"}],
    "household": {"name": "Brown Household", "householdLocations": [
        {"address": {"fullStreetAddress": "4321 North Lexington Avenue", "city": "Springfield", "state": "MO",
                     "zip": "65803"}, "startDate": "2008-08-11"}]},
}
STAFF_OUT_EXAMPLE: dict[str, Any] = {
    "personID": 1201, **{k: v for k, v in STAFF_IN_EXAMPLE.items() if k not in ("household", "ssn", "positions")},
    "ssn": "401558812", "cellPhone": None, "otherPhone": None, "personalEmail": None, "isStaff": True,
    "positions": [POSITION_EXAMPLE],
    "household": {"name": "Brown Household", "phone": None, "householdLocations": [
        {"address": ADDRESS_EXAMPLE, "startDate": "2008-08-11", "endDate": None, "mailing": True,
         "physical": True, "secondary": False, "private": False}]},
}

# code → (detail, field errors) for the examples of error responses.
ERROR_EXAMPLES: dict[str, tuple[str, list[FieldError]]] = {
    "invalid_token": ("The access token is not valid: token expired", []),
    "invalid_request": ("The request body could not be parsed as JSON (malformed or too deeply nested)", []),
    "unknown_property": ("Unknown property 'lastNmae'", [FieldError("lastNmae", "unknown_property",
                                                                     "Unknown property 'lastNmae'")]),
    "missing_field": ("lastName is required", [FieldError("lastName", "missing_field", "lastName is required")]),
    "invalid_value": ("birthdate: Input should be a valid date (got '1979-13-45')",
                      [FieldError("birthdate", "invalid_value",
                                  "birthdate: Input should be a valid date (got '1979-13-45')")]),
    "unknown_gender": ("Gender 'Q' does not exist", [FieldError("gender", "unknown_gender",
                                                                "Gender 'Q' does not exist")]),
    "unknown_school": ("School number 999 does not exist", [FieldError("positions[1].schoolNumber", "unknown_school",
                                                                       "School number 999 does not exist")]),
    "unknown_assignment_code": ("Assignment code '77' does not exist", [FieldError(
        "positions[0].assignmentCode", "unknown_assignment_code", "Assignment code '77' does not exist")]),
    "title_or_assignment_required": ("A position needs titleCode or assignmentCode", [FieldError(
        "positions[0]", "title_or_assignment_required", "A position needs titleCode or assignmentCode")]),
    "address_parts_conflict": ("fullStreetAddress cannot be combined with street parts", [FieldError(
        "household.householdLocations[0].address", "address_parts_conflict",
        "fullStreetAddress cannot be combined with street parts (street)")]),
    "po_box_with_street_parts": ("A PO box address takes only number", [FieldError(
        "household.householdLocations[0].address.street", "po_box_with_street_parts",
        "A PO box address takes only number")]),
    "unparseable_address": ("The street line '### ###' could not be parsed", [FieldError(
        "household.householdLocations[0].address.fullStreetAddress", "unparseable_address",
        "The street line '### ###' could not be parsed")]),
    "staff_number_mismatch": ("staffNumber 10059 in the body does not match 10058 in the path", [FieldError(
        "staffNumber", "staff_number_mismatch", "staffNumber 10059 in the body does not match 10058 in the path")]),
    "staff_not_found": ("Staff number 99999 does not exist", []),
    "staff_exists": ("Staff number 10058 already exists; update it with PUT", []),
    "position_not_found": ("No position of staff 10058 matches school 030 and title 4A61E262", []),
    "position_in_use": ("Position 030/20/2008-08-11 is linked to other Campus records and cannot be removed", []),
    "duplicate_staff_number": ("Staff number 10058 is sent twice in this sync", [FieldError(
        "[3].staffNumber", "duplicate_staff_number", "Staff number 10058 is sent twice in this sync")]),
    "sync_state_conflict": ("The sync is VALIDATED; transfer needs TRANSFER_STARTED", []),
    "nothing_transferred": ("No staff were transferred in this sync", []),
    "validation_stale": ("Campus data changed after validation; repeat step 4 (validate)", []),
    "too_many_staff": ("1001 staff members in one call; the limit is 1000. Send them in several calls.", []),
    "report_not_found": ("The current sync has no validation report; validate first", []),
    "commit_job_not_found": ("No commit job has been submitted in this district", []),
    "payload_too_large": ("Request body exceeds the limit of 5242880 bytes", []),
    "unsupported_media_type": ("Content-Type must be application/json, got 'text/plain'", []),
}


@dataclass(frozen=True)
class Operation:
    rules: tuple[str, ...]
    errors: dict[int, list[str]] = field(default_factory=dict)
    summary: str | None = None
    notes: str | None = None
    request_examples: dict[str, Any] = field(default_factory=dict)
    response_example: Any = None
    response_headers: dict[str, Any] = field(default_factory=dict)


SYNC_STATES = "NONE → TRANSFER_STARTED → TRANSFER_ENDED → VALIDATED → COMMITTING → COMMITTED"

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", "/schools"): Operation(("REF-1", "AUTH-3"), response_example=[
        {"schoolNumber": "010", "name": "Lincoln Elementary"}]),
    ("GET", "/attributes/genders"): Operation(("REF-2", "AUTH-3"), response_example=[
        {"code": "F", "name": "Female"}, {"code": "M", "name": "Male"}]),
    ("GET", "/attributes/assignmentCodes"): Operation(("REF-3", "AUTH-3"), response_example=[
        {"code": "20", "name": "Classroom Teacher"}]),
    ("GET", "/attributes/titles"): Operation(("REF-4", "POS-5", "AUTH-3"), response_example=[
        {"titleCode": "4A61E262", "description": "Varsity Basketball"}]),
    ("GET", "/staffMembers"): Operation(
        ("STAFF-3", "STAFF-7", "AUTH-3"),
        notes="Filters combine (AND); names compare case-insensitively and exactly. Persons with a staff "
              "number are found whether or not they have positions (`isStaff: false`).",
        response_example=[STAFF_OUT_EXAMPLE],
        response_headers={"X-Total-Count": {"description": "Matches before limit/offset",
                                            "schema": {"type": "integer"}}}),
    ("GET", "/staffMembers/{staffNumber}"): Operation(
        ("STAFF-4", "AUTH-3"), errors={404: ["staff_not_found"]}, response_example=STAFF_OUT_EXAMPLE),
    ("POST", "/staffMembers"): Operation(
        ("STAFF-1", "STAFF-2", "STAFF-5", "EMP-1", "POS-1", "POS-2", "POS-3", "POS-4", "POS-5", "HH-1", "HH-4",
         "HH-5", "ADDR-1", "ADDR-2", "ADDR-3", "ADDR-4", "ADDR-5", "AUTH-3", "ERR-1"),
        errors={400: STAFF_RULES_400, 409: ["staff_exists"]},
        notes="Creates the person, identity, employments, positions and (PREF-2 permitting) a staff household.",
        request_examples={"full staff member": STAFF_IN_EXAMPLE,
                          "minimal": {"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat"}},
        response_example=STAFF_OUT_EXAMPLE),
    ("PUT", "/staffMembers/{staffNumber}"): Operation(
        ("STAFF-6", "STAFF-2", "IDENT-1", "IDENT-2", "IDENT-3", "EMP-2", "POS-8", "HH-2", "HH-3", "HH-5",
         "ADDR-1", "ADDR-2", "ADDR-3", "ADDR-4", "ADDR-5", "AUTH-3", "ERR-1"),
        errors={400: [*STAFF_RULES_400, "staff_number_mismatch"], 404: ["staff_not_found"],
                409: ["position_in_use"]},
        notes="An absent demographic field is left unchanged, `null` clears it. `employments` and `positions`, "
              "when present, are the complete lists.",
        request_examples={"name change (IDENT-1)": {"lastName": "Brown-Smith"},
                          "end a position (POS-8)": {"positions": [{**POSITION_EXAMPLE, "endDate": "2026-06-30"}]}},
        response_example=STAFF_OUT_EXAMPLE),
    ("POST", "/staffMembers/{staffNumber}/position"): Operation(
        ("POS-1", "POS-2", "POS-3", "POS-4", "POS-5", "POS-6", "AUTH-3", "ERR-1"),
        errors={400: ["unknown_school", "unknown_assignment_code", "title_or_assignment_required"],
                404: ["staff_not_found"]},
        request_examples={"new district assignment": POSITION_EXAMPLE}, response_example=POSITION_EXAMPLE),
    ("PUT", "/staffMembers/{staffNumber}/position"): Operation(
        ("POS-7", "AUTH-3", "ERR-1"), errors={404: ["staff_not_found", "position_not_found"]},
        notes="Matches on schoolNumber plus the title and/or assignment code sent; then on startDate (sets "
              "endDate) or else on endDate (sets startDate).",
        request_examples={"end-date a position": {"schoolNumber": "030", "titleCode": "4A61E262",
                                                  "startDate": "2023-10-01", "endDate": "2026-06-30"}},
        response_example={"updated": 1, "positions": [{**POSITION_EXAMPLE, "endDate": "2026-06-30"}]}),
    ("GET", "/addresses"): Operation(
        ("ADDR-6", "ADDR-1", "ADDR-2", "ADDR-3", "ADDR-4", "AUTH-3"),
        errors={400: ["address_parts_conflict", "po_box_with_street_parts", "unparseable_address"]},
        response_example=[ADDRESS_EXAMPLE]),
    ("POST", "/staffMembers/sync/start"): Operation(
        ("SYNC-1", "AUTH-3"), notes=f"States: {SYNC_STATES}. Starting again discards uncommitted staging data.",
        response_example={"syncID": 7, "status": "TRANSFER_STARTED", "startedDate": "2026-01-15T14:02:11Z",
                          "startedBy": "Business Office Administration ClientID", "staffTransferred": 0}),
    ("POST", "/staffMembers/sync/transfer"): Operation(
        ("SYNC-2", "STAFF-1", "STAFF-2", "POS-1", "POS-2", "POS-3", "ADDR-1", "ADDR-2", "ADDR-3", "AUTH-3"),
        errors={400: [*STAFF_RULES_400, "duplicate_staff_number", "too_many_staff"], 409: ["sync_state_conflict"]},
        notes="≤ 1000 staff members per call; per-item errors have fields starting `[index].`.",
        request_examples={"two staff members": [STAFF_IN_EXAMPLE, {"staffNumber": "90001", "lastName": "Simpson",
                                                                   "firstName": "Pat"}]},
        response_example={"staffTransferred": 2}),
    ("POST", "/staffMembers/sync/end"): Operation(
        ("SYNC-3", "AUTH-3"), errors={409: ["sync_state_conflict", "nothing_transferred"]}),
    ("POST", "/staffMembers/sync/validate"): Operation(
        ("SYNC-4", "SYNC-10", "AUTH-3"), errors={409: ["sync_state_conflict"]}),
    ("POST", "/staffMembers/sync/commit"): Operation(
        ("SYNC-5", "SYNC-6", "SYNC-8", "AUTH-3"),
        errors={409: ["sync_state_conflict", "validation_stale"]},
        notes="Synchronous: answers when every staff member is committed. The guide advises it for fewer than 500 "
              "staff (submitCommitJob above); 500 or more are processed too, and the answer carries the advice "
              "in `X-Boi-Mock-Advice` and `Warning`, and the journal entry in the rule note `SYNC-6 advice`.",
        response_headers={
            "X-Boi-Mock-Advice": {"description": "Only with 500 staff or more: the guide's advice to use "
                                                 "submitCommitJob", "schema": {"type": "string"}},
            "Warning": {"description": "The same advice as `299 boi-mock \"…\"`", "schema": {"type": "string"}}},
        response_example={"succeeded": ["10058"], "failed": [
            {"staffNumber": "30001", "code": "duplicate_campus_staff_number",
             "message": "Staff number 30001 belongs to 2 Campus persons"}]}),
    ("POST", "/staffMembers/sync/submitCommitJob"): Operation(
        ("SYNC-5", "SYNC-7", "AUTH-3"), errors={409: ["sync_state_conflict", "validation_stale"]},
        response_example={"jobID": 3, "status": "QUEUED"}),
    ("GET", "/staffMembers/sync/commitJobStatus"): Operation(("SYNC-7", "AUTH-3"),
                                                             errors={404: ["commit_job_not_found"]}),
    ("GET", "/staffMembers/sync/report"): Operation(("SYNC-4", "AUTH-3"), errors={404: ["report_not_found"]}),
    ("GET", "/staffMembers/sync/status"): Operation(("SYNC-1", "SYNC-3", "SYNC-5", "AUTH-3")),
}
