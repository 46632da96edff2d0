"""Combine Person (guide: "An existing Student/Parent becomes an Employee"): the service rules (COMBINE-1..6)
and the Campus UI page that calls it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from boi_mock import models as m
from boi_mock.db import Database
from boi_mock.errors import BadRequest, Conflict, NotFound
from boi_mock.services import combine, districts, people
from boi_mock.services.context import DistrictContext
from tests.support import create_district, minimal_scenario, staff_payload
from tests.ui.support import Campus, element, flash, text

PYE_ADDRESS = {"number": "55", "prefix": "SE", "street": "Battlefield", "tag": "Rd", "city": "Springfield",
               "state": "MO", "zip": "65807"}


@contextmanager
def district_context(client: TestClient, app_name: str) -> Iterator[DistrictContext]:
    """One unit of work on the district, like a request (commits when the block ends without error)."""
    db = cast(Database, cast(Any, client.app).state.db)
    with db.unit_of_work() as session:
        yield DistrictContext(session=session, district=districts.get(session, app_name), actor="test")


def _hire_marcus(campus: Campus) -> tuple[int, int]:
    """The guide's case: the parent Marcus Pye (no staff number) is hired; the API creates a second person."""
    body = staff_payload("90051", lastName="Pye", firstName="Marcus", middleName=None, gender="M", ssn=None,
                         birthdate=None, household={"householdLocations": [{"address": PYE_ADDRESS}]})
    assert campus.district.post("/staffMembers", body).status_code == 201
    # p5 Jordan and p6 Marcus share the household with Alma; Marcus is the one born 1982.
    view = campus.staff("90051")
    assert view["household"]["staffHousehold"] is True and view["household"]["members"] == [view["personID"]]
    with district_context(campus.district.client, campus.app) as ctx:
        parent = ctx.session.query(m.Identity).filter(m.Identity.first_name == "Marcus",
                                                      m.Identity.district_id == ctx.district_id,
                                                      m.Identity.person_id != view["personID"]).one()
        marcus = parent.person_id
    return view["personID"], marcus


def test_combine1_same_or_unknown_person_is_refused(campus: Campus) -> None:
    brown = campus.person_id("10058")
    with pytest.raises(BadRequest) as same, district_context(campus.district.client, campus.app) as ctx:
        combine.combine(ctx, brown, brown)
    assert same.value.code == "same_person"
    with pytest.raises(NotFound) as unknown, district_context(campus.district.client, campus.app) as ctx:
        combine.combine(ctx, brown, 987654321)
    assert unknown.value.code == "person_not_found"


def test_combine1_a_person_of_another_district_is_not_found(campus: Campus) -> None:
    other = Campus(create_district(campus.district.client, minimal_scenario()))
    with pytest.raises(NotFound), district_context(campus.district.client, campus.app) as ctx:
        combine.combine(ctx, campus.person_id("10058"), other.person_id("10060"))


def test_combine2_two_different_staff_numbers_conflict_and_change_nothing(campus: Campus) -> None:
    before = campus.staff("10060")
    with pytest.raises(Conflict) as conflict, district_context(campus.district.client, campus.app) as ctx:
        combine.combine(ctx, campus.person_id("10058"), campus.person_id("10060"))
    assert conflict.value.code == "combine_staff_number_conflict"
    assert campus.staff("10060") == before


def test_combine_suggests_the_new_staff_member_as_base(campus: Campus) -> None:
    staff_id, parent_id = _hire_marcus(campus)
    with district_context(campus.district.client, campus.app) as ctx:
        staff = people.get_person(ctx, staff_id)
        parent = people.get_person(ctx, parent_id)
        assert combine.suggest_base(parent, staff) is staff
        assert combine.suggest_base(staff, parent) is staff


def test_combine3_to_6_student_parent_becomes_an_employee(campus: Campus) -> None:
    staff_id, parent_id = _hire_marcus(campus)
    pye_household = campus.staff("10072")["household"]
    version_before = _data_version(campus)
    with district_context(campus.district.client, campus.app) as ctx:
        result = combine.combine(ctx, staff_id, parent_id)
        assert "COMBINE" in ctx.rules
    assert result.base_person_id == staff_id and result.removed_person_id == parent_id
    assert result.staff_number == "90051"
    assert result.identities_moved == 1
    assert result.households_joined == [pye_household["householdID"]]
    assert len(result.households_removed) == 1
    assert set(result.demographics_filled) >= {"birthdate", "cell_phone", "personal_email"}
    view = campus.staff("90051")
    assert view["personID"] == staff_id
    # COMBINE-3: the parent's identity is history; the staff member's stays current, blanks filled in.
    history, current = view["identities"]  # oldest first: the parent's identity is older
    assert (history["current"], current["current"]) == (False, True)
    assert history["endDate"] == "2026-01-14" and current["endDate"] is None
    assert current["birthdate"] == "1982-06-30"
    assert view["demographics"]["cellPhone"] == "(417) 844-9020"
    # COMBINE-5: the family's household, with the staff member in place of the parent; the solo one is gone.
    assert view["household"]["householdID"] == pye_household["householdID"]
    assert sorted(view["household"]["members"]) == sorted(
        [staff_id if p == parent_id else p for p in pye_household["members"]])
    assert view["isStaff"] is True
    assert _data_version(campus) > version_before  # SYNC-5
    # HH-3 now protects the family's address from the HR system.
    moved = {"household": {"householdLocations": [{"address": {"fullStreetAddress": "1 Elm St", "city": "Nixa",
                                                              "state": "MO", "zip": "65714"}}]}}
    assert campus.district.put("/staffMembers/90051", moved).status_code == 200
    assert campus.staff("90051")["household"]["locations"] == pye_household["locations"]


