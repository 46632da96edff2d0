"""Staff search (STAFF-7) and the staff page: identities, employments, assignments, household, locks (PREF-1,
STAFF-8, SYNC-8) and Campus edits through the staff service (the API's rules apply; the API overwrites them)."""

from __future__ import annotations

import re

import pytest

from boi_mock.admin.routes import staff as staff_routes
from tests.api.sync_support import run_to_validated
from tests.support import staff_payload
from tests.ui.support import Campus, element, flash, text

ALL_LOCKS = ("staffCreation", "staffNumber", "staffDemographics", "staffEmployment", "staffEmploymentAssignments",
             "staffHousehold")


def _unlock(campus: Campus, *areas: str) -> None:
    campus.post("preferences", {k: "true" for k in ALL_LOCKS if k not in areas} | {"allowHouseholdUpdates": "true"})


def _demographics(campus: Campus, person_id: int, **changes: str) -> dict[str, str]:
    """The demographics form as the page fills it, with changes."""
    page = campus.get(f"staff/{person_id}").text
    form: dict[str, str] = {}
    for name in ("lastName", "firstName", "middleName", "workPhone", "cellPhone", "otherPhone", "workEmail",
                 "personalEmail"):
        marker = f'name="{name}" value="'
        start = page.index(marker) + len(marker)
        form[name] = page[start:page.index('"', start)]
    form["gender"] = page.split('id="f-gender"')[1].split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]
    form["birthdate"] = page.split('id="f-birthdate" name="birthdate" value="')[1].split('"')[0]
    form.update(changes)
    return form


def test_staff7_campus_search_does_not_find_a_person_without_a_position(campus: Campus) -> None:
    district = campus.district
    assert district.post("/staffMembers", staff_payload("90041", lastName="Nopos", positions=None)).status_code == 201
    api = district.get("/staffMembers", params={"staffNumber": "90041"}).json()
    assert api[0]["isStaff"] is False  # the API search finds them (STAFF-3)
    response = campus.get("staff", params={"q": "90041"})
    assert element(response, "staff-count").startswith("0 staff found")
    position = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2025-08-15"}
    assert district.post("/staffMembers/90041/position", position).status_code == 201
    found = campus.get("staff", params={"q": "90041"})
    assert element(found, "staff-count").startswith("1 staff found")
    assert "Nopos, Pat" in element(found, "staff-results")


def test_staff_search_by_name_shows_staff_only(campus: Campus) -> None:
    everyone = campus.get("staff")
    assert element(everyone, "staff-count").startswith("4 staff found")
    pye = element(campus.get("staff", params={"q": "pye"}), "staff-results")
    assert "Pye, Alma" in pye
    assert "Jordan" not in pye and "Marcus" not in pye  # student and parent: no position
    assert "Brown, Allison" in element(campus.get("staff", params={"q": "Brown, All"}), "staff-results")


def test_staff_page_shows_demographics_assignments_and_household(campus: Campus) -> None:
    person_id = campus.person_id("10058")
    response = campus.get(f"staff/{person_id}")
    assert response.status_code == 200
    page = text(response)
    assert "Brown, Allison Jo" in page
    assert "*****8812" in response.text and "401558812" not in response.text  # SSN masked
    assert "Math Teacher" in response.text and "linked" in response.text
    locations = element(response, "household-locations")
    assert "4321 N Lexington Ave, Springfield, MO 65803" in locations
    for part in ("number 4321", "prefix N", "street Lexington", "tag Ave"):
        assert part in locations
    assert "Brown, Allison" in element(response, "household-members")


def test_hh3_shared_household_shows_its_members(campus: Campus) -> None:
    response = campus.get(f"staff/{campus.person_id('10072')}")
    members = element(response, "household-members")
    assert "Pye, Alma" in members and "Pye, Jordan" in members and "Pye, Marcus" in members
    assert "Shared: HR household data is ignored (HH-3)" in text(response)


def test_ident1_identity_history_is_a_timeline_of_current_and_end_dated(campus: Campus) -> None:
    assert campus.district.put("/staffMembers/10058", {"lastName": "Simpson"}).status_code == 200
    timeline = element(campus.get(f"staff/{campus.person_id('10058')}"), "identity-timeline")
    assert "Simpson, Allison Jo Current from 01/15/2026" in timeline
    assert "Brown, Allison Jo End-dated from the start to 01/14/2026" in timeline
    assert timeline.index("Simpson") < timeline.index("Brown")  # newest first


