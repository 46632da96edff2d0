"""MOCK-4: GET /_mock/districts/{appName}/staff/{staffNumber} — everything Campus holds for a person."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.staff_support import district_with, set_today, view
from tests.support import District

DUPLICATE = {"ref": "d1", "staffNumber": "10058", "lastName": "Brown", "firstName": "Allie", "gender": "F",
             "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2001-08-01",
                            "linked": True}]}


def test_mock4_shows_identities_employments_positions_household_and_locks(district: District) -> None:
    person = view(district, "10058")
    assert set(person) >= {"personID", "identities", "employments", "positions", "household", "locked"}
    assert person["identities"] == [{"lastName": "Brown", "firstName": "Allison", "middleName": "Jo",
                                     "gender": "F", "birthdate": "1979-12-26", "startDate": None,
                                     "endDate": None, "current": True}]
    assert person["employments"] == [{"hireDate": "2008-08-11", "terminationDate": None}]
    assert [(p["titleCode"], p["linked"]) for p in person["positions"]] == [("7B20C1D4", True),
                                                                             ("4A61E262", False)]
    assert isinstance(person["locked"], list)


def test_mock4_identities_oldest_first(district: District) -> None:
    set_today(district, "2026-02-01")
    district.put("/staffMembers/10058", {"lastName": "Smith"})
    set_today(district, "2026-03-01")
    district.put("/staffMembers/10058", {"lastName": "Jones"})
    names = [(i["lastName"], i["current"]) for i in view(district, "10058")["identities"]]
    assert names == [("Brown", False), ("Smith", False), ("Jones", True)]


def test_mock4_unknown_staff_number_404_and_unknown_district_404(district: District) -> None:
    response = district.mock("GET", "/staff/99999")
    assert response.status_code == 404 and response.json()["code"] == "staff_not_found"
    other = district.client.get("/_mock/districts/no-such-district/staff/10058")
    assert other.status_code == 404 and other.json()["code"] == "district_not_found"


def test_mock4_duplicates_need_person_id(client: TestClient) -> None:
    district = district_with(client, persons=[DUPLICATE])
    response = district.mock("GET", "/staff/10058")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_campus_staff_number"
    ids = response.json()["personIDs"]
    picked = view(district, "10058", personID=ids[1])
    assert picked["personID"] == ids[1] and picked["identities"][0]["firstName"] == "Allie"
    missing = district.mock("GET", "/staff/10058", params={"personID": 999_999})
    assert missing.status_code == 404


def test_mock4_household_null_for_a_person_without_one(district: District) -> None:
    district.post("/staffMembers", {"staffNumber": "90300", "lastName": "Solo", "firstName": "Han"})
    assert view(district, "90300")["household"] is None
