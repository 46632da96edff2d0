"""CONTRACT §1 errors and ERR-1: problem+json with codes and field paths, 413/415, the Error Log, atomicity."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from boi_mock.api import docs
from tests.support import BOI, District, create_district, minimal_scenario, staff_payload


def _counts(district: District) -> dict[str, int]:
    view = district.client.get(f"/_mock/districts/{district.app_name}/check-campus-data")
    staff = district.get("/staffMembers", params={"limit": 1000})
    return {"staff": len(staff.json()), "checked": view.status_code, "titles": len(district.get(
        "/attributes/titles").json())}


def test_err_bad_input_is_400_problem_json_with_field_path(district: District) -> None:
    response = district.post("/staffMembers", staff_payload(birthdate="2026-02-30"))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400
    assert body["type"].endswith("/" + body["code"])
    assert body["errors"][0]["field"] == "birthdate"
    assert body["errors"][0]["code"] == "invalid_value"


def test_err_missing_field_and_array_paths(district: District) -> None:
    payload = staff_payload(positions=[{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2023-01-01"},
                                       {"schoolNumber": 10}])
    body = district.post("/staffMembers", payload).json()
    assert any(e["field"] == "positions[1].schoolNumber" for e in body["errors"])


def test_err_unknown_property_rejected_unless_district_allows(district: District) -> None:
    response = district.post("/staffMembers", staff_payload(favouriteColour="blue"))
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_property"
    assert response.json()["errors"][0]["field"] == "favouriteColour"
    assert district.mock("PUT", "/preferences", json={"strictUnknownProperties": False}).status_code == 200
    response = district.post("/staffMembers", staff_payload(favouriteColour="blue"))
    assert response.status_code == 201, response.text


def test_err_malformed_json_is_400(district: District) -> None:
    response = district.post_raw("/staffMembers", b'{"staffNumber": ')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_err_deeply_nested_json_is_400_not_500(district: District) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = district.post_raw("/staffMembers", body)
    assert response.status_code == 400


def test_err_413_body_over_limit(district: District) -> None:
    big = json.dumps(staff_payload(lastName="x" * (6 * 1024 * 1024))).encode()
    response = district.post_raw("/staffMembers", big)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert district.error_log()[0]["errorMessage"].startswith("Request body")


def test_err_415_wrong_content_type(district: District) -> None:
    response = district.post_raw("/staffMembers", b"staffNumber=1", "text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_err_long_strings_and_control_characters_are_400(district: District) -> None:
    assert district.post("/staffMembers", staff_payload(lastName="x" * 10_000)).status_code == 400
    response = district.post("/staffMembers", staff_payload(firstName="Pat\x00"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "firstName"


def test_err1_error_log_rows_newest_first_with_masked_payload(district: District) -> None:
    district.post("/staffMembers", staff_payload(ssn="123-45-6789", gender="Q"))
    district.get("/staffMembers/nobody")
    rows = district.error_log()
    assert [r["action"] for r in rows[:2]] == ["GET", "POST"]
    assert rows[0]["path"] == BOI + "/staffMembers/nobody"
    post = rows[1]
    assert {"errorDate", "action", "path", "errorMessage", "payload"} <= post.keys()
    assert "unknown_gender" in (post["code"] or "") or "gender" in post["errorMessage"].lower()
    assert "123-45-6789" not in post["payload"] and "123456789" not in post["payload"]
    assert "*****6789" in post["payload"]


def test_err1_error_log_is_per_district(client: TestClient) -> None:
    a = create_district(client)
    b = create_district(client, minimal_scenario())
    a.get("/staffMembers/nobody")
    assert a.error_log() and not b.error_log()


def test_rejected_request_changes_no_row(district: District) -> None:
    before = _counts(district)
    payload = staff_payload(positions=[
        {"schoolNumber": "010", "titleCode": "NEWTITLE1", "startDate": "2023-01-01"},
        {"schoolNumber": "999", "assignmentCode": "20", "startDate": "2023-01-01"},
    ])
    response = district.post("/staffMembers", payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "positions[1].schoolNumber"
    assert _counts(district) == before
    assert district.get("/staffMembers/90001").status_code == 404


# (field path, the object it sits in): each a value a lax parser would coerce
LAX_VALUES: list[tuple[str, dict[str, Any]]] = [
    ("household.householdLocations[0].address.postOfficeBox",
     {"household": {"householdLocations": [{"address": {"postOfficeBox": "yes", "number": "54", "city": "Nixa",
                                                        "state": "MO", "zip": "65714"}}]}}),
    ("household.householdLocations[0].address.postOfficeBox",
     {"household": {"householdLocations": [{"address": {"postOfficeBox": 1, "number": "54", "zip": "65714"}}]}}),
    ("household.householdLocations[0].mailing",
     {"household": {"householdLocations": [{"address": {"fullStreetAddress": "12 Elm St", "zip": "65714"},
                                            "mailing": "true"}]}}),
    ("household.householdLocations[0].private",
     {"household": {"householdLocations": [{"address": {"fullStreetAddress": "12 Elm St", "zip": "65714"},
                                            "private": 0}]}}),
    ("household.householdLocations[0].address.zip",
     {"household": {"householdLocations": [{"address": {"fullStreetAddress": "12 Elm St", "zip": 65714}}]}}),
    ("lastName", {"lastName": 5}),
    ("ssn", {"ssn": 123456789}),
    ("positions[0].schoolNumber", {"positions": [{"schoolNumber": 10, "assignmentCode": "20",
                                                  "startDate": "2023-10-01"}]}),
    ("employments[0].hireDate", {"employments": [{"hireDate": 20200801}]}),
]


def test_err_json_types_are_strict_a_lax_value_is_400_invalid_value_naming_the_field(district: District) -> None:
    """"yes", "true", 1 for a boolean; a number for a string: 400 invalid_value at the field, in the Error Log,
    nothing written — on create, update and sync transfer alike."""
    before = _counts(district)
    district.post("/staffMembers/sync/start")
    for field, overrides in LAX_VALUES:
        calls = {"POST": district.post("/staffMembers", staff_payload("90001", **overrides)),
                 "PUT": district.put("/staffMembers/10058", overrides),
                 "transfer": district.post("/staffMembers/sync/transfer", [staff_payload("90002", **overrides)])}
        for how, response in calls.items():
            assert response.status_code == 400, (how, field, response.text)
            body = response.json()
            prefix = "[0]." if how == "transfer" else ""
            assert body["code"] == "invalid_value", (how, field, body)
            assert [(e["field"], e["code"]) for e in body["errors"]] == [(prefix + field, "invalid_value")], body
    assert _counts(district) == before
    assert district.get("/staffMembers/sync/status").json()["staffTransferred"] == 0
    assert len(district.error_log()) == 3 * len(LAX_VALUES)
    good = {"household": {"householdLocations": [{"address": {"postOfficeBox": True, "number": "54", "city": "Nixa",
                                                              "state": "MO", "zip": "65714"}, "mailing": True}]}}
    assert district.post("/staffMembers", staff_payload("90001", **good)).status_code == 201
    assert district.get("/addresses", params={"postOfficeBox": "true", "number": "54", "zip": "65714"}).json(), \
        "a query string has no JSON types: postOfficeBox=true still reads as true"


def test_err_json_types_are_strict_in_the_control_api_too(client: TestClient, district: District) -> None:
    for body, field in (({"tokenLifetimeSeconds": "60"}, "tokenLifetimeSeconds"),
                        ({"tokenLifetimeSeconds": 60.0}, "tokenLifetimeSeconds"),
                        ({"preferences": {"allowHouseholdUpdates": "false"}}, "preferences.allowHouseholdUpdates")):
        scenario = minimal_scenario(**body)
        response = client.post("/_mock/districts", json=scenario)
        assert response.status_code == 400, response.text
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "invalid_value")]
        assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404
    response = district.mock("PUT", "/preferences", json={"strictUnknownProperties": "no"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("strictUnknownProperties", "invalid_value")]
    assert district.mock("GET", "/preferences").json()["strictUnknownProperties"] is True
    assert district.mock("POST", "/clock/advance", json={"seconds": "60"}).status_code == 400


def test_err_openapi_states_the_strict_json_types(client: TestClient) -> None:
    schemas = client.get(docs.OPENAPI_PATH).json()["components"]["schemas"]

    def types(model: str, prop: str) -> set[str]:
        spec = schemas[model]["properties"][prop]
        return {s.get("type") for s in spec.get("anyOf", [spec])}

    assert types("AddressIn", "postOfficeBox") == {"boolean", "null"}
    assert types("AddressIn", "zip") == {"string", "null"}
    for flag in ("mailing", "physical", "secondary", "private"):
        assert types("HouseholdLocationIn", flag) == {"boolean", "null"}
    assert types("StaffMemberIn", "ssn") == {"string", "null"}
