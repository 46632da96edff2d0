"""Fault injection: POST/GET/DELETE /_mock/districts/{appName}/faults and the FaultInjector middleware."""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi.testclient import TestClient

from boi_mock.api.faults import ConnectionDropped
from boi_mock.client import BoiApiError, BoiClient, MockControl
from boi_mock.domain import faults as rules
from boi_mock.main import create_app
from boi_mock.settings import Settings
from boi_mock.testing.district import BoiDistrict
from tests.support import District, create_district


def add(district: District, **rule: object) -> list[dict[str, object]]:
    created: list[dict[str, object]] = district.mock_json("POST", "/faults", status=201, json=rule)
    return created


def test_error_fault_answers_problem_json_the_first_n_times_then_the_real_api(district: District) -> None:
    (rule,) = add(district, method="GET", path="/schools", status=503, times=2, headers={"Retry-After": "2"})
    assert rule["remaining"] == 2 and rule["fired"] == 0
    for _ in range(2):
        response = district.get("/schools")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "2"
        body = response.json()
        assert body["code"] == "injected_fault" and body["status"] == 503 and body["errors"] == []
        assert body["title"] == "Service Unavailable" and f"fault rule {rule['id']}" in body["detail"]
    assert district.get("/schools").status_code == 200
    (listed,) = district.mock("GET", "/faults").json()
    assert (listed["matched"], listed["fired"], listed["remaining"]) == (3, 2, 0)


def test_injected_error_is_journalled_and_in_the_error_log_like_a_real_one(district: District) -> None:
    add(district, path="/schools", status=500, times=1)
    district.get("/schools")
    journal = district.mock("GET", "/requests").json()
    assert journal[0]["status"] == 500 and len(journal[0]["rules"]) == 1
    assert "HTTP 500 injected" in journal[0]["rules"][0]
    (row,) = district.error_log()
    assert row["status"] == 500 and row["code"] == "injected_fault" and row["action"] == "GET"
    assert row["path"].endswith("/schools") and "Fault injected" in row["errorMessage"]


