"""PUT /staffMembers/{staffNumber}: STAFF-6, IDENT-1..3, EMP-2, STAFF-8, NOTE-1."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.staff_support import (
    data_version,
    district_with,
    error_fields,
    journal_rules,
    messages,
    set_today,
    view,
)
from tests.support import District

BROWN = "/staffMembers/10058"


def current(identities: list[dict[str, object]]) -> list[dict[str, object]]:
    return [i for i in identities if i["current"]]


def test_staff6_absent_fields_unchanged(district: District) -> None:
    before = district.get(BROWN).json()
    response = district.put(BROWN, {"cellPhone": "(417) 000-0000"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["cellPhone"] == "(417) 000-0000"
    assert {k: v for k, v in after.items() if k != "cellPhone"} == {k: v for k, v in before.items()
                                                                      if k != "cellPhone"}


def test_staff6_null_clears_a_field(district: District) -> None:
    response = district.put(BROWN, {"workPhone": None, "personalEmail": None, "ssn": None, "middleName": None})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["workPhone"] is None and body["personalEmail"] is None and body["ssn"] is None
    assert body["middleName"] is None


def test_staff6_names_cannot_be_cleared(district: District) -> None:
    response = district.put(BROWN, {"lastName": None, "firstName": ""})
    assert response.status_code == 400
    assert error_fields(response) == [("lastName", "invalid_value"), ("firstName", "invalid_value")]


def test_staff6_body_staff_number_must_equal_the_path(district: District) -> None:
    response = district.put(BROWN, {"staffNumber": "10060", "cellPhone": "1"})
    assert response.status_code == 400
    assert response.json()["code"] == "staff_number_mismatch"
    assert error_fields(response) == [("staffNumber", "staff_number_mismatch")]
    assert district.put(BROWN, {"staffNumber": None}).json()["code"] == "staff_number_mismatch"
    assert district.put(BROWN, {"staffNumber": "10058", "cellPhone": "1"}).status_code == 200


def test_staff6_unknown_staff_number_is_404(district: District) -> None:
    response = district.put("/staffMembers/99999", {"cellPhone": "1"})
    assert response.status_code == 404
    assert response.json()["code"] == "staff_not_found"


def test_staff6_same_rules_as_create_for_gender(district: District) -> None:
    response = district.put(BROWN, {"gender": "Q"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_gender"


def test_staff6_no_change_is_not_a_campus_write(district: District) -> None:
    version = data_version(district)
    assert district.put(BROWN, {"lastName": "Brown", "gender": "F"}).status_code == 200
    assert data_version(district) == version
    assert district.put(BROWN, {"gender": "X"}).status_code == 200
    assert data_version(district) == version + 1


def test_ident1_name_change_end_dates_current_identity(district: District) -> None:
    set_today(district, "2026-02-10")
    response = district.put(BROWN, {"lastName": "Smith"})
    assert response.status_code == 200 and response.json()["lastName"] == "Smith"
    identities = view(district, "10058")["identities"]
    assert [(i["lastName"], i["startDate"], i["endDate"], i["current"]) for i in identities] == [
        ("Brown", None, "2026-02-09", False), ("Smith", "2026-02-10", None, True)]
    assert identities[1]["firstName"] == "Allison" and identities[1]["gender"] == "F"
    assert "IDENT-1" in journal_rules(district, "PUT", BROWN)


def test_ident1_same_day_change_ends_the_old_identity_on_the_call_date(district: District) -> None:
    set_today(district, "2026-02-10")
    district.put(BROWN, {"firstName": "Ally"})
    district.put(BROWN, {"middleName": "J"})
    identities = view(district, "10058")["identities"]
    assert [(i["firstName"], i["middleName"], i["startDate"], i["endDate"]) for i in identities] == [
        ("Allison", "Jo", None, "2026-02-09"), ("Ally", "Jo", "2026-02-10", "2026-02-10"),
        ("Ally", "J", "2026-02-10", None)]
    assert len(current(identities)) == 1


def test_ident1_next_day_change_ends_the_day_before(district: District) -> None:
    set_today(district, "2026-02-10")
    district.put(BROWN, {"lastName": "Smith"})
    set_today(district, "2026-03-01")
    district.put(BROWN, {"lastName": "Jones"})
    identities = view(district, "10058")["identities"]
    assert [(i["lastName"], i["startDate"], i["endDate"]) for i in identities] == [
        ("Brown", None, "2026-02-09"), ("Smith", "2026-02-10", "2026-02-28"), ("Jones", "2026-03-01", None)]


def test_ident2_other_changes_update_the_current_identity_in_place(district: District) -> None:
    response = district.put(BROWN, {"gender": "X", "birthdate": "1979-12-27", "ssn": "111-22-3333",
                                    "workEmail": "new@school.k12.mo.us"})
    assert response.status_code == 200, response.text
    person = view(district, "10058")
    assert len(person["identities"]) == 1
    assert person["identities"][0]["gender"] == "X" and person["identities"][0]["birthdate"] == "1979-12-27"
    assert person["demographics"]["ssn"] == "111223333"
    rules = journal_rules(district, "PUT", BROWN)
    assert "IDENT-2" in rules and "IDENT-1" not in rules


def test_ident3_case_or_whitespace_only_is_not_a_name_change(district: District) -> None:
    response = district.put(BROWN, {"lastName": " BROWN ", "firstName": "allison", "middleName": "JO"})
    assert response.status_code == 200
    assert response.json()["lastName"] == "Brown"  # the stored spelling is kept
    assert len(view(district, "10058")["identities"]) == 1
    assert "IDENT-3" in journal_rules(district, "PUT", BROWN)


def test_ident3_a_real_letter_change_is_a_change(district: District) -> None:
    district.put(BROWN, {"lastName": "Browne"})
    assert len(view(district, "10058")["identities"]) == 2


def test_emp2_employments_complete_list_matched_by_hire_date(district: District) -> None:
    response = district.put("/staffMembers/10062", {"employments": [
        {"hireDate": "2014-08-11", "terminationDate": "2025-06-30"},  # matched: gets the termination date
        {"hireDate": "2025-08-11"}]})  # new; 2001-08-15 is missing → removed
    assert response.status_code == 200, response.text
    assert response.json()["employments"] == [{"hireDate": "2014-08-11", "terminationDate": "2025-06-30"},
                                              {"hireDate": "2025-08-11", "terminationDate": None}]
    assert "EMP-2" in journal_rules(district, "PUT", "/staffMembers/10062")


def test_emp2_absent_employments_untouched_empty_list_removes_all(district: District) -> None:
    before = district.get("/staffMembers/10062").json()["employments"]
    assert district.put("/staffMembers/10062", {"cellPhone": "1"}).json()["employments"] == before
    assert district.put("/staffMembers/10062", {"employments": None}).json()["employments"] == before
    assert district.put("/staffMembers/10062", {"employments": []}).json()["employments"] == []


def test_staff8_api_writes_fields_the_campus_ui_locks(district: District) -> None:
    district.put(BROWN, {"cellPhone": "2"})
    locked = view(district, "10058")["locked"]
    assert {"staffNumber", "lastName", "ssn", "employments", "positions", "household"} <= set(locked)
    response = district.put(BROWN, {"lastName": "Locked", "employments": []})
    assert response.status_code == 200 and response.json()["lastName"] == "Locked"


def test_staff8_locks_follow_the_preferences(district: District) -> None:
    district.put(BROWN, {"cellPhone": "2"})
    prefs = {"locks": {"staffCreation": True, "staffNumber": False, "staffDemographics": False,
                       "staffEmployment": True, "staffEmploymentAssignments": False, "staffHousehold": False}}
    assert district.mock("PUT", "/preferences", json=prefs).status_code == 200
    assert view(district, "10058")["locked"] == ["employments"]


def test_staff8_persons_the_hr_system_never_wrote_are_not_locked(district: District) -> None:
    assert view(district, "10060")["locked"] == []


def test_note1_updates_notify_staff_updated_and_assignments_updated(client: TestClient) -> None:
    district = district_with(client, notifications=True)
    district.put(BROWN, {"cellPhone": "3"})
    assert messages(district) == [("HR-Staff", "staff updated")]
    positions = district.get(BROWN).json()["positions"]
    for p in positions:
        p.pop("titleDescription")
    positions[1]["endDate"] = "2026-01-31"
    district.put(BROWN, {"positions": positions})
    assert messages(district)[1:] == [("HR-Staff", "district assignments updated")]
    district.put(BROWN, {"cellPhone": "3"})  # no change: no message
    assert len(messages(district)) == 2
