"""CONTRACT §1 errors and ERR-1: problem+json with codes and field paths, 413/415, the Error Log, atomicity."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

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
    response = district.client.post(BOI + "/staffMembers", content=b'{"staffNumber": ',
                                    headers={**district.headers(), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_err_deeply_nested_json_is_400_not_500(district: District) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = district.client.post(BOI + "/staffMembers", content=body,
                                    headers={**district.headers(), "Content-Type": "application/json"})
    assert response.status_code == 400


def test_err_413_body_over_limit(district: District) -> None:
    big = json.dumps(staff_payload(lastName="x" * (6 * 1024 * 1024))).encode()
    response = district.client.post(BOI + "/staffMembers", content=big,
                                    headers={**district.headers(), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert district.error_log()[0]["errorMessage"].startswith("Request body")


def test_err_415_wrong_content_type(district: District) -> None:
    response = district.client.post(BOI + "/staffMembers", content=b"staffNumber=1",
                                    headers={**district.headers(), "Content-Type": "text/plain"})
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
