"""MOCK-11: a district's contract coverage — rules, error codes and operations with their statuses.

Counted with the journal entries (same writer, same transaction), read right after the calls (the control
API settles the writer first), cleared by DELETE, per district, 404 for an unknown district.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.domain import coverage as catalogue
from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.api.sync_support import hr_export, run_to_validated, sync_scenario, wait_for_job
from tests.support import District, create_district, minimal_scenario, staff_payload


def _coverage(district: District) -> dict[str, Any]:
    response = district.mock("GET", "/coverage")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _rules(body: dict[str, Any]) -> dict[str, int]:
    return {rule["id"]: rule["hits"] for rule in body["rules"]}


def _codes(body: dict[str, Any]) -> dict[str, int]:
    return {code["code"]: code["hits"] for code in body["errorCodes"]}


def _operation(body: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [op for op in body["operations"] if (op["method"], op["path"]) == (method, path)]
    assert len(found) == 1, (method, path)
    return found[0]


def test_mock11_a_new_district_lists_every_rule_code_and_operation_with_zero_hits(district: District) -> None:
    body = _coverage(district)
    assert [rule["id"] for rule in body["rules"]] == list(catalogue.RULE_IDS)
    assert body["total"] == len(body["rules"]) == len(catalogue.RULES)
    assert body["exercised"] == 0
    assert all(rule["hits"] == 0 and rule["title"] and rule["howTo"] and rule["section"] for rule in body["rules"])
    assert [code["code"] for code in body["errorCodes"]] == list(catalogue.ERROR_CODES)
    assert all(code["hits"] == 0 for code in body["errorCodes"])
    assert [(op["method"], op["path"]) for op in body["operations"]] == list(catalogue.OPERATIONS)
    assert all(op["hits"] == 0 and op["statuses"] == {} for op in body["operations"])


def test_mock11_rules_error_codes_and_operation_statuses_are_counted_right_after_the_calls(
        district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001")).status_code == 201
    assert district.post("/staffMembers", staff_payload("90001")).status_code == 409  # staff_exists
    assert district.post("/staffMembers", staff_payload("90002", gender="Q")).status_code == 400  # unknown_gender
    assert district.put("/staffMembers/90001", {"lastName": "Simpson-Smith"}).status_code == 200  # IDENT-1
    assert district.get("/schools").status_code == 200
    assert district.get("/staffMembers/nobody").status_code == 404  # staff_not_found on the read: STAFF-4

    body = _coverage(district)  # no waiting: read-your-writes
    rules = _rules(body)
    assert rules["STAFF-5"] == 2  # the 201 and the 409 staff_exists
    assert rules["STAFF-2"] == 1
    assert rules["IDENT-1"] == 1
    assert rules["STAFF-6"] == 1
    assert rules["REF-1"] == 1
    assert rules["STAFF-4"] == 1
    assert rules["EMP-1"] == 1
    assert rules["ERR-1"] == 3  # 409, 400, 404
    assert rules["REF-2"] == 0 and rules["SYNC-1"] == 0 and rules["AUTH-3"] == 0
    assert body["exercised"] == sum(1 for hits in rules.values() if hits > 0)
    codes = _codes(body)
    assert codes["staff_exists"] == 1 and codes["unknown_gender"] == 1 and codes["staff_not_found"] == 1
    assert codes["position_in_use"] == 0
    create = _operation(body, "POST", "/staffMembers")
    assert create["hits"] == 3 and create["statuses"] == {"201": 1, "400": 1, "409": 1}
    assert _operation(body, "PUT", "/staffMembers/{staffNumber}")["statuses"] == {"200": 1}
    assert _operation(body, "GET", "/staffMembers/{staffNumber}")["statuses"] == {"404": 1}
    assert _operation(body, "GET", "/schools") == {"method": "GET", "path": "/schools", "hits": 1,
                                                   "statuses": {"200": 1}}
    assert _operation(body, "GET", "/addresses")["hits"] == 0


def test_mock11_field_errors_unauthorized_calls_and_sync_steps_count_for_their_rules(district: District) -> None:
    missing_name = {k: v for k, v in staff_payload("90003").items() if k != "lastName"}
    assert district.post("/staffMembers", missing_name).status_code == 400  # STAFF-1 via the field error
    bad_position = staff_payload("90004", positions=[{"schoolNumber": "999", "startDate": "2024-01-01",
                                                      "titleCode": "4A61E262"}])
    assert district.post("/staffMembers", bad_position).status_code == 400  # unknown_school: POS-2
    token = district.token()
    assert district.mock("POST", "/clock/advance", json={"seconds": 7200}).status_code == 200
    expired = district.client.get("/campus/api/businessOfficeIntegration/schools",
                                  headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401  # the district's own token, expired: AUTH-3 in its coverage
    district.token(fresh=True)
    assert district.post("/staffMembers/sync/end").status_code == 409  # sync_state_conflict: SYNC-1
    assert district.post("/staffMembers/sync/start").status_code == 201
    body = _coverage(district)
    rules = _rules(body)
    assert rules["STAFF-1"] == 1
    assert rules["POS-2"] == 1
    assert rules["AUTH-3"] == 1
    assert rules["SYNC-1"] == 2
    codes = _codes(body)
    assert codes["missing_field"] == 1 and codes["unknown_school"] == 1 and codes["invalid_token"] == 1
    assert _operation(body, "POST", "/staffMembers/sync/start")["statuses"] == {"201": 1}
    assert _operation(body, "POST", "/staffMembers/sync/end")["statuses"] == {"409": 1}


def test_mock11_position_dates_not_staff_and_scoped_paths_are_recognised(district: District) -> None:
    late = staff_payload("90005", positions=[{"schoolNumber": "010", "titleCode": "4A61E262",
                                              "startDate": "2024-06-01", "endDate": "2024-01-01"}])
    assert district.post("/staffMembers", late).status_code == 201  # POS-4: stored as sent
    no_position = staff_payload("90006", positions=[])
    assert district.post("/staffMembers", no_position).status_code == 201
    scoped = f"/apps/{district.app_name}/campus/api/businessOfficeIntegration/staffMembers/90006"
    answer = district.client.get(scoped, headers=district.headers())
    assert answer.status_code == 200 and answer.json()["isStaff"] is False  # STAFF-7
    rules = _rules(_coverage(district))
    assert rules["POS-4"] == 1
    assert rules["STAFF-7"] == 1 and rules["STAFF-4"] == 1
    assert _operation(_coverage(district), "GET", "/staffMembers/{staffNumber}")["statuses"] == {"200": 1}


def test_mock11_a_call_to_no_operation_counts_its_error_but_no_operation(district: District) -> None:
    assert district.get("/noSuchThing").status_code == 404
    body = _coverage(district)
    assert _rules(body)["ERR-1"] == 1
    assert sum(op["hits"] for op in body["operations"]) == 0


def test_mock11_delete_clears_the_coverage_and_keeps_the_journal(district: District) -> None:
    assert district.get("/schools").status_code == 200
    assert _rules(_coverage(district))["REF-1"] == 1
    assert district.mock("DELETE", "/coverage").status_code == 204
    body = _coverage(district)
    assert body["exercised"] == 0 and _operation(body, "GET", "/schools")["hits"] == 0
    assert len(district.mock("GET", "/requests").json()) == 1
    assert district.get("/attributes/genders").status_code == 200  # counting goes on
    assert _rules(_coverage(district))["REF-2"] == 1


def test_mock11_reset_keeps_the_coverage_like_the_journal(district: District) -> None:
    assert district.get("/schools").status_code == 200
    assert district.mock("POST", "/reset").status_code == 200
    assert _rules(_coverage(district))["REF-1"] == 1


def test_mock11_coverage_is_per_district(client: TestClient) -> None:
    one = create_district(client, minimal_scenario())
    two = create_district(client, minimal_scenario())
    assert one.get("/schools").status_code == 200
    assert one.get("/schools").status_code == 200
    assert two.get("/attributes/titles").status_code == 200
    first, second = _coverage(one), _coverage(two)
    assert _rules(first)["REF-1"] == 2 and _rules(first)["REF-4"] == 0
    assert _rules(second)["REF-1"] == 0 and _rules(second)["REF-4"] == 1
    assert one.mock("DELETE", "/coverage").status_code == 204
    assert _rules(_coverage(two))["REF-4"] == 1  # clearing one district leaves the other


def test_mock11_a_call_whose_coverage_cannot_be_read_keeps_its_journal_entry(
        district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(facts: catalogue.CallFacts) -> list[tuple[str, str, int]]:
        raise ValueError("a coverage bug")

    monkeypatch.setattr(catalogue, "observe", broken)
    assert district.get("/schools").status_code == 200
    assert district.post("/staffMembers", staff_payload("90001")).status_code == 201
    assert [entry["status"] for entry in district.mock("GET", "/requests").json()] == [201, 200]
    assert _coverage(district)["exercised"] == 0


def test_mock11_unknown_district_is_404_problem_json(client: TestClient) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(method, "/_mock/districts/no-such-district/coverage")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "district_not_found"


def test_mock11_the_control_openapi_documents_the_typed_answer(client: TestClient) -> None:
    document = client.get("/_mock/openapi.json")
    assert document.status_code == 200, document.text
    schemas = document.json()["components"]["schemas"]
    assert {"rules", "errorCodes", "operations", "exercised", "total"} <= set(schemas["Coverage"]["properties"])
    responses = document.json()["paths"]["/_mock/districts/{appName}/coverage"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Coverage")


def test_mock11_a_whole_sync_counts_its_steps_including_a_commit_jobs_failures(client: TestClient) -> None:
    scenario = sync_scenario()
    district = create_district(client, scenario)
    run_to_validated(district, hr_export(scenario))
    assert district.post("/staffMembers/sync/submitCommitJob").status_code == 202
    job = wait_for_job(district)
    assert job["failed"] == 1  # the duplicate Campus staff number: a count in the job's status
    synchronous = create_district(client, sync_scenario())
    run_to_validated(synchronous, hr_export(scenario))
    assert synchronous.post("/staffMembers/sync/commit").json()["failed"][0]["code"] == \
        "duplicate_campus_staff_number"
    body = _coverage(district)
    rules = _rules(body)
    for rule in ("SYNC-1", "SYNC-2", "SYNC-3", "SYNC-4", "SYNC-7", "SYNC-10"):
        assert rules[rule] >= 1, rule
    assert rules["SYNC-6"] == 0
    assert _operation(body, "GET", "/staffMembers/sync/commitJobStatus")["statuses"]["200"] >= 1
    last_status = f'"{job["status"]}"'
    finished = [entry for entry in district.mock("GET", "/requests").json()
                if entry["path"].endswith("/commitJobStatus") and last_status in entry["responseBody"]]
    assert finished, "the job's last status (failed: a count) is journalled and counted"
    other = _coverage(synchronous)
    assert _rules(other)["SYNC-6"] == 1 and _codes(other)["duplicate_campus_staff_number"] == 1
    assert _operation(other, "POST", "/staffMembers/sync/commit")["statuses"] == {"200": 1}


def test_mock11_every_rule_of_the_catalogue_can_be_exercised_by_following_its_how_to(client: TestClient) -> None:
    """46 of 46: each rule is fired by the calls its how-to sentence describes (so no rule is listed in vain)."""
    district = create_district(client, minimal_scenario(
        notifications=[{"type": "HR-Staff", "recipients": ["mpostma"]}]))

    def call(method: str, path: str, body: Any = None, *, status: int, **kw: Any) -> Any:
        response = district.call(method, path, json=body, **kw)
        assert response.status_code == status, (method, path, response.text)
        return response.json() if response.content else None

    for reference in ("/schools", "/attributes/genders", "/attributes/assignmentCodes", "/attributes/titles"):
        call("GET", reference, status=200)  # REF-1..4
    no_last_name = {k: v for k, v in staff_payload("90009").items() if k != "lastName"}
    call("POST", "/staffMembers", no_last_name, status=400)  # STAFF-1, ERR-1
    call("POST", "/staffMembers", staff_payload("90009", gender="Q"), status=400)  # STAFF-2
    call("GET", "/staffMembers", params={"lastName": "Brown"}, status=200)  # STAFF-3
    call("GET", "/staffMembers/10058", status=200)  # STAFF-4
    new_hire = staff_payload("90001", positions=[
        {"schoolNumber": "010", "titleCode": "NEWTITLE1", "titleDescription": "Robotics Coach",  # POS-5
         "startDate": "2024-06-01", "endDate": "2024-01-01"}],  # POS-4
        household={"householdLocations": [{"address": {  # HH-1, HH-4 (no name), ADDR-3/ADDR-5 (created)
            "fullStreetAddress": "100 Main Street", "city": "Springfield", "state": "MO", "zip": "65803"}}]})
    call("POST", "/staffMembers", new_hire, status=201)  # STAFF-5, EMP-1, NOTE-1
    call("POST", "/staffMembers", new_hire, status=409)  # STAFF-5's staff_exists
    call("PUT", "/staffMembers/90001", {"lastName": "Simpson-Lee"}, status=200)  # STAFF-6, IDENT-1
    call("PUT", "/staffMembers/90001", {"workPhone": "5550001111"}, status=200)  # IDENT-2
    call("PUT", "/staffMembers/90001", {"lastName": "SIMPSON-LEE"}, status=200)  # IDENT-3
    call("PUT", "/staffMembers/90001", {"employments": [{"hireDate": "2020-08-01", "terminationDate": "2025-06-30"}]},
         status=200)  # EMP-2
    call("POST", "/staffMembers", staff_payload("90002", positions=[]), status=201)
    assert call("GET", "/staffMembers/90002", status=200)["isStaff"] is False  # STAFF-7
    position = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2024-08-01"}
    call("POST", "/staffMembers", staff_payload("90003", positions=[{"schoolNumber": "010",
                                                                     "startDate": "2024-08-01"}]), status=400)  # POS-1
    call("POST", "/staffMembers", staff_payload("90003", positions=[{**position, "schoolNumber": "999"}]),
         status=400)  # POS-2
    call("POST", "/staffMembers", staff_payload("90003", positions=[{**position, "assignmentCode": "77"}]),
         status=400)  # POS-3
    call("POST", "/staffMembers/90001/position", position, status=201)  # POS-6
    call("PUT", "/staffMembers/90001/position", {**position, "endDate": "2025-06-30"}, status=200)  # POS-7
    call("PUT", "/staffMembers/10058/position", {**position, "schoolNumber": "020"}, status=404)  # position_not_found
    call("PUT", "/staffMembers/10058", {"positions": []}, status=409)  # POS-8: the linked position
    address = {"city": "Springfield", "state": "MO", "zip": "65803"}
    bad_homes = [{"fullStreetAddress": "1 Elm St", "street": "Elm", **address},  # ADDR-1
                 {"postOfficeBox": True, "number": "12", "street": "Elm", **address},  # ADDR-2
                 {"fullStreetAddress": "### ###", **address}]  # ADDR-3
    for home in bad_homes:
        call("PUT", "/staffMembers/10060", {"household": {"householdLocations": [{"address": home}]}}, status=400)
    brown = {"number": "4321", "prefix": "N", "street": "Lexington", "tag": "Ave", **address}
    call("PUT", "/staffMembers/10060", {"household": {"householdLocations": [{"address": brown}]}},
         status=200)  # ADDR-4/5 exact match, HH-2 the move
    call("GET", "/addresses", params={"fullStreetAddress": "4321 N Lexington Ave", **address}, status=200)  # ADDR-6
    call("PUT", "/staffMembers/10072", {"household": {"householdLocations": [{"address": brown}]}},
         status=200)  # HH-3: Pye shares a household
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False}).status_code == 200
    call("PUT", "/staffMembers/10062", {"household": {"householdLocations": [{"address": brown}]}},
         status=200)  # HH-5
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": True}).status_code == 200
    sync = "/staffMembers/sync"
    call("POST", f"{sync}/end", status=409)  # SYNC-1: out of order
    call("POST", f"{sync}/start", status=201)
    call("POST", f"{sync}/end", status=409)  # SYNC-3: nothing transferred
    call("POST", f"{sync}/transfer", [{"staffNumber": "10058", "lastName": "Brown", "firstName": "Allison"}],
         status=200)  # SYNC-2
    call("POST", f"{sync}/end", status=200)
    call("POST", f"{sync}/validate", status=200)  # SYNC-4, SYNC-10
    call("PUT", "/staffMembers/90001", {"workPhone": "5550002222"}, status=200)
    call("POST", f"{sync}/commit", status=409)  # SYNC-5: validation_stale
    call("POST", f"{sync}/validate", status=200)
    call("POST", f"{sync}/commit", status=200)  # SYNC-6
    call("GET", f"{sync}/commitJobStatus", status=404)  # SYNC-7: no job yet
    token = district.token()
    assert district.mock("POST", "/clock/advance", json={"seconds": 7200}).status_code == 200
    call("GET", "/schools", status=401, headers={"Authorization": f"Bearer {token}"})  # AUTH-3
    district.token(fresh=True)

    body = _coverage(district)
    never = [rule["id"] for rule in body["rules"] if rule["hits"] == 0]
    assert never == [], f"rules not exercised by the calls their how-to describes: {never}"
    assert body["exercised"] == body["total"] == len(catalogue.RULES)


def test_mock11_mock16_coverage_is_guarded_like_the_rest_of_the_control_api(
        client: TestClient, district: District, settings: Settings) -> None:
    assert district.get("/schools").status_code == 200
    refused = district.mock("DELETE", "/coverage", headers={"Origin": "https://evil.example",
                                                            "Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and refused.json()["code"] == "cross_site_request"
    app = create_app(settings.model_copy(update={"seed_on_start": False, "run_worker": False,
                                                 "admin_token": "s3cret-admin-token-for-tests"}),
                     run_migrations=False)
    with TestClient(app) as guarded:
        for method in ("GET", "DELETE"):
            response = guarded.request(method, f"/_mock/districts/{district.app_name}/coverage")
            assert response.status_code == 401 and response.json()["code"] == "admin_token_required"
        allowed = guarded.get(f"/_mock/districts/{district.app_name}/coverage",
                              headers={"Authorization": "Bearer s3cret-admin-token-for-tests"})
        assert allowed.status_code == 200
    assert _rules(_coverage(district))["REF-1"] == 1, "nothing was cleared"
