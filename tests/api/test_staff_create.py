"""POST /staffMembers: STAFF-1, STAFF-2, STAFF-5, EMP-1, NOTE-1, atomicity (CONTRACT §1)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.staff_support import (
    data_version,
    district_with,
    error_fields,
    journal_rules,
    messages,
    table_counts,
    view,
)
from tests.support import District, staff_payload


def test_staff5_create_returns_201_with_the_member(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["personID"], int)
    assert {k: body[k] for k in ("staffNumber", "lastName", "firstName", "middleName", "gender", "birthdate")} == {
        "staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat", "middleName": "Q", "gender": "F",
        "birthdate": "1979-12-26"}
    assert body["isStaff"] is True
    assert body["employments"] == [{"hireDate": "2020-08-01", "terminationDate": None}]
    assert body["positions"] == [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262",
                                  "titleDescription": "Varsity Basketball", "startDate": "2023-10-01",
                                  "endDate": None}]
    again = district.get("/staffMembers/90001")
    assert again.status_code == 200 and again.json() == body


def test_staff5_existing_staff_number_is_409_staff_exists(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("10058"))
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "staff_exists"
    assert "10058" in response.json()["detail"]


def test_staff5_positions_employments_household_are_optional(district: District) -> None:
    response = district.post("/staffMembers", {"staffNumber": "A1", "lastName": "Lee", "firstName": "Kim"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["positions"] == [] and body["employments"] == [] and body["isStaff"] is False
    assert body["middleName"] is None and body["ssn"] is None


def test_staff5_new_identity_starts_on_the_district_date(district: District) -> None:
    district.post("/staffMembers", staff_payload("90002"))
    identities = view(district, "90002")["identities"]
    assert identities == [{"lastName": "Simpson", "firstName": "Pat", "middleName": "Q", "gender": "F",
                           "birthdate": "1979-12-26", "startDate": "2026-01-15", "endDate": None,
                           "current": True}]


def test_staff1_last_first_and_staff_number_required_with_field_paths(district: District) -> None:
    response = district.post("/staffMembers", {"gender": "F"})
    assert response.status_code == 400, response.text
    assert sorted(error_fields(response)) == [("firstName", "missing_field"), ("lastName", "missing_field"),
                                              ("staffNumber", "missing_field")]


def test_staff1_blank_names_rejected(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90003", lastName="   "))
    assert response.status_code == 400
    assert error_fields(response) == [("lastName", "invalid_value")]


def test_staff1_staff_number_letters_and_digits_1_to_20(district: District) -> None:
    for bad in ("12-34", "", "A" * 21, "12 34"):
        response = district.post("/staffMembers", staff_payload(bad))
        assert response.status_code == 400, bad
        assert error_fields(response) == [("staffNumber", "invalid_value")], bad
    ok = district.post("/staffMembers", staff_payload("Ab12" + "9" * 16))
    assert ok.status_code == 201, ok.text


def test_staff1_ssn_with_dashes_is_returned_as_nine_digits(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90004", ssn="123-45-6789"))
    assert response.status_code == 201 and response.json()["ssn"] == "123456789"


def test_staff1_ssn_must_be_nine_digits(district: District) -> None:
    for bad in ("12345678", "1234567890", "12a456789"):
        response = district.post("/staffMembers", staff_payload("90005", ssn=bad))
        assert response.status_code == 400, bad
        assert error_fields(response) == [("ssn", "invalid_value")]


def test_staff2_unknown_gender_is_400(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90006", gender="Q"))
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_gender"
    assert error_fields(response) == [("gender", "unknown_gender")]
    assert "'Q'" in response.json()["detail"]


def test_staff2_known_gender_accepted(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90007", gender="X"))
    assert response.status_code == 201 and response.json()["gender"] == "X"


def test_emp1_dates_stored_as_sent_without_validation(district: District) -> None:
    employments = [{"hireDate": "2015-08-01", "terminationDate": "2010-01-01"},  # ends before it starts
                   {"hireDate": "2012-01-01", "terminationDate": "2016-01-01"},  # overlaps the first
                   {"hireDate": "2020-08-01"}]
    response = district.post("/staffMembers", staff_payload("90008", employments=employments))
    assert response.status_code == 201, response.text
    assert response.json()["employments"] == [
        {"hireDate": "2015-08-01", "terminationDate": "2010-01-01"},
        {"hireDate": "2012-01-01", "terminationDate": "2016-01-01"},
        {"hireDate": "2020-08-01", "terminationDate": None}]
    assert "EMP-1" in journal_rules(district, "POST", "/staffMembers")


def test_emp1_malformed_date_is_still_400(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90009", employments=[{"hireDate": "2020-13-01"}]))
    assert response.status_code == 400
    assert error_fields(response) == [("employments[0].hireDate", "invalid_value")]


def test_staff5_unknown_property_is_rejected(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90010", lastname="typo"))
    assert response.status_code == 400
    assert error_fields(response) == [("lastname", "unknown_property")]


def test_staff5_failure_on_last_position_stores_nothing(district: District) -> None:
    before = table_counts(district)
    version = data_version(district)
    positions = [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "NEWTITLE1", "startDate": "2024-01-01"},
                 {"schoolNumber": "020", "titleCode": "NEWTITLE2", "startDate": "2024-01-01"},
                 {"schoolNumber": "999", "assignmentCode": "20", "startDate": "2024-01-01"}]
    payload = staff_payload("90011", positions=positions,
                            household={"householdLocations": [{"address": {
                                "fullStreetAddress": "100 Main St", "city": "Springfield", "state": "MO",
                                "zip": "65803"}}]})
    response = district.post("/staffMembers", payload)
    assert response.status_code == 400, response.text
    assert error_fields(response) == [("positions[2].schoolNumber", "unknown_school")]
    assert table_counts(district) == before
    assert data_version(district) == version
    assert district.get("/staffMembers/90011").status_code == 404


def test_staff5_every_problem_reported_at_once(district: District) -> None:
    response = district.post("/staffMembers", staff_payload(
        "90012", gender="Z", positions=[{"schoolNumber": "999", "assignmentCode": "77", "startDate": "2024-01-01"},
                                        {"schoolNumber": "010"}]))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert error_fields(response) == [
        ("gender", "unknown_gender"),
        ("positions[0].schoolNumber", "unknown_school"),
        ("positions[0].assignmentCode", "unknown_assignment_code"),
        ("positions[1].startDate", "missing_field"),
        ("positions[1]", "title_or_assignment_required")]


def test_staff5_create_is_a_campus_write(district: District) -> None:
    version = data_version(district)
    assert district.post("/staffMembers", staff_payload("90013")).status_code == 201
    assert data_version(district) == version + 1
    assert district.get("/staffMembers/90013").status_code == 200
    assert data_version(district) == version + 1  # reads change nothing


def test_note1_staff_created_notifies_hr_staff_recipients(client: TestClient) -> None:
    district = district_with(client, notifications=True)
    assert district.post("/staffMembers", staff_payload("90014")).status_code == 201
    assert messages(district) == [("HR-Staff", "staff created")]


def test_note1_no_recipients_no_messages(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90015")).status_code == 201
    assert messages(district) == []


def test_staff5_household_addresses_checked_only_when_the_household_is_applied(district: District) -> None:
    unreadable = {"householdLocations": [{"address": {"fullStreetAddress": "nowhere at all", "city": "X"}}]}
    response = district.post("/staffMembers", staff_payload("90016", household=unreadable))
    assert response.status_code == 400
    assert error_fields(response) == [("household.householdLocations[0].address.fullStreetAddress",
                                       "unparseable_address")]
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False}).status_code == 200
    response = district.post("/staffMembers", staff_payload("90016", household=unreadable))
    assert response.status_code == 201, response.text  # HH-5: ignored data cannot fail the call
