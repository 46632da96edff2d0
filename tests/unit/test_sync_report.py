"""The validation report (SYNC-4), counting (SYNC-10) and the commit's unchanged-staff predicate, on plain values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from boi_mock.domain import sync_commit
from boi_mock.domain import sync_report as rules
from boi_mock.domain.employments import EmploymentRecord
from boi_mock.domain.identities import Demographics
from boi_mock.domain.positions import PositionRecord
from boi_mock.schemas.address import AddressIn
from boi_mock.services import addresses
from boi_mock.services.sync import report as sync_loading

GENERATED = "2026-01-15T08:00:00Z"
TODAY = date(2026, 1, 15)
LEXINGTON = {"number": "4321", "prefix": "N", "street": "Lexington", "tag": "Ave", "city": "Springfield",
             "state": "MO", "zip": "65802"}


def key(address: dict[str, Any]) -> str:
    a = AddressIn.model_validate(address)
    return addresses.key_of(addresses.candidate_parts(a)[-1][1], a)


def hr_address(address: dict[str, Any], *, end: str | None = None) -> rules.HrAddress:
    a = AddressIn.model_validate(address)
    keys = tuple(addresses.key_of(parts, a) for _how, parts in addresses.candidate_parts(a))
    return rules.HrAddress(keys, address, current=end is None or date.fromisoformat(end) >= TODAY)


def campus(person_id: int, staff_number: str | None = "10058", *, last: str = "Simpson", first: str = "Pat",
           positions: int = 1, employments: int = 1, address: dict[str, Any] | None = None,
           household_applies: bool = True, **demographics: Any) -> rules.CampusPerson:
    return rules.CampusPerson(
        person_id=person_id, staff_number=staff_number,
        demographics=Demographics(last_name=last, first_name=first, **demographics),
        employments=[EmploymentRecord(date(2020, 8, 1))] * employments,
        positions=[PositionRecord("010", "20", "4A61E262", date(2023, 10, 1))] * positions,
        addresses=[rules.CampusAddress(key(address), address)] if address else [],
        household_applies=household_applies,
    )


def hr(staff_number: str = "10058", *, addresses_sent: list[rules.HrAddress] | None = None,
       **fields: Any) -> rules.HrStaff:
    payload: dict[str, Any] = {"staffNumber": staff_number, "lastName": "SIMPSON", "firstName": "PAT", **fields}
    return rules.hr_staff(payload, addresses_sent)


def report(campus_persons: list[rules.CampusPerson], hr_staff: list[rules.HrStaff],
           existing: set[str] | None = None, allow: bool = True) -> dict[str, Any]:
    keys = existing if existing is not None else {a.key for p in campus_persons for a in p.addresses}
    return rules.build_report(campus_persons, hr_staff, keys, allow_household_updates=allow,
                              generated_date=GENERATED)


def summary(r: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = r["summary"]
    return out


def test_sync4_report_has_the_contract_shape() -> None:
    r = report([campus(1)], [hr()])
    assert r["generatedDate"] == GENERATED
    assert list(summary(r)) == ["demographicDifferences", "employmentDifferences", "assignmentDifferences",
                                "addressDifferences", "hrStaffNotInCampus", "campusStaffNotInHr",
                                "campusDuplicateStaffNumbers", "campusStaffWithoutStaffNumber"]
    assert list(summary(r)["demographicDifferences"]["byField"]) == [
        "ssn", "staffNumber", "name", "gender", "personalEmail", "workEmail", "cellPhone", "otherPhone",
        "workPhone", "birthdate"]
    assert set(r["details"]) == {"demographicDifferences", "employmentDifferences", "assignmentDifferences",
                                 "addressDifferences", "hrStaffNotInCampus", "campusStaffNotInHr",
                                 "campusDuplicateStaffNumbers", "campusStaffWithoutStaffNumber", "staffToAdd",
                                 "addressesToAdd"}


def test_ident3_sync4_case_and_whitespace_only_name_is_no_difference() -> None:
    r = report([campus(1, last="Simpson", first="Pat")], [hr(lastName="  SIMPSON ", firstName="pat")])
    assert summary(r)["demographicDifferences"]["total"] == 0


def test_sync4_name_difference_counts_once_per_person() -> None:
    r = report([campus(1, middle_name="Q")], [hr(lastName="Young", firstName="John", middleName="M")])
    demo = summary(r)["demographicDifferences"]
    assert demo["total"] == 1
    assert demo["byField"]["name"] == 1
    row = r["details"]["demographicDifferences"][0]
    assert row["fields"] == ["name"]
    assert row["campus"]["lastName"] == "Simpson" and row["hr"]["lastName"] == "Young"


def test_sync4_absent_field_is_no_difference_but_null_is() -> None:
    person = campus(1, work_email="p@x.us", cell_phone="5551")
    r = report([person], [hr(cellPhone=None)])  # workEmail absent: unchanged (STAFF-6); cellPhone null: cleared
    assert r["details"]["demographicDifferences"][0]["fields"] == ["cellPhone"]
    assert "workEmail" not in r["details"]["demographicDifferences"][0]["hr"]


def test_sync4_by_field_counts_each_column() -> None:
    persons = [campus(1, "1", ssn="111223333", gender="F"), campus(2, "2", gender="F", birthdate=date(1980, 1, 1)),
               campus(3, "3")]
    sent = [hr("1", ssn="111223334", gender="M", workEmail="a@school.us"),
            hr("2", gender="F", birthdate="1981-01-01", otherPhone="555", workPhone="556", personalEmail="b@x.org"),
            hr("3", cellPhone="557")]
    demo = summary(report(persons, sent))["demographicDifferences"]
    assert demo["total"] == 3
    assert demo["byField"] == {"ssn": 1, "staffNumber": 0, "name": 0, "gender": 1, "personalEmail": 1,
                               "workEmail": 1, "cellPhone": 1, "otherPhone": 1, "workPhone": 1, "birthdate": 1}


def test_sync4_ssn_is_masked_in_the_details() -> None:
    r = report([campus(1, ssn="111223333")], [hr(ssn="111223334")])
    row = r["details"]["demographicDifferences"][0]
    assert row["campus"]["ssn"] == "*****3333" and row["hr"]["ssn"] == "*****3334"


def test_emp2_sync4_employment_difference_is_the_complete_list() -> None:
    same = hr(employments=[{"hireDate": "2020-08-01", "terminationDate": None}])
    ended = hr("2", employments=[{"hireDate": "2020-08-01", "terminationDate": "2025-12-19"}])
    absent = hr("3")
    r = report([campus(1), campus(2, "2"), campus(3, "3")], [same, ended, absent])
    assert summary(r)["employmentDifferences"] == 1
    row = r["details"]["employmentDifferences"][0]
    assert row["staffNumber"] == "2"
    assert row["hr"] == [{"hireDate": "2020-08-01", "terminationDate": "2025-12-19"}]


def test_pos8_sync4_assignment_difference_and_linked_removal_is_flagged() -> None:
    linked = campus(1)
    linked.positions = [PositionRecord("010", "20", "4A61E262", date(2023, 10, 1), linked=True)]
    same = [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262", "startDate": "2023-10-01"}]
    ended = [dict(same[0], endDate="2025-12-19")]
    r = report([linked, campus(2, "2"), campus(3, "3")],
               [hr("10058", positions=[]), hr("2", positions=same), hr("3", positions=ended)])
    assert summary(r)["assignmentDifferences"] == 2
    rows = {row["staffNumber"]: row for row in r["details"]["assignmentDifferences"]}
    assert rows["10058"]["linkedPositionsRemoved"][0]["schoolNumber"] == "010"
    assert "linkedPositionsRemoved" not in rows["3"]


def test_addr4_sync4_same_address_spelled_differently_is_no_difference() -> None:
    long_form = {"fullStreetAddress": "4321 North Lexington Avenue", "city": "Springfield", "state": "MO",
                 "zip": "65802"}
    moved = {"fullStreetAddress": "12 Elm St", "city": "Springfield", "state": "MO", "zip": "65802"}
    persons = [campus(1, address=LEXINGTON), campus(2, "2", address=LEXINGTON)]
    r = report(persons, [hr(addresses_sent=[hr_address(long_form)]), hr("2", addresses_sent=[hr_address(moved)])])
    assert summary(r)["addressDifferences"] == 1
    assert r["details"]["addressDifferences"][0]["staffNumber"] == "2"
    assert [a["address"] for a in r["details"]["addressesToAdd"]] == [moved]


def test_hh2_sync4_an_ended_hr_location_is_not_current() -> None:
    old = {"fullStreetAddress": "12 Elm St", "city": "Springfield", "state": "MO", "zip": "65802"}
    sent = [hr_address(LEXINGTON), hr_address(old, end="2020-01-01")]
    r = report([campus(1, address=LEXINGTON)], [hr(addresses_sent=sent)])
    assert summary(r)["addressDifferences"] == 0
    # …but the commit still records it as a past location, so the address gets created.
    assert len(r["details"]["addressesToAdd"]) == 1


def test_hh3_sync4_shared_household_address_is_not_compared() -> None:
    moved = {"fullStreetAddress": "12 Elm St", "city": "Springfield", "state": "MO", "zip": "65802"}
    r = report([campus(1, address=LEXINGTON, household_applies=False)], [hr(addresses_sent=[hr_address(moved)])])
    assert summary(r)["addressDifferences"] == 0
    assert r["details"]["addressesToAdd"] == []


def test_hh5_sync4_household_updates_off_adds_no_address_for_new_staff() -> None:
    moved = {"fullStreetAddress": "12 Elm St", "city": "Springfield", "state": "MO", "zip": "65802"}
    r = report([], [hr("9", addresses_sent=[hr_address(moved)])], existing=set(), allow=False)
    assert r["details"]["addressesToAdd"] == []
    assert summary(r)["hrStaffNotInCampus"] == 1


def test_sync4_staff_to_add_and_their_new_addresses() -> None:
    new_home = {"number": "7", "street": "Oak", "tag": "St", "city": "Nixa", "state": "MO", "zip": "65714"}
    known = hr_address(LEXINGTON)
    r = report([campus(1, address=LEXINGTON)],
               [hr("20001", addresses_sent=[hr_address(new_home)]), hr("20002", addresses_sent=[known])])
    assert summary(r)["hrStaffNotInCampus"] == 2
    assert [row["staffNumber"] for row in r["details"]["staffToAdd"]] == ["20001", "20002"]
    assert r["details"]["addressesToAdd"] == [{"address": new_home, "staffNumbers": ["20001"]}]
    assert summary(r)["campusStaffNotInHr"] == 1


def test_sync10_counts_persons_not_staff_numbers() -> None:
    persons = [campus(1, "30001"), campus(2, "30001"), campus(3, "30003"), campus(4, "30003"),
               campus(5, "30003"), campus(6, "10058")]
    r = report(persons, [hr("30001", lastName="Other"), hr("10058")])
    assert summary(r)["campusDuplicateStaffNumbers"] == 5
    assert summary(r)["campusStaffNotInHr"] == 3  # the three persons holding 30003
    assert summary(r)["hrStaffNotInCampus"] == 0
    # The HR row for a duplicated number is not compared with either person (the commit fails it).
    assert summary(r)["demographicDifferences"]["total"] == 0
    in_hr = {row["personID"]: row["inHr"] for row in r["details"]["campusDuplicateStaffNumbers"]}
    assert in_hr == {1: True, 2: True, 3: False, 4: False, 5: False}


def test_sync10_campus_staff_is_number_or_position_or_employment() -> None:
    student = campus(1, None, positions=0, employments=0)
    unnumbered_teacher = campus(2, None, positions=1, employments=0)
    unnumbered_clerk = campus(3, None, positions=0, employments=1)
    numbered_no_position = campus(4, "10622", positions=0, employments=0)  # STAFF-7
    r = report([student, unnumbered_teacher, unnumbered_clerk, numbered_no_position], [])
    assert summary(r)["campusStaffWithoutStaffNumber"] == 2
    assert summary(r)["campusStaffNotInHr"] == 3
    assert {row["personID"] for row in r["details"]["campusStaffNotInHr"]} == {2, 3, 4}


def test_sync9_check_campus_data_lists_duplicates_and_missing_numbers() -> None:
    persons = [campus(1, "30001"), campus(2, "30001"), campus(3, None), campus(4, None, positions=0, employments=0),
               campus(5, "10058")]
    out = rules.check_campus_data(persons, generated_date=GENERATED)
    assert out["summary"] == {"campusStaff": 4, "campusDuplicateStaffNumbers": 2, "duplicatedStaffNumbers": 1,
                              "campusStaffWithoutStaffNumber": 1}
    assert [row["personID"] for row in out["details"]["campusDuplicateStaffNumbers"]] == [1, 2]
    assert [row["personID"] for row in out["details"]["campusStaffWithoutStaffNumber"]] == [3]


def test_addr5_resolve_key_prefers_an_existing_candidate() -> None:
    assert rules.resolve_key(("exact", "reparsed"), {"reparsed"}) == "reparsed"
    assert rules.resolve_key(("exact", "reparsed"), {"exact", "reparsed"}) == "exact"
    assert rules.resolve_key(("exact", "reparsed"), set()) == "reparsed"


# --- the commit's unchanged-staff shortcut (boi_mock/domain/sync_commit.py) ------------------------------------


def _with_household(person: rules.CampusPerson, *, address_id: int = 1, **location: Any) -> rules.CampusPerson:
    flags = {"start_date": date(2008, 8, 11), "end_date": None, "mailing": True, "physical": True,
             "secondary": False, "private": False, **location}
    person.household = rules.CampusHousehold("Brown Household", "555", [rules.CampusLocation(address_id, **flags)])
    return person


def _sent_household(**location: Any) -> dict[str, Any]:
    return {"name": "Brown Household", "phone": "555",
            "householdLocations": [{"address": LEXINGTON, "startDate": "2008-08-11", **location}]}


def _hr_with(household: dict[str, Any] | None, **fields: Any) -> rules.HrStaff:
    payload: dict[str, Any] = {"staffNumber": "10058", "lastName": "SIMPSON", "firstName": "PAT", **fields}
    if household is None:
        return rules.hr_staff(payload, None)
    payload["household"] = household
    sent = [rules.HrAddress(hr_address(loc["address"]).candidate_keys, loc["address"],
                            location=loc) for loc in household.get("householdLocations") or []]
    return rules.hr_staff(payload, sent if household.get("householdLocations") is not None else None)


ADDRESS_IDS = {key(LEXINGTON): 1}


def test_sync6_unchanged_when_everything_sent_equals_campus() -> None:
    person = _with_household(campus(1))
    assert sync_commit.unchanged(person, _hr_with(_sent_household()), ADDRESS_IDS, {"4A61E262"})


def test_sync6_changed_by_any_demographic_employment_or_position() -> None:
    person = _with_household(campus(1))
    household = _sent_household()
    assert not sync_commit.unchanged(person, _hr_with(household, gender="M"), ADDRESS_IDS, set())
    assert not sync_commit.unchanged(person, _hr_with(household, employments=[]), ADDRESS_IDS, set())
    new_title = [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262", "startDate": "2023-10-01"}]
    assert sync_commit.unchanged(person, _hr_with(household, positions=new_title), ADDRESS_IDS, {"4A61E262"})
    assert not sync_commit.unchanged(person, _hr_with(household, positions=new_title), ADDRESS_IDS, set())  # POS-5


def test_hh2_sync6_household_name_phone_and_location_flags_are_changes() -> None:
    person = _with_household(campus(1))
    assert not sync_commit.household_unchanged(person, _hr_with(dict(_sent_household(), name="Other")), ADDRESS_IDS)
    assert not sync_commit.household_unchanged(person, _hr_with(dict(_sent_household(), phone=None)), ADDRESS_IDS)
    assert not sync_commit.household_unchanged(person, _hr_with(_sent_household(private=True)), ADDRESS_IDS)
    assert not sync_commit.household_unchanged(person, _hr_with(_sent_household(endDate="2025-01-01")), ADDRESS_IDS)
    assert not sync_commit.household_unchanged(person, _hr_with(_sent_household(startDate="2009-01-01")),
                                               ADDRESS_IDS)
    # Not sent = unchanged (STAFF-6); null flags are not applied either.
    bare = {"householdLocations": [{"address": LEXINGTON, "mailing": None}]}
    assert sync_commit.household_unchanged(person, _hr_with(bare), ADDRESS_IDS)


def test_hh2_sync6_a_new_or_missing_location_is_a_change() -> None:
    person = _with_household(campus(1))
    moved = {"householdLocations": [{"address": {"fullStreetAddress": "12 Elm St", "city": "Nixa", "state": "MO",
                                                 "zip": "65714"}}]}
    assert not sync_commit.household_unchanged(person, _hr_with(moved), ADDRESS_IDS)
    assert not sync_commit.household_unchanged(person, _hr_with({"householdLocations": []}), ADDRESS_IDS)
    # A dirty duplicate copy of the address: resolve() would move the household to the first copy.
    on_copy = _with_household(campus(1), address_id=2)
    assert not sync_commit.household_unchanged(on_copy, _hr_with(_sent_household()), ADDRESS_IDS)


def test_hh1_hh3_hh5_sync6_household_cases() -> None:
    without = campus(1)  # no household: HH-1 would create one
    assert not sync_commit.household_unchanged(without, _hr_with(_sent_household()), ADDRESS_IDS)
    assert sync_commit.household_unchanged(without, _hr_with(None), ADDRESS_IDS)  # nothing sent
    shared = campus(1, household_applies=False)  # HH-3 / HH-5: ignored
    assert sync_commit.household_unchanged(shared, _hr_with(_sent_household(private=True)), ADDRESS_IDS)


def test_sync6_unchanged_staff_skips_duplicates_and_new_staff() -> None:
    persons = [_with_household(campus(1)), campus(2, "30001"), campus(3, "30001")]
    hr_rows = [_hr_with(_sent_household()), rules.hr_staff({"staffNumber": "30001"}, None, row_id=2),
               rules.hr_staff({"staffNumber": "90001", "lastName": "X", "firstName": "Y"}, None, row_id=3)]
    hr_rows[0].row_id = 1
    assert sync_commit.unchanged_staff(persons, hr_rows, ADDRESS_IDS, {"4A61E262"}) == {1: 1}


@pytest.mark.parametrize("address", [
    LEXINGTON,
    {"number": "1200", "prefix": "east", "street": "sunshine", "tag": "street", "apt": "Apt 4", "city": "Springfield",
     "state": "mo", "zip": "65804-1234"},
    {"number": "741", "street": "Cherry", "tag": "Lane", "direction": "Northeast", "city": "Nixa", "state": "MO"},
    {"postOfficeBox": True, "number": "54", "city": "Ozark", "state": "MO", "zip": "65721"},
    {"number": "109", "street": "", "tag": "Ave", "city": "Nixa", "state": "MO", "zip": "65714"},
    {"number": "5", "street": "North", "tag": "Ave", "city": "Nixa", "state": "MO", "zip": "65714"},
])
def test_addr5_the_reports_exact_key_is_candidate_parts_first_key(address: dict[str, Any]) -> None:
    """The validation skips the parser for parts Campus already holds: its key must be ADDR-5's first."""
    a = AddressIn.model_validate(address)
    first = addresses.key_of(addresses.candidate_parts(a)[0][1], a)
    assert sync_loading.exact_key(address) == first


def test_addr5_exact_key_leaves_full_lines_and_bad_shapes_to_the_parser() -> None:
    assert sync_loading.exact_key({"fullStreetAddress": "1 Main St", "city": "Nixa"}) is None
    assert sync_loading.exact_key({"postOfficeBox": True, "number": "5", "street": "Main"}) is None
    assert sync_loading.exact_key({"number": "5", "city": "Nixa"}) is None