def test_custom_problem_body_and_401_carries_www_authenticate(district: District) -> None:
    add(district, method="POST", path="/staffMembers", status=409, times=1,
        body={"code": "staff_exists", "detail": "Staff number 1 already exists",
              "errors": [{"field": "staffNumber", "code": "staff_exists", "message": "exists"}]})
    response = district.post("/staffMembers", {"staffNumber": "1", "lastName": "A", "firstName": "B"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "staff_exists" and body["type"].endswith("/staff_exists")
    assert body["errors"][0]["field"] == "staffNumber" and body["status"] == 409
    add(district, status=401, times=1)
    response = district.get("/schools")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_method_prefix_and_glob_matching(district: District) -> None:
    add(district, method="PUT", path="/staffMembers/*/position", status=502)
    add(district, method="GET", path="/attributes", status=504)
    assert district.get("/attributes/genders").status_code == 504
    assert district.get("/attributes/titles").status_code == 504
    assert district.get("/schools").status_code == 200
    assert district.put("/staffMembers/10058/position", {"schoolNumber": "030"}).status_code == 502
    assert district.put("/staffMembers/10058", {"lastName": "X"}).status_code != 502
    assert district.post("/staffMembers/10058/position", {}).status_code != 502


def test_matcher_is_relative_to_the_boi_path_or_full() -> None:
    spec = rules.FaultSpec(id=1, method=None, path="/staffMembers/*/position", times=None, probability=None, seed=None)
    assert rules.matches(spec, "PUT", "/campus/api/businessOfficeIntegration/staffMembers/9/position")
    assert rules.matches(spec, "PUT", "/apps/x/campus/api/businessOfficeIntegration/staffMembers/9/position")
    assert not rules.matches(spec, "PUT", "/campus/api/businessOfficeIntegration/staffMembers/9")
    full = rules.FaultSpec(id=2, method="get", path="/campus/api/businessOfficeIntegration/sch", times=None,
                           probability=None, seed=None)
    assert rules.matches(full, "GET", "/campus/api/businessOfficeIntegration/schools")
    anything = rules.FaultSpec(id=3, method=None, path=None, times=None, probability=None, seed=None)
    assert not rules.matches(anything, "POST", "/campus/oauth2/token"), "the token endpoint only when named"
    assert not rules.matches(anything, "GET", "/_mock/health")


def test_probability_is_reproducible_with_its_seed(client: TestClient) -> None:
    outcomes = []
    for _ in range(2):
        district = create_district(client)
        add(district, path="/schools", status=503, probability=0.5, seed=1234)
        outcomes.append([district.get("/schools").status_code for _ in range(16)])
    assert outcomes[0] == outcomes[1]
    assert {200, 503} == set(outcomes[0])
    expected = [503 if rules.draw(1234, n, 0.5) else 200 for n in range(16)]
    assert outcomes[0] == expected


def test_probability_without_seed_reports_the_seed_it_drew(district: District) -> None:
    (rule,) = add(district, status=500, probability=0.1)
    assert isinstance(rule["seed"], int)


@pytest.mark.parametrize("rule", [
    {"status": 500, "times": 1, "probability": 0.5},
    {"status": 500, "dropConnection": True},
    {"path": "/schools"},
    {"status": 302},
    {"status": 500, "bogus": 1},
    {"body": {"code": "x"}, "delayMs": 10},
])
def test_invalid_rules_are_400(district: District, rule: dict[str, object]) -> None:
    response = district.mock("POST", "/faults", json=rule)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert district.mock("GET", "/faults").json() == []


def test_a_list_of_rules_list_delete_one_and_clear(district: District) -> None:
    created = district.mock("POST", "/faults", json=[{"status": 500, "path": "/a"},
                                                      {"status": 502, "path": "/b"}]).json()
    assert [r["status"] for r in created] == [500, 502]
    assert district.mock("DELETE", f"/faults/{created[0]['id']}").status_code == 204
    assert [r["id"] for r in district.mock("GET", "/faults").json()] == [created[1]["id"]]
    assert district.mock("DELETE", f"/faults/{created[0]['id']}").status_code == 404
    assert district.mock("DELETE", "/faults").status_code == 204
    assert district.mock("GET", "/faults").json() == []


def test_faults_apply_only_to_their_district_and_only_with_a_valid_token(client: TestClient, district: District
                                                                          ) -> None:
    other = create_district(client)
    add(district, status=503)
    assert other.get("/schools").status_code == 200
    forged = district.get("/schools", headers={"Authorization": "Bearer " + district.token()[:-3] + "abc"})
    assert forged.status_code == 401, "a bad token is refused by AUTH-3, not answered by the fault"
    assert district.get("/schools").status_code == 503


def test_faults_also_apply_under_the_district_scoped_prefix(client: TestClient, district: District) -> None:
    add(district, path="/schools", status=503)
    scoped = f"/apps/{district.app_name}/campus/api/businessOfficeIntegration/schools"
    assert client.get(scoped, headers=district.headers()).status_code == 503


def test_token_endpoint_fault_when_its_path_is_named(district: District) -> None:
    add(district, path="/oauth2/token", status=503, times=1)
    assert district.fetch_token().status_code == 503
    assert district.fetch_token().status_code == 200


def test_delay_then_the_real_answer_and_the_journal_shows_it(district: District) -> None:
    (rule,) = add(district, method="GET", path="/schools", delayMs=200)
    started = time.perf_counter()
    assert district.get("/schools").status_code == 200
    assert time.perf_counter() - started >= 0.2
    (entry,) = district.mock("GET", "/requests").json()
    assert entry["durationMs"] >= 200 and entry["rules"] == [f"fault {rule['id']}: 200 ms delay injected"]


def test_client_retries_after_an_injected_401_once(boi: BoiClient, control: MockControl) -> None:
    district = control.district(boi.app_name)
    district.add_fault(status=401, times=1)
    assert boi.schools()
    assert boi.auth.tokens_fetched == 2
    district.add_fault(status=401, times=2)
    with pytest.raises(BoiApiError) as caught:
        boi.schools()
    assert caught.value.status == 401 and caught.value.code == "injected_fault"


@pytest.mark.boi_live_server
def test_drop_connection_closes_without_an_answer_on_a_real_server(boi_district: BoiDistrict) -> None:
    boi_district.add_fault(method="GET", path="/schools", drop_connection=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        boi_district.http.get("/schools")
    assert boi_district.http.get("/schools").status_code == 200
    dropped, answered = boi_district.journal()[1], boi_district.journal()[0]
    assert dropped.status == 0 and dropped.rules[0].endswith("connection dropped")
    assert answered.status == 200
    assert boi_district.error_log() == [], "a dropped connection is the network's failure, not Campus's"


@pytest.mark.boi_live_server
def test_delay_longer_than_the_client_timeout_is_a_timeout(boi_district: BoiDistrict) -> None:
    boi_district.add_fault(method="GET", path="/schools", delay_ms=1500, times=1)
    with pytest.raises(httpx.ReadTimeout):
        boi_district.http.get("/schools", timeout=0.2)
    assert boi_district.client.schools()


def test_drop_connection_in_process_raises_connection_dropped(settings: Settings) -> None:
    with TestClient(create_app(settings, run_migrations=False)) as strict:  # raise_server_exceptions=True
        district = create_district(strict)
        add(district, path="/schools", dropConnection=True, times=1)
        with pytest.raises(ConnectionDropped):
            district.get("/schools")
        assert district.get("/schools").status_code == 200, "the test client keeps working"