def test_pref1_staff8_fields_written_by_the_api_are_read_only(campus: Campus) -> None:
    assert campus.district.put("/staffMembers/10060", {"workPhone": "(417) 555-0001"}).status_code == 200
    person_id = campus.person_id("10060")
    response = campus.get(f"staff/{person_id}")
    assert 'id="save-demographics"' not in response.text
    assert 'id="demographics-readonly"' in response.text
    assert "Staff Demographics is locked by Business Office Preferences" in text(response)
    assert 'id="save-assignments"' not in response.text and 'id="save-household"' not in response.text
    refused = campus.post(f"staff/{person_id}/demographics", _demographics_locked(campus, person_id))
    assert "Staff Demographics is locked for this staff member" in flash(refused)
    assert campus.staff("10060")["demographics"]["workPhone"] == "(417) 555-0001"


def _demographics_locked(campus: Campus, person_id: int) -> dict[str, str]:
    return {"lastName": "Hacked", "firstName": "Sarah", "workPhone": "(417) 555-9999"}


def test_pref1_unlocked_field_edited_in_campus_is_overwritten_by_the_next_api_call(campus: Campus) -> None:
    assert campus.district.put("/staffMembers/10060", {"workPhone": "(417) 555-0001"}).status_code == 200
    _unlock(campus, "staffDemographics")
    person_id = campus.person_id("10060")
    page = campus.get(f"staff/{person_id}")
    assert "the next API call or sync from the HR system overwrites your change" in text(page)
    response = campus.post(f"staff/{person_id}/demographics", _demographics(campus, person_id,
                                                                            workPhone="(417) 555-7777"))
    assert "Demographics saved by Postma, Madison" in flash(response)
    assert "IDENT-2" in flash(response)
    assert campus.staff("10060")["demographics"]["workPhone"] == "(417) 555-7777"
    assert campus.district.put("/staffMembers/10060", {"workPhone": "(417) 555-0002"}).status_code == 200
    after = campus.get(f"staff/{person_id}")
    assert 'value="(417) 555-0002"' in after.text  # the HR system's value won
    assert "PUT /campus/api/businessOfficeIntegration/staffMembers/10060" in element(after, "hr-calls")


def test_campus_name_edit_uses_the_identity_rules_and_does_not_lock_the_person(campus: Campus) -> None:
    person_id = campus.person_id("10062")  # never written by the HR system: everything editable
    response = campus.post(f"staff/{person_id}/demographics", _demographics(campus, person_id, lastName="Billham-Ray"))
    assert "IDENT-1" in flash(response)
    view = campus.staff("10062")
    assert [i["lastName"] for i in view["identities"]] == ["Billham", "Billham-Ray"]
    assert view["locked"] == []  # a Campus edit does not make the person HR-managed (SYNC-8)
    again = campus.post(f"staff/{person_id}/demographics", _demographics(campus, person_id, lastName="BILLHAM-RAY"))
    assert "IDENT-3" in flash(again)  # case only: no new identity
    assert len(campus.staff("10062")["identities"]) == 2


def test_campus_edit_with_a_bad_value_changes_nothing_and_keeps_what_was_typed(campus: Campus) -> None:
    person_id = campus.person_id("10062")
    response = campus.post(f"staff/{person_id}/demographics",
                           _demographics(campus, person_id, gender="Q", cellPhone="(417) 000-1111"))
    assert "Gender 'Q' is not one of" in flash(response)
    assert 'value="(417) 000-1111"' in response.text  # typed value shown again
    assert campus.staff("10062")["demographics"]["cellPhone"] == "(417) 766-0932"
    response = campus.post(f"staff/{person_id}/demographics",
                           _demographics(campus, person_id, birthdate="1978-02-30"))
    assert "is not a date" in flash(response)


def test_emp2_employments_edit_is_the_complete_list(campus: Campus) -> None:
    person_id = campus.person_id("10062")
    response = campus.post(f"staff/{person_id}/employments", {
        "hireDate": ["2001-08-15", "2014-08-11", "2025-01-06"],
        "terminationDate": ["2010-05-28", "", ""], "remove": ["0"]})
    assert "Employments saved" in flash(response)
    assert campus.staff("10062")["employments"] == [{"hireDate": "2014-08-11", "terminationDate": None},
                                                   {"hireDate": "2025-01-06", "terminationDate": None}]


