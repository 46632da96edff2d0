"""MOCK-1/2/3/5/6/7: districts as isolated tenants built from scenario documents."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.staff_support import messages
from tests.support import SEED, District, create_district, minimal_scenario, staff_payload


def test_mock1_health(client: TestClient) -> None:
    assert client.get("/_mock/health").json() == {"status": "ok"}


def test_mock2_create_returns_credentials_and_urls(client: TestClient) -> None:
    scenario = minimal_scenario(clientId="HR Vendor", clientSecret="s3cret-s3cret")
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "appName": scenario["appName"], "clientId": "HR Vendor", "clientSecret": "s3cret-s3cret",
        "tokenUrl": f"http://testserver/campus/oauth2/token?appName={scenario['appName']}",
        "baseUrl": "http://testserver/campus",
    }


def test_mock2_app_name_generated_when_absent_and_duplicate_is_409(client: TestClient) -> None:
    scenario = minimal_scenario()
    del scenario["appName"]
    first = client.post("/_mock/districts", json=scenario).json()
    assert first["appName"]
    again = client.post("/_mock/districts", json={**scenario, "appName": first["appName"]})
    assert again.status_code == 409
    assert again.json()["code"] == "district_exists"


def test_mock2_invalid_scenario_is_400_with_paths(client: TestClient) -> None:
    scenario = minimal_scenario()
    scenario["persons"][0]["positions"] = [{"schoolNumber": "777", "startDate": "2020-01-01", "titleCode": "X"}]
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "persons[0].positions[0].schoolNumber"
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404


def test_mock2_delete_removes_the_district_and_its_credentials(district: District) -> None:
    assert district.mock("DELETE").status_code == 204
    assert district.mock("GET").status_code == 404
    assert district.fetch_token().status_code == 401


def test_mock3_reset_restores_the_scenario_keeping_credentials(district: District) -> None:
    token = district.token()
    assert district.post("/staffMembers", staff_payload("77777")).status_code == 201
    started = time.perf_counter()
    response = district.mock("POST", "/reset")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert district.get("/staffMembers/77777", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    assert district.get("/staffMembers/10058").status_code == 200
    assert elapsed < 5  # the figure itself is measured in bench/, never asserted tightly here


def test_mock3_reset_with_a_new_scenario(district: District) -> None:
    scenario = minimal_scenario(appName=district.app_name, schools=[{"schoolNumber": "500", "name": "New"}],
                                persons=[], households=[])
    assert district.mock("POST", "/reset", json=scenario).status_code == 200
    assert district.get("/schools").json() == [{"schoolNumber": "500", "name": "New"}]


def test_mock3_frozen_today_from_scenario(client: TestClient) -> None:
    d = create_district(client, minimal_scenario(today="2026-01-15"))
    assert d.mock("GET", "/clock").json()["today"] == "2026-01-15"


def test_mock5_error_log_endpoint(district: District) -> None:
    district.get("/staffMembers/none")
    rows = district.error_log()
    assert rows[0]["action"] == "GET"
    assert "errorDate" in rows[0]
    assert district.client.get("/_mock/districts/nope/error-log").status_code == 404


def test_mock6_preferences_round_trip(district: District) -> None:
    prefs = district.mock("GET", "/preferences").json()
    assert prefs["allowHouseholdUpdates"] is True and all(prefs["locks"].values())
    new = {"allowHouseholdUpdates": False, "strictUnknownProperties": False,
           "locks": {**prefs["locks"], "staffHousehold": False}}
    assert district.mock("PUT", "/preferences", json=new).json() == new
    assert district.mock("GET", "/preferences").json() == new
    bad = district.mock("PUT", "/preferences", json={"allowHouseholdUpdate": True})
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_property"


def test_mock7_secret_rotation_returns_the_new_secret(district: District) -> None:
    body = district.mock("POST", "/secret").json()
    assert body["clientSecret"] != district.client_secret
    district.client_secret = body["clientSecret"]
    assert district.fetch_token().status_code == 200


@pytest.mark.slow  # the 3,000-person demo district
def test_mock2_demo_scenario_loads(client: TestClient) -> None:
    scenario = json.loads((SEED / "demo-7634-MO.json").read_text())
    scenario["appName"] = "demo-copy-" + str(time.time_ns())[-8:]
    d = create_district(client, scenario)
    assert len(d.get("/schools").json()) >= 10
    total = d.get("/staffMembers", params={"limit": 1}).headers["x-total-count"]
    assert int(total) > 800


def _with_notification(*recipients: str) -> dict[str, Any]:
    scenario = minimal_scenario()
    scenario["users"] = [*scenario["users"], {"username": "tnguyen", "name": "Nguyen, Thanh", "toolRights": []}]
    scenario["notifications"] = [{"type": "HR-Staff", "recipients": list(recipients)}]
    return scenario


def test_note2_control_api_refuses_a_recipient_without_tool_rights(client: TestClient) -> None:
    scenario = _with_notification("mpostma", "tnguyen")
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "recipient_without_tool_rights"
    (error,) = body["errors"]
    assert (error["field"], error["code"]) == ("notifications[0].recipients[1]", "recipient_without_tool_rights")
    assert "Nguyen, Thanh (tnguyen) cannot be a recipient" in error["message"]
    assert "District Employment and/or District Assignments" in error["message"]
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404

    district = create_district(client, _with_notification("mpostma", "akline"))  # akline: District Assignments
    bad = _with_notification("tnguyen")
    bad["appName"] = district.app_name
    response = district.mock("POST", "/reset", json=bad)
    assert response.status_code == 400 and response.json()["code"] == "recipient_without_tool_rights"
    assert district.post("/staffMembers", staff_payload("90001")).status_code == 201
    assert messages(district) == [("HR-Staff", "staff created")] * 2  # both recipients: the reset changed nothing


def test_note2_control_api_refuses_unknown_recipients_and_tool_rights(client: TestClient) -> None:
    response = client.post("/_mock/districts", json=_with_notification("nobody"))
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("notifications[0].recipients[0]", "unknown_campus_user")]
    scenario = minimal_scenario()
    scenario["users"][0]["toolRights"] = ["Payroll"]
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("users[0].toolRights[0]", "invalid_value")]
