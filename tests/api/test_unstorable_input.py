"""Issue 14, item 7: text a database cannot store never reaches it from the control API or the Campus UI.

PostgreSQL refuses NUL in text (a DataError, so a 500); neither database can store a lone surrogate
(not UTF-8). Every control and UI input — path and query parameters, form fields, JSON bodies — is checked
where it enters (`boi_mock/inputs.py`): a NUL or a lone surrogate is a 400 naming the input, on both databases,
and nothing changes. The BOI API refuses control characters in its paths and queries (`api/gate.py`) and in
body strings (the schemas); a lone surrogate in a body string is a 400 there too.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.staff_support import table_counts, view
from tests.support import District, minimal_scenario, staff_payload
from tests.ui.support import UI, Campus, flash

SURROGATE = "\ud800"


def as_json(body: Any) -> dict[str, Any]:
    """Request arguments for a JSON body with its escapes kept (httpx's `json=` cannot encode a lone surrogate)."""
    return {"content": json.dumps(body).encode(), "headers": {"Content-Type": "application/json"}}


def assert_refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:500])
    if response.headers["content-type"].startswith("application/problem+json"):
        body = response.json()
        assert body["code"] == "invalid_value"
        assert field in [e["field"] for e in body["errors"]], body
    else:  # a Campus UI page
        assert "text/html" in response.headers["content-type"]
        assert field in response.text and "cannot be stored" in response.text


# --------------------------------------------------------------------------- control API (/_mock)


@pytest.mark.parametrize(("method", "path", "field"), [
    ("GET", "/_mock/districts/x%00", "appName"),
    ("DELETE", "/_mock/districts/x%00", "appName"),
    ("POST", "/_mock/districts/x%00/reset", "appName"),
    ("GET", "/_mock/districts/x%00/error-log", "appName"),
    ("GET", "/_mock/districts/{app}/staff/A%00", "staffNumber"),
    ("GET", "/_mock/districts/{app}/staff/10058?personID=1%00", "personID"),
    ("GET", "/_mock/districts/{app}/requests?path=/staff%00", "path"),
    ("GET", "/_mock/districts/{app}/error-log?x%00=1", "x\\u0000"),
])
def test_control_api_nul_in_path_or_query_is_400_on_both_databases(district: District, method: str, path: str,
                                                                    field: str) -> None:
    before = table_counts(district)
    response = district.client.request(method, path.format(app=district.app_name))
    assert_refused(response, field)
    assert "\\u0000" in response.json()["detail"]  # says which character, escaped
    assert table_counts(district) == before


@pytest.mark.parametrize("bad", ["x\x00y", f"x{SURROGATE}y"], ids=["nul", "lone-surrogate"])
def test_control_api_unstorable_text_in_a_json_body_is_400_and_changes_nothing(client: TestClient,
                                                                               district: District,
                                                                               bad: str) -> None:
    scenario = minimal_scenario()
    scenario["schools"][0]["name"] = bad
    created = client.post("/_mock/districts", **as_json(scenario))
    assert_refused(created, "schools[0].name")
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404
    before = view(district, "10058")
    reset = district.mock("POST", "/reset", **as_json({**scenario, "appName": district.app_name}))
    assert_refused(reset, "schools[0].name")
    fault = district.mock("POST", "/faults", **as_json({"status": 503, "body": {"detail": bad}}))
    assert_refused(fault, "body.detail")
    assert district.mock("GET", "/faults").json() == []
    keyed = district.mock("PUT", "/preferences", **as_json({"locks": {bad: True}}))
    assert_refused(keyed, "locks." + bad.replace("\x00", "\\u0000").replace(SURROGATE, "\\ud800"))
    assert view(district, "10058") == before


def test_control_api_raw_surrogate_bytes_in_a_json_body_are_400(district: District) -> None:
    """Not an escape: the UTF-8 bytes of U+D800 themselves (JSON parsers decode them with "surrogatepass")."""
    body = b'{"status": 503, "body": {"detail": "x' + "\ud800".encode("utf-8", "surrogatepass") + b'"}}'
    response = district.mock("POST", "/faults", content=body, headers={"Content-Type": "application/json"})
    assert_refused(response, "body.detail")
    assert district.mock("GET", "/faults").json() == []


def test_control_api_body_without_unstorable_text_still_works(district: District) -> None:
    detail = "Tab\tand line\nare fine, \u00e9 and \U0001f600 too"  # the emoji is a surrogate pair when escaped
    response = district.mock("POST", "/faults", **as_json({"status": 503, "body": {"detail": detail}}))
    assert response.status_code == 201, response.text
    assert district.mock("GET", "/faults").json()[0]["body"]["detail"] == detail


# --------------------------------------------------------------------------- Campus UI


