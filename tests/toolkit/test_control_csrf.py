"""MOCK-16 on /_mock: a state change from another origin is 403, a body that is not JSON is 415, and neither
changes anything. Calls without browser headers (httpx, curl, the plugin) keep working."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.support import District, create_district

PROBLEM = "application/problem+json"
OTHER_PORT = {"Origin": "http://testserver:9999", "Sec-Fetch-Site": "same-site"}

# (method, path under the district, keyword arguments): every kind of state change a page could try.
STATE_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/reset", {}),
    ("POST", "/secret", {}),
    ("PUT", "/preferences", {"json": {"allowHouseholdUpdates": False}}),
    ("PUT", "/clock", {"json": {"today": "2030-01-01"}}),
    ("POST", "/clock/advance", {"json": {"seconds": 86400}}),
    ("POST", "/faults", {"json": {"status": 503}}),
    ("DELETE", "", {}),
]


def _state(district: District) -> dict[str, Any]:
    summary = district.mock("GET").json()
    return {"secret": summary["clientSecret"], "preferences": summary["preferences"],
            "clock": {k: v for k, v in summary["clock"].items() if k != "now"},
            "faults": district.mock("GET", "/faults").json()}


def _assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


@pytest.mark.parametrize(("method", "sub", "kw"), STATE_CHANGES, ids=[f"{m} {s or '/'}" for m, s, _ in STATE_CHANGES])
@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    OTHER_PORT,
    {"Origin": "http://localhost"},  # another site, from a browser without fetch metadata
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
], ids=["cross-site", "other-port", "origin-only", "origin-null", "fetch-metadata-only"])
def test_mock16_cross_site_state_change_is_403_and_changes_nothing(
        district: District, method: str, sub: str, kw: dict[str, Any], headers: dict[str, str]) -> None:
    before = _state(district)
    response = district.mock(method, sub, headers=headers, **kw)
    _assert_problem(response, 403, "cross_site_request")
    assert _state(district) == before


def test_mock16_cross_site_create_district_is_403(client: TestClient) -> None:
    count = len(client.get("/_mock/districts").json())
    response = client.post("/_mock/districts", json={"appName": "evil-1"}, headers=OTHER_PORT)
    _assert_problem(response, 403, "cross_site_request")
    assert len(client.get("/_mock/districts").json()) == count


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", b""),
    ("application/x-www-form-urlencoded", b"a=1"),
    ("multipart/form-data; boundary=x", b"--x--\r\n"),
    ("text/plain", b'{"allowHouseholdUpdates": false}'),
    ("text/plain", b""),
    (None, b'{"allowHouseholdUpdates": false}'),
], ids=["empty-form", "form", "multipart", "text-plain-json", "empty-text-plain", "json-without-content-type"])
def test_mock16_state_change_that_is_not_json_is_415_and_changes_nothing(
        district: District, content_type: str | None, body: bytes) -> None:
    before = _state(district)
    headers = {"Content-Type": content_type} if content_type else {}
    for method, sub in (("POST", "/reset"), ("POST", "/secret"), ("PUT", "/preferences")):
        _assert_problem(district.mock(method, sub, content=body, headers=headers), 415, "unsupported_media_type")
    assert _state(district) == before


def test_mock16_text_plain_body_is_415_not_a_validation_error(district: District) -> None:
    response = district.mock("PUT", "/clock", content=b'{"today": "2030-01-01"}',
                             headers={"Content-Type": "text/plain"})
    _assert_problem(response, 415, "unsupported_media_type")
    assert "got bytes" not in response.text


def test_mock16_same_origin_json_and_bodyless_calls_still_work(district: District) -> None:
    same_origin = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    old = _state(district)["secret"]
    rotated = district.mock("POST", "/secret", headers=same_origin)  # a same-origin page (Swagger UI)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["clientSecret"] != old
    assert district.mock("POST", "/secret").status_code == 200  # curl -X POST: no body, no content type
    empty_json = district.mock("POST", "/reset", headers={"Content-Type": "application/json"})
    assert empty_json.status_code == 200, empty_json.text
    prefs = district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False},
                          headers={"Sec-Fetch-Site": "none"})
    assert prefs.status_code == 200, prefs.text
    problem_json = district.mock("PUT", "/clock", content=b'{"today": "2030-01-01"}',
                                 headers={"Content-Type": "application/merge-patch+json; charset=utf-8"})
    assert problem_json.status_code == 200, problem_json.text


def test_mock16_cross_site_reads_are_answered_but_never_cacheable(district: District) -> None:
    response = district.mock("GET", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers  # the page cannot read it
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.fixture
def remote_client(settings: Settings) -> Iterator[TestClient]:
    """The app as a caller on another machine sees it (the test client's peer is 192.0.2.10)."""
    app = create_app(settings.model_copy(update={"seed_on_start": False, "run_worker": False}),
                     run_migrations=False)
    with TestClient(app, client=("192.0.2.10", 40000)) as remote:
        yield remote


def test_mock16_without_admin_token_control_api_refuses_other_machines(
        client: TestClient, remote_client: TestClient) -> None:
    district = create_district(client)
    for method, sub in (("GET", ""), ("POST", "/secret"), ("GET", "/staff/10058")):
        response = remote_client.request(method, f"/_mock/districts/{district.app_name}{sub}")
        _assert_problem(response, 403, "admin_token_required")
        assert district.client_secret not in response.text
    listing = remote_client.get("/_mock/districts")
    _assert_problem(listing, 403, "admin_token_required")
    assert remote_client.get("/_mock/health").status_code == 200  # the health check stays open
    assert client.get(f"/_mock/districts/{district.app_name}").json()["clientSecret"] == district.client_secret


def test_mock16_opt_out_setting_opens_the_control_api_to_other_machines(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"seed_on_start": False, "run_worker": False,
                                                 "allow_public_without_admin_token": True}), run_migrations=False)
    with TestClient(app, client=("192.0.2.10", 40000)) as remote:
        assert remote.get("/_mock/districts").status_code == 200


def test_boi_api_and_oauth_token_endpoint_take_no_csrf_checks(district: District) -> None:
    """HR systems call these, not browsers: browser headers change nothing, and the token stays form-encoded."""
    browserish = {"Origin": "https://hr-vendor.example", "Sec-Fetch-Site": "cross-site"}
    token = district.client.post(f"/campus/oauth2/token?appName={district.app_name}", headers=browserish, data={
        "grant_type": "client_credentials", "client_id": district.client_id, "client_secret": district.client_secret})
    assert token.status_code == 200, token.text
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}", **browserish}
    assert district.client.get("/campus/api/businessOfficeIntegration/schools", headers=bearer).status_code == 200
    created = district.client.post("/campus/api/businessOfficeIntegration/staffMembers", headers=bearer,
                                   json={"staffNumber": "90555", "lastName": "Cross", "firstName": "Site"})
    assert created.status_code == 201, created.text
