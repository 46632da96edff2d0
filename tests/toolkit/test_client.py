"""The typed client (boi_mock.client): token caching and refresh, typed answers, problem+json → BoiApiError."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest

from boi_mock.client import BoiApiError, BoiAuthError, BoiClient, BoiTokenAuth, MockControl
from boi_mock.client.boi import campus_url, wire
from boi_mock.schemas.staff import PositionIn, StaffMemberIn
from boi_mock.testing.district import BoiDistrict
from tests.support import staff_payload


def test_reference_data_is_typed(boi: BoiClient) -> None:
    assert [s.school_number for s in boi.schools()] == ["010", "020", "030"]
    assert {g.code for g in boi.genders()} == {"F", "M", "X"}
    assert "20" in {a.code for a in boi.assignment_codes()}
    assert any(t.title_code == "4A61E262" for t in boi.titles())


def test_token_is_fetched_once_and_reused(boi: BoiClient) -> None:
    for _ in range(3):
        boi.schools()
    assert boi.auth.tokens_fetched == 1


def test_token_renewed_before_local_expiry() -> None:
    now = [1000.0]
    auth = BoiTokenAuth("http://x/campus/oauth2/token?appName=a", "id", "secret", clock=lambda: now[0])
    reply = httpx.Response(200, json={"access_token": "t1", "token_type": "Bearer", "expires_in": 100},
                           request=auth.token_request())
    auth.store(reply)
    assert auth.token == "t1"
    now[0] += 89  # renewed 10% (at most 30 s) early
    assert auth.token == "t1"
    now[0] += 2
    assert auth.token is None


def test_staff_lifecycle_with_typed_models(boi: BoiClient) -> None:
    created = boi.create_staff(StaffMemberIn.model_validate(staff_payload("90001")))
    assert created.staff_number == "90001" and created.person_id > 0 and created.is_staff
    assert created.ssn == "123456789" and created.birthdate == date(1979, 12, 26)
    assert created.positions[0].school_number == "010"
    updated = boi.update_staff("90001", StaffMemberIn(work_phone="5550000000"))
    assert updated.work_phone == "5550000000" and updated.last_name == "Simpson", "absent fields unchanged"
    cleared = boi.update_staff("90001", {"workPhone": None})
    assert cleared.work_phone is None, "null clears (STAFF-6)"
    found = boi.search_staff(last_name="SIMPSON", birthdate=date(1979, 12, 26), limit=1)
    assert [m.staff_number for m in found] == ["90001"] and found.total == 1
    assert boi.get_staff("90001").person_id == created.person_id


def test_positions_add_and_update(boi: BoiClient) -> None:
    boi.create_staff(staff_payload("90003"))
    added = boi.add_position("90003", PositionIn(school_number="020", assignment_code="30",
                                                 start_date=date(2024, 8, 1)))
    assert added.school_number == "020" and added.start_date == date(2024, 8, 1)
    result = boi.update_position("90003", {"schoolNumber": "020", "assignmentCode": "30",
                                           "startDate": "2024-08-01", "endDate": "2025-06-30"})
    assert result.updated == 1 and result.positions[0].end_date == date(2025, 6, 30)


def test_addresses_search(boi: BoiClient) -> None:
    found = boi.search_addresses(full_street_address="4321 North Lexington Avenue", zip="65803")
    assert [(a.number, a.prefix, a.street, a.tag) for a in found] == [("4321", "N", "Lexington", "Ave")]
    assert found[0].address_id
    assert boi.search_addresses({"number": "4321", "prefix": "N", "street": "Lexington", "tag": "Ave",
                                 "zip": "65803"})[0].address_id == found[0].address_id


def test_problem_json_becomes_boi_api_error_with_field_codes(boi: BoiClient) -> None:
    with pytest.raises(BoiApiError) as caught:
        boi.create_staff(staff_payload("90004", positions=[{"schoolNumber": "999", "assignmentCode": "20",
                                                            "startDate": "2024-01-01"}]))
    error = caught.value
    assert (error.status, error.code) == (400, "unknown_school")
    assert error.field_codes() == {"positions[0].schoolNumber": "unknown_school"}
    assert "999" in error.detail and "unknown_school" in str(error)
    with pytest.raises(BoiApiError) as missing:
        boi.get_staff("nobody1")
    assert (missing.value.status, missing.value.code) == (404, "staff_not_found")
    boi.create_staff(staff_payload("90005"))
    with pytest.raises(BoiApiError) as exists:
        boi.create_staff(staff_payload("90005"))
    assert (exists.value.status, exists.value.code) == (409, "staff_exists")


def test_wrong_secret_is_boi_auth_error(boi: BoiClient) -> None:
    boi.auth.set_credentials(boi.auth.client_id, "wrong")
    with pytest.raises(BoiAuthError) as caught:
        boi.schools()
    assert (caught.value.status, caught.value.error) == (401, "invalid_client")


def test_sync_steps(boi: BoiClient) -> None:
    started = boi.sync_start()
    assert started.status == "TRANSFER_STARTED" and started.staff_transferred == 0
    members = [staff_payload("91001"), staff_payload("91002", lastName="Other", ssn="987654321")]
    assert boi.sync_transfer(members).staff_transferred == 2
    assert boi.sync_end().status == "TRANSFER_ENDED"
    report = boi.sync_validate()
    assert report.summary["hrStaffNotInCampus"] == 2
    result = boi.sync_commit()
    assert sorted(result.succeeded) == ["91001", "91002"] and result.failed == []
    assert boi.get_staff("91002").last_name == "Other"


def test_sync_commit_job(boi: BoiClient) -> None:
    boi.sync_transfer_all([staff_payload("92001")])
    boi.sync_validate()
    job = boi.sync_submit_commit_job()
    assert job.status == "QUEUED" and job.job_id is not None
    deadline = time.monotonic() + 20
    while (status := boi.sync_commit_job_status()).status in ("QUEUED", "RUNNING"):
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
    assert status.status == "COMPLETED" and status.succeeded == 1


def test_wire_keeps_absent_apart_from_null() -> None:
    assert wire(StaffMemberIn(last_name="A", middle_name=None)) == {"lastName": "A", "middleName": None}
    assert campus_url("http://h:1/") == "http://h:1/campus" == campus_url("http://h:1/campus/")


@pytest.mark.boi_live_server
def test_client_against_a_real_server(boi_district: BoiDistrict) -> None:
    with BoiClient(boi_district.base_url, boi_district.app_name, boi_district.client_id,
                   boi_district.client_secret) as boi:
        assert boi.schools()
        assert boi.token().count(".") == 2
    control = MockControl(boi_district.control.server_url)
    assert control.health()
    control.close()