@pytest.mark.parametrize(("path", "field"), [
    (f"{UI}/x%00/staff", "appName"),
    (f"{UI}/x%00/", "appName"),
    (f"{UI}/{{app}}/staff?q=a%00", "q"),
    (f"{UI}/{{app}}/error-log?path=a%00", "path"),
    (f"{UI}/{{app}}/staff/1%00", "person_id"),
])
def test_campus_ui_nul_in_path_or_query_is_400_on_both_databases(district: District, path: str,
                                                                 field: str) -> None:
    response = district.client.get(path.format(app=district.app_name))
    assert_refused(response, field)


def test_campus_ui_nul_in_a_form_field_is_refused_and_changes_nothing(district: District) -> None:
    campus = Campus(district)
    person_id = campus.person_id("10058")
    before = campus.staff("10058")
    counts = table_counts(district)
    for sub, form in ((f"staff/{person_id}/demographics", {"lastName": "Br\x00own", "firstName": "Allison"}),
                      ("notifications/new", {"type": "HR-Staff\x00"}),
                      ("user", {"username": "mpostma\x00"})):
        response = campus.post(sub, form)
        assert_refused(response, next(k for k, v in form.items() if "\x00" in v))
    assert campus.staff("10058") == before
    assert table_counts(district) == counts


# --------------------------------------------------------------------------- BOI API: lone surrogates in bodies


def test_err_lone_surrogate_in_a_boi_body_string_is_400_and_logged(district: District) -> None:
    before = table_counts(district)
    responses: list[tuple[httpx.Response, str]] = [
        (district.post("/staffMembers", **as_json(staff_payload("90001", lastName=f"Sm{SURROGATE}ith"))), "lastName"),
        (district.put("/staffMembers/10058", **as_json({"workEmail": f"a{SURROGATE}@b.org"})), "workEmail"),
        (district.post("/staffMembers", **as_json(staff_payload("90002", household={"householdLocations": [
            {"address": {"fullStreetAddress": f"1 Main{SURROGATE} St", "city": "Nixa", "state": "MO"}}]}))),
         "household.householdLocations[0].address.fullStreetAddress"),
    ]
    for response, field in responses:
        assert_refused(response, field)
    assert table_counts(district) == before
    logged: list[dict[str, Any]] = district.error_log()[:3]
    assert [row["action"] for row in logged] == ["POST", "PUT", "POST"]
    assert all("\\ud800" in row["payload"] or "\\\\ud800" in row["payload"] for row in logged), logged


def test_campus_ui_lone_surrogate_in_an_uploaded_hr_file_is_refused_and_stages_nothing(district: District) -> None:
    """A file's content is not a form field: its staff objects go through the schemas, which refuse lone surrogates."""
    campus = Campus(district)
    assert campus.post("sync/start", {}).status_code == 200
    items = [staff_payload("90001", lastName=f"Sm{SURROGATE}ith")]
    upload = {"file": ("hr.json", json.dumps(items).encode(), "application/json")}  # the escape kept as sent
    shown = flash(campus.post("sync/transfer", None, files=upload))
    assert "Item [0] (staff number 90001): lastName:" in shown
    assert "unicode string" in shown and "nothing was transferred" in shown
    assert district.get("/staffMembers/sync/status").json()["staffTransferred"] == 0


# --------------------------------------------------------------------------- integers beyond any column

BIG = "9" * 30


@pytest.mark.parametrize(("method", "path", "field"), [
    ("DELETE", "/_mock/districts/{app}/faults/" + BIG, "faultId"),
    ("GET", "/_mock/districts/{app}/requests?status=" + BIG, "status"),
    ("GET", f"{UI}/{{app}}/staff/{BIG}", "person_id"),
    ("GET", f"{UI}/{{app}}/notifications/{BIG}", "notification_id"),
    ("GET", f"{UI}/{{app}}/error-log/{BIG}/payload", "entry_id"),
])
def test_integer_parameter_beyond_64_bits_is_400_not_500(district: District, method: str, path: str,
                                                         field: str) -> None:
    response = district.client.request(method, path.format(app=district.app_name))
    assert response.status_code == 400, response.text[:300]
    assert field in response.text and "64-bit" in response.text


def test_a_20_digit_staff_number_is_text_not_an_integer(district: District) -> None:
    """STAFF-1 allows 20 digits, more than 64 bits hold: a text parameter is never judged as a number."""
    response = district.mock("GET", "/staff/99999999999999999999")
    assert response.status_code == 404, response.text


def test_json_integer_beyond_64_bits_is_400_and_changes_nothing(district: District) -> None:
    response = district.mock("POST", "/faults", content=b'{"status": 503, "times": ' + BIG.encode() + b"}",
                             headers={"Content-Type": "application/json"})
    assert_refused(response, "times")
    assert district.mock("GET", "/faults").json() == []


def test_fault_times_beyond_a_32_bit_column_is_400_on_both_databases(district: District) -> None:
    response = district.mock("POST", "/faults", json={"status": 503, "times": 2**31})
    assert response.status_code == 400, response.text
    assert any(e["field"].endswith("times") for e in response.json()["errors"]), response.text
    assert district.mock("POST", "/faults", json={"status": 503, "times": 2**31 - 1}).status_code == 201
