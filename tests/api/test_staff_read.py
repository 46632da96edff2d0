"""GET /staffMembers and /staffMembers/{staffNumber}: STAFF-3, STAFF-4, STAFF-7, duplicates in Campus."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from tests.api.staff_support import district_with, position
from tests.support import District, staff_payload

DUPLICATE = {"ref": "d1", "staffNumber": "10060", "lastName": "Doughty", "firstName": "Sara", "gender": "F"}
STAFF_WITHOUT_NUMBER = {"ref": "n1", "staffNumber": None, "lastName": "Nonumber", "firstName": "Ned",
                        "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2010-08-01"}]}


def numbers(response: httpx.Response) -> list[str | None]:
    return [m["staffNumber"] for m in response.json()]


def test_staff3_lists_campus_staff_with_total_count(district: District) -> None:
    response = district.get("/staffMembers")
    assert response.status_code == 200, response.text
    assert numbers(response) == ["10058", "10060", "10062", "10072"]  # students/parents are not listed
    assert response.headers["X-Total-Count"] == "4"


def test_staff3_names_are_case_insensitive_and_exact(district: District) -> None:
    assert numbers(district.get("/staffMembers", params={"lastName": "pye"})) == ["10072"]
    assert numbers(district.get("/staffMembers", params={"lastName": "BROWN", "firstName": "allison"})) == ["10058"]
    partial = district.get("/staffMembers", params={"lastName": "Brow"})
    assert partial.json() == [] and partial.headers["X-Total-Count"] == "0"


def test_staff3_all_given_filters_must_match(district: District) -> None:
    assert numbers(district.get("/staffMembers", params={"lastName": "Brown", "birthdate": "1979-12-26"})) == [
        "10058"]
    assert district.get("/staffMembers", params={"lastName": "Brown", "birthdate": "1979-12-27"}).json() == []
    assert numbers(district.get("/staffMembers", params={"staffNumber": "10062"})) == ["10062"]
    assert district.get("/staffMembers", params={"staffNumber": "10062", "firstName": "Sarah"}).json() == []


def test_staff3_limit_and_offset_page_with_the_total(district: District) -> None:
    page = district.get("/staffMembers", params={"limit": 2, "offset": 1})
    assert numbers(page) == ["10060", "10062"]
    assert page.headers["X-Total-Count"] == "4"
    assert district.get("/staffMembers", params={"offset": 10}).json() == []
    huge = district.get("/staffMembers", params={"offset": 95572365778623198658560})  # past any 64-bit integer
    assert (huge.status_code, huge.json(), huge.headers["X-Total-Count"]) == (200, [], "4")


def test_staff3_limit_defaults_to_100_and_is_capped_at_1000(district: District) -> None:
    for bad in ({"limit": 1001}, {"limit": 0}, {"offset": -1}, {"birthdate": "yesterday"}):
        response = district.get("/staffMembers", params=bad)
        assert response.status_code == 400, bad
        assert response.json()["code"] == "invalid_value"
    assert district.get("/staffMembers", params={"limit": 1000}).status_code == 200


def test_staff3_default_limit_is_100(client: TestClient) -> None:
    many = [{"ref": f"x{i}", "staffNumber": f"5{i:04d}", "lastName": "Many", "firstName": f"N{i}"}
            for i in range(105)]
    district = district_with(client, persons=many)
    response = district.get("/staffMembers", params={"lastName": "many"})
    assert len(response.json()) == 100
    assert response.headers["X-Total-Count"] == "105"


def test_staff3_searches_the_current_identity_only(district: District) -> None:
    assert district.put("/staffMembers/10060", {"lastName": "Smith"}).status_code == 200
    assert district.get("/staffMembers", params={"lastName": "Doughty"}).json() == []
    assert numbers(district.get("/staffMembers", params={"lastName": "smith"})) == ["10060"]


def test_staff3_staff_without_a_number_are_found_with_null_number(client: TestClient) -> None:
    district = district_with(client, persons=[STAFF_WITHOUT_NUMBER])
    found = district.get("/staffMembers", params={"lastName": "Nonumber"}).json()
    assert [(m["staffNumber"], m["isStaff"]) for m in found] == [(None, True)]


def test_staff7_person_with_number_but_no_position_is_found_with_is_staff_false(district: District) -> None:
    district.post("/staffMembers", {"staffNumber": "90100", "lastName": "Newhire", "firstName": "Nia"})
    found = district.get("/staffMembers", params={"lastName": "newhire"}).json()
    assert [(m["staffNumber"], m["isStaff"], m["positions"]) for m in found] == [("90100", False, [])]


def test_staff7_a_position_makes_the_person_staff(district: District) -> None:
    district.post("/staffMembers", {"staffNumber": "90101", "lastName": "Newhire", "firstName": "Nia"})
    assert district.post("/staffMembers/90101/position", position()).status_code == 201
    assert district.get("/staffMembers/90101").json()["isStaff"] is True


def test_staff4_get_by_staff_number(district: District) -> None:
    response = district.get("/staffMembers/10058")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lastName"] == "Brown" and body["ssn"] == "401558812" and body["isStaff"] is True
    assert [p["titleDescription"] for p in body["positions"]] == ["Math Teacher", "Varsity Basketball"]
    assert body["employments"] == [{"hireDate": "2008-08-11", "terminationDate": None}]


def test_staff4_unknown_staff_number_is_404(district: District) -> None:
    response = district.get("/staffMembers/99999")
    assert response.status_code == 404
    assert response.json()["code"] == "staff_not_found"
    assert "99999" in response.json()["detail"]


def test_staff4_duplicate_staff_number_in_campus_is_409(client: TestClient) -> None:
    district = district_with(client, persons=[DUPLICATE])
    response = district.get("/staffMembers/10060")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_campus_staff_number"
    assert len(body["personIDs"]) == 2
    # the search shows both, so the HR system can see the dirty data
    assert numbers(district.get("/staffMembers", params={"staffNumber": "10060"})) == ["10060", "10060"]
    # and writes to that number refuse to guess
    assert district.put("/staffMembers/10060", {"cellPhone": "1"}).status_code == 409
    assert district.post("/staffMembers", staff_payload("10060")).json()["code"] == "staff_exists"


def test_staff4_get_is_not_a_write(district: District) -> None:
    before = district.mock("GET", "/staff/10058").json()
    district.get("/staffMembers/10058")
    district.get("/staffMembers")
    assert district.mock("GET", "/staff/10058").json() == before
