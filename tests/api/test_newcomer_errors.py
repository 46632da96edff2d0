"""Errors a newcomer can act on (issue 17 item 10): which token check failed (logged, never answered: AUTH-2),
a JSON token request told to use a form, the token endpoint's appName required in the OpenAPI, Swagger's
Authorize fetching a token itself, no pydantic wording, "did you mean …?", and trailing slashes answered."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import BOI, District, staff_payload

TOKEN = "/campus/oauth2/token"
DOCS = "/campus/api/businessOfficeIntegration/documentation"
OPENAPI = "/campus/api/businessOfficeIntegration/openapi.json"


def _token(district: District, client_id: str, secret: str, app: str | None = None) -> dict[str, str]:
    response = district.client.post(f"{TOKEN}?appName={app or district.app_name}", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert response.status_code == 401
    body: dict[str, str] = response.json()
    return body


def _token_rows(district: District) -> list[dict[str, Any]]:
    return [row for row in district.error_log() if row["path"] == TOKEN]


def test_auth2_the_error_log_and_server_log_say_which_token_check_failed(
        district: District, caplog: pytest.LogCaptureFixture) -> None:
    old_secret = district.client_secret
    rotated = district.mock("POST", "/secret").json()["clientSecret"]
    district.client_secret = rotated
    with caplog.at_level(logging.WARNING, logger="boi_mock"):
        answers = [
            _token(district, "wrong-client", rotated),
            _token(district, district.client_id, "a-wrong-secret-of-some-length"),
            _token(district, district.client_id, old_secret),
            _token(district, rotated, district.client_id),
            _token(district, district.client_id, rotated, app="no-such-district"),
        ]
    assert all(answer == answers[0] for answer in answers), "AUTH-2: one answer for every failed check"
    assert answers[0] == {"error": "invalid_client", "error_description": "Client authentication failed"}
    rows = _token_rows(district)
    messages = [row["errorMessage"] for row in reversed(rows)]  # oldest first
    assert len(messages) == 4, "the unknown district's request has no district Error Log to go to"
    assert messages[0].startswith("Token request refused (invalid_client): Unknown client: client_id 'wrong-client'")
    assert "Wrong secret" in messages[1] and "29 characters" in messages[1]
    assert "Rotated secret" in messages[2] and "replaced on" in messages[2]
    assert "client id and secret swapped" in messages[3]
    assert all(row["status"] == 401 and row["code"] == "invalid_client" and row["action"] == "POST" for row in rows)
    server_log = caplog.text
    assert "Unknown appName 'no-such-district'" in server_log and "Rotated secret" in server_log
    for secret in (old_secret, rotated, "a-wrong-secret-of-some-length"):
        assert secret not in server_log, "never a secret in the server log"
        assert secret not in district.mock("GET", "/error-log").text, "never a secret in the Error Log"
    assert not [e for e in district.mock("GET", "/requests").json() if e["path"] == TOKEN], "not a BOI call"


def test_auth2_a_json_token_request_is_told_the_body_must_be_form_encoded(district: District) -> None:
    response = district.client.post(f"{TOKEN}?appName={district.app_name}", json={
        "grant_type": "client_credentials", "client_id": district.client_id, "client_secret": district.client_secret})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request", "still an OAuth2 error (RFC 6749 §5.2), not problem+json"
    assert "form-encoded" in body["error_description"] and "not JSON" in body["error_description"]
    assert "application/x-www-form-urlencoded" in body["error_description"]
    assert district.client_secret not in district.mock("GET", "/error-log").text
    assert "form-encoded" in _token_rows(district)[0]["errorMessage"]


def test_auth1_app_name_is_required_in_the_openapi(client: TestClient) -> None:
    operation = client.get(OPENAPI).json()["paths"][TOKEN]["post"]
    app_name = next(p for p in operation["parameters"] if p["name"] == "appName")
    assert app_name["required"] is True and app_name["in"] == "query"
    missing = client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request" and "appName" in missing.json()["error_description"]


def test_auth1_swagger_authorize_fetches_a_token_from_the_districts_token_url(district: District) -> None:
    client = district.client
    plain = client.get(OPENAPI).json()
    assert "campusOAuth2" not in plain["components"]["securitySchemes"], "no appName: no token URL to offer"
    assert "?appName=APP" in plain["info"]["description"], "the document says how to open it with one"
    named = client.get(OPENAPI, params={"appName": district.app_name}).json()
    flow = named["components"]["securitySchemes"]["campusOAuth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == f"http://testserver{TOKEN}?appName={district.app_name}"
    staff = named["paths"]["/campus/api/businessOfficeIntegration/staffMembers"]["post"]
    assert staff["security"] == [{"HTTPBearer": []}, {"campusOAuth2": []}]
    assert named["components"]["securitySchemes"]["campusOAuth2"]["type"] == "oauth2"
    from schemathesis.specs.openapi.adapter.validators import validate_v3

    validate_v3(named)  # still valid OpenAPI 3.1 (the token URL is absolute)
    page = client.get(DOCS, params={"appName": district.app_name}).text
    assert f"{OPENAPI}?appName={district.app_name}" in page, "the page loads the district's document"
    # What Swagger UI sends when Authorize is pressed: the client id and secret as HTTP Basic, a form body.
    basic = base64.b64encode(f"{district.client_id}:{district.client_secret}".encode()).decode()
    issued = client.post(flow["tokenUrl"].removeprefix("http://testserver"), data={"grant_type": "client_credentials"},
                         headers={"Authorization": f"Basic {basic}"})
    assert issued.status_code == 200
    headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    assert client.get(BOI + "/schools", headers=headers).status_code == 200
    credentials = client.get(f"/campus/ui/{district.app_name}/credentials").text
    assert f'href="http://testserver{DOCS}?appName={district.app_name}"' in credentials


def test_pydantic_wording_never_reaches_a_vendor(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90101", birthdate="03/04/1980", ssn="12-34"))
    assert response.status_code == 400
    body = response.json()
    messages = [e["message"] for e in body["errors"]]
    assert any("birthdate: must be a date as YYYY-MM-DD" in m for m in messages), messages
    assert any("ssn: must be 9 ASCII digits" in m for m in messages), messages
    row = district.error_log()[0]
    for text in (response.text, row["errorMessage"]):
        assert "Value error" not in text and "Assertion failed" not in text


def test_an_unknown_property_suggests_the_closest_known_one(district: District) -> None:
    payload = staff_payload("90102")
    payload["firstname"] = payload.pop("firstName")
    payload["positions"] = [{**payload["positions"][0], "schoolNumbr": "010"}] if payload.get("positions") else [
        {"schoolNumbr": "010", "assignmentCode": "20", "startDate": "2025-08-11"}]
    payload["positions"][0].pop("schoolNumber", None)
    response = district.post("/staffMembers", payload)
    assert response.status_code == 400
    messages = {e["field"]: e["message"] for e in response.json()["errors"] if e["code"] == "unknown_property"}
    assert messages["firstname"] == "Unknown property 'firstname' (did you mean 'firstName'?)"
    assert messages["positions[0].schoolNumbr"].endswith("(did you mean 'schoolNumber'?)"), "the nested model's"
    assert "(did you mean 'schoolNumber'?)" in district.error_log()[0]["errorMessage"], "the Error Log says it too"
    wild = district.post("/staffMembers", {**staff_payload("90103"), "zzqx": 1}).json()
    assert wild["errors"][0]["message"] == "Unknown property 'zzqx'", "no suggestion when nothing is close"
    query = district.get("/staffMembers", params={"lastname": "Brown"}).json()
    assert query["detail"] == "Unknown query parameter 'lastname' (did you mean 'lastName'?)"


@pytest.mark.parametrize("method,path,body,status", [
    ("POST", "/staffMembers/", "staff", 201),
    ("GET", "/staffMembers/", None, 200),
    ("GET", "/schools/", None, 200),
    ("GET", "/staffMembers/{staff}/", None, 200),
    ("PUT", "/staffMembers/{staff}/", {"firstName": "Patricia"}, 200),
    ("POST", "/staffMembers/sync/start/", None, 201),
])
def test_a_trailing_slash_is_answered_not_redirected(district: District, method: str, path: str, body: object,
                                                     status: int) -> None:
    staff = staff_payload("90110")
    if "{staff}" in path:
        assert district.post("/staffMembers", staff).status_code == 201
    payload = staff if body == "staff" else body
    response = district.call(method, path.format(staff="90110"), json=payload, follow_redirects=False)
    assert response.status_code == status, response.text
    journal = district.mock("GET", "/requests").json()
    assert not journal[0]["path"].endswith("/"), "journalled as the route it is"
