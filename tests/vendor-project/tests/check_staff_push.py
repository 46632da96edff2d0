"""The vendor's tests of its own `app` package against boi-mock, through the boi_mock pytest plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app import CampusError, push_staff, school_numbers

from boi_mock.testing.district import BoiDistrict

LINCOLN_TEACHER = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2024-08-01"}
PAT: dict[str, Any] = {"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat", "gender": "F",
                       "positions": [LINCOLN_TEACHER]}


def test_app_is_this_projects_own_package(pytestconfig: pytest.Config) -> None:
    import app

    assert app.__file__ is not None
    assert Path(app.__file__).resolve().is_relative_to(pytestconfig.rootpath.resolve())


def test_the_district_issues_a_token_that_opens_the_api(boi_district: BoiDistrict) -> None:
    # The OAuth2 client-credentials request a vendor's HR system makes (HTTP Basic), through the
    # plugin's connection to the server (`.http`: absolute URLs work too; per-request auth wins).
    response = boi_district.http.post(boi_district.token_url, data={"grant_type": "client_credentials"},
                                      auth=(boi_district.client_id, boi_district.client_secret))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"].lower() == "bearer" and body["access_token"]

    schools = boi_district.http.get("schools", auth=None,
                                     headers={"Authorization": f"Bearer {body['access_token']}"})
    assert schools.status_code == 200, schools.text
    unauthenticated = boi_district.http.get("schools", auth=None)
    assert unauthenticated.status_code == 401, unauthenticated.text


def test_push_creates_then_updates_a_staff_member(boi_district: BoiDistrict) -> None:
    assert "010" in school_numbers(boi_district.http)

    created = push_staff(boi_district.http, PAT)
    assert created["staffNumber"] == "90001"
    push_staff(boi_district.http, {**PAT, "workEmail": "pat@school.k12.mo.us"})

    stored = boi_district.client.get_staff("90001")
    assert (stored.last_name, stored.work_email) == ("Simpson", "pat@school.k12.mo.us")
    assert stored.positions[0].school_number == "010"
    boi_district.assert_called("POST", "/staffMembers", times=2)
    boi_district.assert_called("PUT", "/staffMembers/90001", times=1, status=200)


def test_campus_refusals_reach_the_vendor(boi_district: BoiDistrict) -> None:
    with pytest.raises(CampusError) as refused:
        push_staff(boi_district.http, {**PAT, "positions": [{**LINCOLN_TEACHER, "schoolNumber": "999"}]})
    assert 400 <= refused.value.status < 500
    assert boi_district.error_log(), "a refused call is in the Business Office Error Log"