def test_pos8_removing_a_linked_position_in_campus_fails_and_changes_nothing(campus: Campus) -> None:
    person_id = campus.person_id("10058")
    before = campus.staff("10058")["positions"]
    response = campus.post(f"staff/{person_id}/assignments", {
        "schoolNumber": ["030", "030", "010"], "assignmentCode": ["20", "95", "20"],
        "titleCode": ["7B20C1D4", "4A61E262", ""], "titleDescription": ["", "", ""],
        "startDate": ["2008-08-11", "2015-11-02", "2025-08-15"], "endDate": ["", "", ""], "remove": ["0"]})
    assert "linked" in flash(response)
    assert campus.staff("10058")["positions"] == before


def test_pos8_assignments_edit_adds_and_ends_positions(campus: Campus) -> None:
    person_id = campus.person_id("10058")
    response = campus.post(f"staff/{person_id}/assignments", {
        "schoolNumber": ["030", "030", "010"], "assignmentCode": ["20", "95", "20"],
        "titleCode": ["7B20C1D4", "4A61E262", "NEWT1"], "titleDescription": ["", "", "New Title"],
        "startDate": ["2008-08-11", "2015-11-02", "2025-08-15"], "endDate": ["", "2025-12-19", ""]})
    assert "District assignments saved" in flash(response)
    positions = campus.staff("10058")["positions"]
    assert len(positions) == 3
    assert positions[1]["endDate"] == "2025-12-19"
    assert positions[2]["titleDescription"] == "New Title"  # POS-5


def test_hh2_household_edit_moves_the_staff_household(campus: Campus) -> None:
    person_id = campus.person_id("10060")
    response = campus.post(f"staff/{person_id}/household", {
        "name": "Doughty Household", "phone": "(417) 299-4410", "fullStreetAddress": "88 North Maple Avenue",
        "city": "Springfield", "state": "MO", "zip": "65806"})
    assert "Household saved" in flash(response)
    locations = campus.staff("10060")["household"]["locations"]
    assert [loc["endDate"] for loc in locations] == ["2026-01-14", None]
    assert locations[1]["address"]["prefix"] == "N" and locations[1]["address"]["tag"] == "Ave"
    assert "88 N Maple Ave" in element(response, "household-locations")


def test_hh3_household_edit_of_a_shared_household_is_ignored(campus: Campus) -> None:
    person_id = campus.person_id("10072")
    before = campus.staff("10072")["household"]
    response = campus.post(f"staff/{person_id}/household", {"fullStreetAddress": "1 Main St", "city": "Nixa",
                                                            "state": "MO", "zip": "65714"})
    assert "HH-3 ignored" in flash(response)
    assert campus.staff("10072")["household"] == before


def test_sync5_a_campus_edit_makes_a_validated_sync_stale(campus: Campus) -> None:
    district = campus.district
    run_to_validated(district, [staff_payload("10058", lastName="Brown", firstName="Allison")])
    person_id = campus.person_id("10062")
    campus.post(f"staff/{person_id}/employments", {"hireDate": ["2001-08-15", "2014-08-11"],
                                                   "terminationDate": ["2010-05-28", "2014-12-31"]})
    response = district.post("/staffMembers/sync/commit")
    assert response.status_code == 409
    assert response.json()["code"] == "validation_stale"
    assert "Campus data changed after the validation" in text(campus.get("sync"))


def test_a_person_of_another_district_is_not_found(campus: Campus) -> None:
    assert campus.get("staff/99999999").status_code == 404


def test_staff_search_pages_with_numbers_previous_and_next(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17 item 9: numbered pages, not "Next" only; every row on exactly one page; old offset links land."""
    monkeypatch.setattr(staff_routes, "PAGE", 2)
    names: list[str] = []
    for page in (1, 2):
        shown = campus.get("staff", params={"page": page})
        names += re.findall(r'<td><a href="[^"]*/staff/\d+">([^<]+)</a>', shown.text)
    assert len(names) == len(set(names)) == 4
    second = campus.get("staff", params={"page": 2})
    assert element(second, "staff-count") == "4 staff found \u00b7 showing 3\u20134 (page 2 of 2)."
    assert 'rel="prev"' in second.text and 'rel="first"' in second.text and 'aria-label="Page 1"' in second.text
    assert 'rel="next"' not in second.text
    assert "page 2 of 2" in element(campus.get("staff", params={"offset": 2}), "staff-count")