def _data_version(campus: Campus) -> int:
    with district_context(campus.district.client, campus.app) as ctx:
        return int(ctx.district.data_version)


def test_combine4_duplicate_staff_numbers_become_one_person_without_duplicate_records(campus: Campus) -> None:
    scenario = minimal_scenario()
    position = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2020-01-01"}
    scenario["persons"] += [
        {"ref": "d1", "staffNumber": "30001", "lastName": "Dup", "firstName": "Dana", "gender": "F",
         "positions": [position], "employments": [{"hireDate": "2020-01-01"}]},
        {"ref": "d2", "staffNumber": "30001", "lastName": "Dup", "firstName": "Dana", "ssn": "111223333",
         "positions": [{**position, "linked": True}, {**position, "schoolNumber": "020"}],
         "employments": [{"hireDate": "2020-01-01"}]},
    ]
    dirty = Campus(create_district(campus.district.client, scenario))
    assert dirty.district.mock("GET", "/staff/30001").status_code == 409
    ids = [r["personID"] for r in dirty.district.mock("GET", "/check-campus-data").json()["details"]
           ["campusDuplicateStaffNumbers"]]
    with district_context(dirty.district.client, dirty.app) as ctx:
        result = combine.combine(ctx, ids[0], ids[1])
    assert result.duplicates_dropped == 2
    view = dirty.staff("30001")
    assert [(p["schoolNumber"], p["linked"]) for p in view["positions"]] == [("010", True), ("020", False)]
    assert len(view["employments"]) == 1
    assert view["demographics"]["ssn"] == "111223333"
    assert dirty.district.mock("GET", "/check-campus-data").json()["summary"]["campusDuplicateStaffNumbers"] == 0


# --- the Campus UI page -------------------------------------------------------------------------------------


def test_combine_page_finds_any_person_and_suggests_the_base(campus: Campus) -> None:
    staff_id, parent_id = _hire_marcus(campus)
    found = campus.get("combine", params={"qa": "Marcus"})
    listing = element(found, "found-a")
    assert "Pye, Marcus" in listing and "staff number 90051" in listing  # students/parents are found too
    page = campus.get("combine", params={"a": parent_id, "b": staff_id})
    assert page.status_code == 200
    assert f'id="base-{staff_id}" name="base" value="{staff_id}" checked' in page.text
    assert "suggested: the staff member" in text(page)


def test_combine_through_the_ui(campus: Campus) -> None:
    staff_id, parent_id = _hire_marcus(campus)
    response = campus.post("combine", {"base": staff_id, "a": parent_id, "b": staff_id})
    assert response.url.path == campus.path(f"staff/{staff_id}")
    assert f"Person {parent_id} was combined into person {staff_id}" in flash(response)
    assert "Pye, Alma" in element(response, "household-members")
    assert campus.get(f"staff/{parent_id}").status_code == 404


def test_combine_ui_errors_go_back_to_the_form(campus: Campus) -> None:
    brown, doughty = campus.person_id("10058"), campus.person_id("10060")
    response = campus.post("combine", {"base": brown, "a": brown, "b": doughty})
    assert response.url.path == campus.path("combine")
    assert "Both persons have a staff number" in flash(response)
    response = campus.post("combine", {"base": 1, "a": brown, "b": doughty})
    assert "must be one of the two persons" in flash(response)


def test_combine_notice_in_human_words() -> None:
    """Issue 17 item 9: the flash names fields as the staff page does and counts in the singular when it is one."""
    from boi_mock.admin.routes.combine import combined_notice
    from boi_mock.services.combine import CombineResult

    one = CombineResult(base_person_id=7, removed_person_id=9, staff_number="90051", identities_moved=1,
                        employments_moved=0, positions_moved=1, duplicates_dropped=0, households_joined=[3],
                        households_removed=[4],
                        demographics_filled=["cell_phone", "personal_email"])
    assert combined_notice(one) == (
        "Person 9 was combined into person 7; 1 identity, 0 employments and 1 district assignment moved; joined "
        "household 3; its own staff household 4 removed; Cell Phone and Personal Email filled in from the other "
        "person.")
    many = CombineResult(base_person_id=7, removed_person_id=9, staff_number=None, identities_moved=2,
                         employments_moved=1, positions_moved=3, duplicates_dropped=0,
                         demographics_filled=["ssn", "birthdate", "work_email"])
    assert combined_notice(many) == (
        "Person 9 was combined into person 7; 2 identities, 1 employment and 3 district assignments moved; SSN, "
        "Birth Date and Work Email filled in from the other person.")
