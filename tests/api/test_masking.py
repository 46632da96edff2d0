"""ERR-1, AUTH-5: masking by what a value is, not by its shape (issue 14, items 4, 5 and 10).

Leaks: a mistyped SSN (spaces, dots, ten digits) echoed in the 400's detail and stored whole in the Error Log
and the journal; an SSN-shaped path segment; a client secret or a JWT inside a malformed JSON body.
Over-masking: 9-digit staff numbers, ZIP+4, e-mails and app names with 9 digits must stay as sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.domain.masking import mask_body, mask_text, mask_value
from tests.support import BOI, District, create_district, minimal_scenario, staff_payload

MISTYPED = ["401 55 8812", "587.21.4963", "5872149630", "12-345-678"]
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2ktY2xpZW50IiwiYXVkIjoiNzYzNC1NTyJ9"
       ".c2lnbmF0dXJlLW9mLWEtdG9rZW4tdGhhdC1tdXN0LWdv")


def _spellings(ssn: str) -> set[str]:
    digits = "".join(c for c in ssn if c.isdigit())
    return {ssn, digits}


def _journal(district: District) -> list[dict[str, Any]]:
    response = district.mock("GET", "/requests")
    assert response.status_code == 200
    rows: list[dict[str, Any]] = response.json()
    return rows


@pytest.mark.parametrize("ssn", MISTYPED)
def test_err1_mistyped_ssn_is_masked_in_the_400_the_error_log_and_the_journal(district: District, ssn: str) -> None:
    response = district.post("/staffMembers", staff_payload("90077", ssn=ssn))
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "ssn"
    assert "*****" + ssn.replace(" ", "").replace(".", "").replace("-", "")[-4:] in problem["detail"]
    row = district.error_log()[0]
    entry = next(e for e in _journal(district) if e["status"] == 400)
    stored = json.dumps([problem, row, entry])
    for spelling in _spellings(ssn):
        assert spelling not in response.text and spelling not in stored, spelling
    assert json.loads(row["payload"])["ssn"].startswith("*****")
    assert json.loads(row["payload"])["staffNumber"] == "90077"
    assert district.get("/staffMembers/90077").status_code == 404  # nothing changed


def test_err1_ssn_shaped_path_segment_is_masked_and_a_9_digit_staff_number_is_not(district: District) -> None:
    assert district.get("/staffMembers/587-21-4963").status_code == 404
    assert district.get("/staffMembers/123456789").status_code == 404
    rows = district.error_log()
    paths = [row["path"] for row in rows]
    assert f"{BOI}/staffMembers/*****4963" in paths
    assert f"{BOI}/staffMembers/123456789" in paths  # a staff number, kept as sent
    assert "587-21-4963" not in json.dumps(rows + _journal(district))
    assert any("123456789" in row["errorMessage"] for row in rows)


def test_auth5_secret_and_jwt_inside_malformed_json_are_not_stored(district: District) -> None:
    token = district.token()
    bodies = [
        f'{{"clientSecret": "{district.client_secret}", "client_secret": "{district.client_secret}", '
        f'"access_token": "{token}", "note": "{JWT}", "ssn": "587.21.4963", ',  # cut short: malformed
        f"client_secret={district.client_secret}&token={token}&ssn=401+55+8812",
    ]
    for body in bodies:
        response = district.post_raw("/staffMembers", body.encode())
        assert response.status_code == 400
    stored = json.dumps(district.error_log() + _journal(district))
    for secret in (district.client_secret, token, token.rsplit(".", 1)[1], JWT, "587.21.4963", "587214963",
                   "401+55+8812"):
        assert secret not in stored, secret[:12]
    assert '\\"clientSecret\\": \\"***\\"' in stored
    assert "*****4963" in stored and "*****8812" in stored


def test_err1_staff_numbers_zip4_emails_and_app_names_with_9_digits_are_kept(client: TestClient) -> None:
    district = create_district(client, minimal_scenario(appName="district-123456789"))
    household = {"householdLocations": [{"address": {
        "fullStreetAddress": "4321 N Lexington Ave", "city": "Springfield", "state": "MO", "zip": "55434-1234"},
        "startDate": "2024-01-01"}]}
    body = staff_payload("123456789", gender="Q", workEmail="jane.123456789@school.k12.mo.us",
                         personalEmail="555-12-34567@example.org", household=household)
    response = district.client.post(f"/apps/{district.app_name}{BOI}/staffMembers", json=body,
                                    headers=district.headers())
    assert response.status_code == 400
    assert district.put("/staffMembers/987654321", {"lastName": "Nobody"}).status_code == 404
    rows = district.error_log()
    create = next(row for row in rows if row["action"] == "POST")
    payload = json.loads(create["payload"])
    assert payload["staffNumber"] == "123456789"
    assert payload["workEmail"] == "jane.123456789@school.k12.mo.us"
    assert payload["personalEmail"] == "555-12-34567@example.org"
    assert payload["household"]["householdLocations"][0]["address"]["zip"] == "55434-1234"
    assert payload["ssn"] == "*****6789"
    assert create["path"] == f"/apps/district-123456789{BOI}/staffMembers"
    update = next(row for row in rows if row["action"] == "PUT")
    assert "987654321" in update["errorMessage"] and update["path"].endswith("/staffMembers/987654321")


def test_masking_module_masks_by_meaning() -> None:
    assert mask_value({"ssn": "401 55 8812", "staffNumber": "123456789", "zip": "55434-1234",
                       "byField": {"ssn": 3}, "clientSecret": "x", "note": JWT}) == {
        "ssn": "*****8812", "staffNumber": "123456789", "zip": "55434-1234", "byField": {"ssn": 3},
        "clientSecret": "***", "note": "***"}
    assert mask_text("staff 123456789, zip 55434-1234, ssn 587.21.4963, phone 417-555-0101") == (
        "staff 123456789, zip 55434-1234, ssn *****4963, phone 417-555-0101")
    assert mask_text('{"ssn": "5872149630", "password": "hunter2') == '{"ssn": "*****9630", "password": "***"'
    assert mask_text("Authorization: Bearer abc.def") == "Authorization: *** ***"
    assert mask_text("ssn: must be 9 digits") == "ssn: must be 9 digits"  # a field name, not an SSN


def test_err1_payload_is_cut_at_64_kb_with_a_marker() -> None:
    stored = mask_body(json.dumps({"lastName": "x" * 200_000}).encode())
    assert stored is not None and len(stored) < 66_000
    assert stored.endswith("characters, the first 65,536 kept]")
    raw = mask_body(b'{"ssn": "587-21-4963", "x": "' + b"y" * 200_000)
    assert raw is not None and "first 65,536 kept]" in raw and "587-21-4963" not in raw
