"""Contract §1: a JSON object with the same key twice is a 400 naming the key, on the BOI API and the control
API alike (issue 14, item 10); an empty body says a body is required. Nothing changes; the Error Log says why."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.support import District, minimal_scenario, staff_payload


def _post_raw(district: District, path: str, raw: str) -> dict[str, Any]:
    response = district.post_raw(path, raw.encode())
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_err1_duplicate_key_in_a_boi_body_is_400_naming_it_and_changes_nothing(district: District) -> None:
    raw = json.dumps(staff_payload("90091"))[:-1] + ', "lastName": "Other"}'
    problem = _post_raw(district, "/staffMembers", raw)
    assert problem["code"] == "invalid_value"
    assert problem["errors"] == [{"field": "lastName", "code": "invalid_value", "message":
                                  "lastName is given more than once in its JSON object; each key may appear once"}]
    assert "lastName" in str(problem["detail"])
    nested = json.dumps(staff_payload("90091")).replace('"startDate": "2023-10-01"',
                                                        '"startDate": "2023-10-01", "startDate": "2024-01-01"')
    assert _post_raw(district, "/staffMembers", nested)["errors"] == [{
        "field": "positions[0].startDate", "code": "invalid_value",
        "message": "positions[0].startDate is given more than once in its JSON object; each key may appear once"}]
    rows = district.error_log()
    assert [row["code"] for row in rows[:2]] == ["invalid_value", "invalid_value"]
    assert "positions[0].startDate" in rows[0]["errorMessage"]
    assert district.get("/staffMembers/90091").status_code == 404


def test_err1_duplicate_key_in_a_sync_transfer_item_names_the_item(district: District) -> None:
    assert district.post("/staffMembers/sync/start").status_code == 201
    item = json.dumps(staff_payload("90092"))[:-1] + ', "staffNumber": "90093"}'
    problem = _post_raw(district, "/staffMembers/sync/transfer", f"[{item}]")
    assert [e["field"] for e in problem["errors"]] == ["[0].staffNumber"]
    assert district.get("/staffMembers/sync/status").json()["staffTransferred"] == 0


def test_mock2_duplicate_key_in_a_control_body_is_400_naming_it(client: TestClient) -> None:
    scenario = minimal_scenario()
    raw = json.dumps(scenario)[:-1] + f', "appName": "{scenario["appName"]}-b"}}'
    response = client.post("/_mock/districts", content=raw.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "appName"
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404
    assert client.get(f"/_mock/districts/{scenario['appName']}-b").status_code == 404


def test_mock6_duplicate_key_in_preferences_changes_nothing(district: District) -> None:
    before = district.mock("GET", "/preferences").json()
    response = district.client.put(f"/_mock/districts/{district.app_name}/preferences",
                                   content=b'{"strictUnknownProperties": true, "strictUnknownProperties": false}',
                                   headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "strictUnknownProperties"
    assert district.mock("GET", "/preferences").json() == before


def test_err1_empty_body_says_a_body_is_required(district: District) -> None:
    response = district.post_raw("/staffMembers", b"")
    assert response.status_code == 400
    problem = response.json()
    assert problem["detail"] == "A request body is required: send a JSON document"
    assert problem["code"] == "missing_field"
    assert district.error_log()[0]["errorMessage"] == "A request body is required: send a JSON document"
