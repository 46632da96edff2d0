"""HH-1..5: what the HR system's `household` does to Campus, seen through the API and MOCK-4.

boi_mock/seed/minimal.json: 10058 Brown, 10060 Doughty, 10062 Billham each alone in a staff household;
10072 Pye shares a (non-staff) household with two other persons. The district's today is 2026-01-15.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.repositories import districts as district_repo
from boi_mock.schemas.staff import HouseholdIn
from boi_mock.services import districts, households
from boi_mock.services.context import DistrictContext
from tests.support import District, create_district, minimal_scenario, staff_payload

TODAY = "2026-01-15"
YESTERDAY = "2026-01-14"
SPRINGFIELD = {"city": "Springfield", "state": "MO", "zip": "65803"}
MAIN = {"fullStreetAddress": "1 Main St", **SPRINGFIELD}
ELM = {"fullStreetAddress": "2 Elm Ave", **SPRINGFIELD}


def household(*addresses: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**fields, "householdLocations": [{"address": a} for a in addresses]}


def view(district: District, staff_number: str) -> dict[str, Any] | None:
    response = district.mock("GET", f"/staff/{staff_number}")
    assert response.status_code == 200, response.text
    shown: dict[str, Any] | None = response.json()["household"]
    return shown


def put_household(district: District, staff_number: str, body: dict[str, Any] | None) -> dict[str, Any]:
    response = district.put(f"/staffMembers/{staff_number}", {"household": body})
    assert response.status_code == 200, response.text
    member: dict[str, Any] = response.json()
    return member


def last_rules(district: District) -> list[str]:
    rules: list[str] = district.mock("GET", "/requests").json()[0]["rules"]
    return rules


def streets(locations: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(loc["address"]["street"], loc["endDate"]) for loc in locations]


@contextmanager
def service_context(client: TestClient, district: District) -> Iterator[DistrictContext]:
    """A write unit of work on the district, locked like a BOI write: for service-level checks."""
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with db.unit_of_work() as session:
        row = districts.get(session, district.app_name)
        district_repo.lock(session, row.id)
        yield DistrictContext(session=session, district=row)


def person(ctx: DistrictContext, staff_number: str) -> m.Person:
    found = ctx.session.scalars(select(m.Person).where(m.Person.district_id == ctx.district_id,
                                                       m.Person.staff_number == staff_number)).one()
    return found


# --------------------------------------------------------------------------- HH-1


def test_hh1_create_with_household_makes_a_staff_household_with_only_that_member(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001", household=household(MAIN)))
    assert response.status_code == 201, response.text
    member = response.json()
    assert member["household"]["householdLocations"][0]["address"]["street"] == "Main"
    shown = view(district, "90001")
    assert shown is not None
    assert shown["staffHousehold"] is True
    assert shown["members"] == [member["personID"]]
    assert streets(shown["locations"]) == [("Main", None)]
    assert "HH-1 staff household created" in last_rules(district)


def test_hh1_created_household_uses_the_address_campus_already_holds(district: District) -> None:
    brown = view(district, "10058")
    assert brown is not None
    response = district.post("/staffMembers", staff_payload("90001", household=household(
        {"fullStreetAddress": "4321 North Lexington Avenue", **SPRINGFIELD})))
    assert response.status_code == 201
    shown = view(district, "90001")
    assert shown is not None
    assert shown["householdID"] != brown["householdID"]  # a household of their own, at the same address
    assert shown["locations"][0]["address"]["addressID"] == brown["locations"][0]["address"]["addressID"]
    assert view(district, "10058") == brown


def test_hh1_create_without_household_creates_none(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001"))
    assert response.status_code == 201
    assert response.json()["household"] is None
    assert view(district, "90001") is None
    response = district.post("/staffMembers", staff_payload("90002", household=None))
    assert response.status_code == 201
    assert view(district, "90002") is None


def test_hh1_household_without_locations_is_created_without_an_address(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001", household={"phone": "(417) 555-0100"}))
    assert response.status_code == 201
    assert response.json()["household"] == {"name": "Simpson Household", "phone": "(417) 555-0100",
                                            "householdLocations": []}


# --------------------------------------------------------------------------- HH-2


def test_hh2_update_moves_the_location_and_end_dates_the_old_one(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", household=household(MAIN))).status_code == 201
    before = view(district, "90001")
    member = put_household(district, "90001", household(ELM))
    assert streets(member["household"]["householdLocations"]) == [("Elm", None)]  # current locations only
    after = view(district, "90001")
    assert after is not None and before is not None
    assert after["householdID"] == before["householdID"]
    # Never deleted: the old location began today, so it ends today (never before it began, as IDENT-1).
    assert [(loc["address"]["street"], loc["startDate"], loc["endDate"]) for loc in after["locations"]] == [
        ("Main", TODAY, TODAY), ("Elm", TODAY, None)]
    assert "HH-2 location moved" in last_rules(district)


def test_hh2_same_day_move_ends_the_old_location_on_the_call_date_never_before_its_start(
        district: District) -> None:
    assert district.mock("PUT", "/clock", json={"today": "2026-03-02"}).status_code == 200
    put_household(district, "10058", household(MAIN))  # moves 10058 off Lexington: Main begins 2026-03-02
    member = put_household(district, "10058", household(ELM))  # and on to Elm the same day
    assert streets(member["household"]["householdLocations"]) == [("Elm", None)]  # Main is not current
    shown = view(district, "10058")
    assert shown is not None
    assert [(loc["address"]["street"], loc["startDate"], loc["endDate"]) for loc in shown["locations"]] == [
        ("Lexington", "2008-08-11", "2026-03-01"), ("Main", "2026-03-02", "2026-03-02"), ("Elm", "2026-03-02", None)]
    assert all(loc["endDate"] is None or loc["endDate"] >= loc["startDate"] for loc in shown["locations"])
    assert [loc["current"] for loc in shown["locations"]] == [False, False, True]  # MOCK-4 says which is current
    page = district.client.get(f"/campus/ui/{district.app_name}/staff/{shown['members'][0]}").text
    assert page.count('<span class="badge">Ended</span>') == 2  # the Campus UI too (Main ended the day it began)
    # Sent again the same day, Elm is unchanged: Main, ended today, is history, not a current location to end.
    put_household(district, "10058", household(ELM))
    assert "HH-2 unchanged" in last_rules(district) and view(district, "10058") == shown
    # Nor does the sync report count Main as a current location of 10058 (no address difference with HR's Elm).
    for name, body in (("start", None), ("transfer", [{"staffNumber": "10058", "household": household(ELM)}]),
                       ("end", None), ("validate", None)):
        assert district.post(f"/staffMembers/sync/{name}", body).status_code in (200, 201), name
    report = district.get("/staffMembers/sync/report").json()
    assert report["summary"]["addressDifferences"] == 0, report["details"]["addressDifferences"]


def test_hh2_moving_back_the_same_day_opens_a_new_location(district: District) -> None:
    assert district.mock("PUT", "/clock", json={"today": "2026-03-02"}).status_code == 200
    put_household(district, "10058", household(MAIN))
    put_household(district, "10058", household(ELM))
    member = put_household(district, "10058", household(MAIN))
    assert streets(member["household"]["householdLocations"]) == [("Main", None)]
    shown = view(district, "10058")
    assert shown is not None
    assert [(loc["address"]["street"], loc["startDate"], loc["endDate"]) for loc in shown["locations"]] == [
        ("Lexington", "2008-08-11", "2026-03-01"), ("Main", "2026-03-02", "2026-03-02"),
        ("Elm", "2026-03-02", "2026-03-02"), ("Main", "2026-03-02", None)]


def test_hh2_a_location_dated_to_begin_later_ends_on_its_own_start_date(district: District) -> None:
    later = {"householdLocations": [{"address": MAIN, "startDate": "2026-06-01"}]}
    put_household(district, "10058", later)
    member = put_household(district, "10058", household(ELM))
    assert streets(member["household"]["householdLocations"]) == [("Elm", None)]
    shown = view(district, "10058")
    assert shown is not None
    assert [(loc["address"]["street"], loc["startDate"], loc["endDate"]) for loc in shown["locations"]] == [
        ("Lexington", "2008-08-11", YESTERDAY), ("Main", "2026-06-01", "2026-06-01"), ("Elm", TODAY, None)]


def test_hh2_scenario_staff_household_moves_on_the_district_clock(district: District) -> None:
    assert district.mock("PUT", "/clock", json={"today": "2026-03-01"}).status_code == 200
    put_household(district, "10058", household(ELM))
    shown = view(district, "10058")
    assert shown is not None
    assert [(loc["address"]["street"], loc["startDate"], loc["endDate"]) for loc in shown["locations"]] == [
        ("Lexington", "2008-08-11", "2026-02-28"), ("Elm", "2026-03-01", None)]


def test_hh2_same_address_changes_nothing(district: District) -> None:
    before = view(district, "10058")
    member = put_household(district, "10058", household({"fullStreetAddress": "4321 North Lexington Avenue",
                                                         **SPRINGFIELD}))
    assert view(district, "10058") == before
    assert "HH-2 unchanged" in last_rules(district)
    assert streets(member["household"]["householdLocations"]) == [("Lexington", None)]


def test_hh2_same_address_takes_the_sent_flags_in_place(district: District) -> None:
    body = {"householdLocations": [{"address": {"number": "4321", "prefix": "N", "street": "Lexington",
                                                "tag": "Ave", **SPRINGFIELD}, "private": True, "mailing": False}]}
    put_household(district, "10058", body)
    shown = view(district, "10058")
    assert shown is not None
    assert len(shown["locations"]) == 1
    loc = shown["locations"][0]
    assert (loc["private"], loc["mailing"], loc["physical"], loc["startDate"]) == (True, False, True, "2008-08-11")
    assert "HH-2 household updated" in last_rules(district)


def test_hh2_without_locations_only_name_and_phone_change(district: District) -> None:
    before = view(district, "10058")
    assert before is not None
    put_household(district, "10058", {"name": "The Browns", "phone": "(417) 555-0199"})
    after = view(district, "10058")
    assert after is not None
    assert (after["name"], after["phone"]) == ("The Browns", "(417) 555-0199")
    assert after["locations"] == before["locations"]


def test_hh2_empty_location_list_end_dates_every_current_location(district: District) -> None:
    member = put_household(district, "10058", {"householdLocations": []})
    assert member["household"]["householdLocations"] == []
    shown = view(district, "10058")
    assert shown is not None
    assert streets(shown["locations"]) == [("Lexington", YESTERDAY)]


def test_hh2_household_null_or_absent_leaves_it_alone(district: District) -> None:
    before = view(district, "10058")
    put_household(district, "10058", None)
    response = district.put("/staffMembers/10058", {"workPhone": "(417) 523-0999"})
    assert response.status_code == 200
    assert view(district, "10058") == before


def test_hh2_sending_the_same_past_location_twice_does_not_duplicate_it(district: District) -> None:
    body = {"householdLocations": [
        {"address": {"fullStreetAddress": "4321 N Lexington Ave", **SPRINGFIELD}},
        {"address": ELM, "startDate": "2001-01-01", "endDate": "2005-12-31", "mailing": False}]}
    put_household(district, "10058", body)
    first = view(district, "10058")
    put_household(district, "10058", body)
    assert view(district, "10058") == first
    assert first is not None
    assert [(loc["address"]["street"], loc["endDate"]) for loc in first["locations"]] == [
        ("Lexington", None), ("Elm", "2005-12-31")]
    assert "HH-2 unchanged" in last_rules(district)


def test_hh2_alone_in_a_household_that_is_not_a_staff_household_is_ignored(client: TestClient) -> None:
    scenario = minimal_scenario()
    scenario["households"][2]["staffHousehold"] = False  # Billham, 10062, alone
    district = create_district(client, scenario)
    before = view(district, "10062")
    put_household(district, "10062", household(ELM))
    assert view(district, "10062") == before
    assert "HH-2 ignored: not a staff household" in last_rules(district)


# --------------------------------------------------------------------------- HH-3


def test_hh3_household_shared_with_others_is_ignored(district: District) -> None:
    before = view(district, "10072")
    assert before is not None and len(before["members"]) == 3
    response = district.put("/staffMembers/10072", {"household": household(ELM, name="Pye Staff")})
    assert response.status_code == 200
    assert view(district, "10072") == before
    assert response.json()["household"]["name"] == "Pye Household"
    assert "HH-3 ignored" in last_rules(district)
    assert district.get("/addresses", params=ELM).json() == []  # not even the address was created


def test_hh3_ignored_household_data_is_not_even_validated(district: District) -> None:
    response = district.put("/staffMembers/10072", {"household": household({"fullStreetAddress": "nowhere"})})
    assert response.status_code == 200, response.text


def test_hh3_staff_in_no_household_gets_one_on_update(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001")).status_code == 201
    member = put_household(district, "90001", household(MAIN))
    shown = view(district, "90001")
    assert shown is not None
    assert shown["staffHousehold"] is True and shown["members"] == [member["personID"]]
    assert shown["name"] == "Simpson Household"
    assert "HH-1 staff household created" in last_rules(district)


# --------------------------------------------------------------------------- HH-4


def test_hh4_defaults_for_what_hr_does_not_send(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001", lastName="Okafor", household=household(MAIN)))
    assert response.status_code == 201
    shown = view(district, "90001")
    assert shown is not None
    assert shown["name"] == "Okafor Household"
    loc = shown["locations"][0]
    assert (loc["mailing"], loc["physical"], loc["secondary"], loc["private"]) == (True, True, False, False)
    assert (loc["startDate"], loc["endDate"]) == (TODAY, None)
    assert "HH-4 defaults" in last_rules(district)


def test_hh4_sent_values_are_kept(district: District) -> None:
    body = {"name": "Casa Simpson", "phone": "(417) 555-0100",
            "householdLocations": [{"address": MAIN, "startDate": "2025-07-01", "mailing": False,
                                    "physical": True, "secondary": True, "private": True},
                                   {"address": {"postOfficeBox": True, "number": "54", **SPRINGFIELD},
                                    "physical": False}]}
    response = district.post("/staffMembers", staff_payload("90001", household=body))
    assert response.status_code == 201
    shown = view(district, "90001")
    assert shown is not None
    assert (shown["name"], shown["phone"]) == ("Casa Simpson", "(417) 555-0100")
    first, box = shown["locations"]
    assert (first["startDate"], first["mailing"], first["secondary"], first["private"]) == (
        "2025-07-01", False, True, True)
    assert (box["address"]["postOfficeBox"], box["mailing"], box["physical"], box["startDate"]) == (
        True, True, False, TODAY)


def test_hh4_blank_name_and_phone_count_as_not_sent(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001", household=household(MAIN, name=" ", phone="")))
    assert response.status_code == 201
    assert (response.json()["household"]["name"], response.json()["household"]["phone"]) == (
        "Simpson Household", None)


def test_hh4_defaults_do_not_overwrite_an_existing_name_on_update(district: District) -> None:
    put_household(district, "10058", household(ELM))
    shown = view(district, "10058")
    assert shown is not None and shown["name"] == "Brown Household"


# --------------------------------------------------------------------------- HH-5


def test_hh5_preference_off_ignores_household_on_create_and_update(district: District) -> None:
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False}).status_code == 200
    response = district.post("/staffMembers", staff_payload("90001", household=household(MAIN)))
    assert response.status_code == 201
    assert response.json()["household"] is None
    assert "HH-5 ignored" in last_rules(district)
    before = view(district, "10058")
    put_household(district, "10058", household(ELM))
    assert view(district, "10058") == before
    assert "HH-5 ignored" in last_rules(district)
    # Ignored means not even checked: an unparseable address does not fail the call.
    response = district.put("/staffMembers/10058", {"household": household({"fullStreetAddress": "nowhere"})})
    assert response.status_code == 200
    assert district.get("/addresses", params=MAIN).json() == []


def test_hh5_preference_on_again_applies_household_data(district: District) -> None:
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False}).status_code == 200
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": True}).status_code == 200
    put_household(district, "10058", household(ELM))
    shown = view(district, "10058")
    assert shown is not None and shown["locations"][-1]["address"]["street"] == "Elm"


# --------------------------------------------------------------------------- service level


def test_hh_every_household_write_is_a_campus_change(client: TestClient, district: District) -> None:
    """SYNC-5 depends on it: a write bumps data_version, an unchanged household does not."""
    with service_context(client, district) as ctx:
        brown = person(ctx, "10058")
        version = ctx.district.data_version
        households.apply_household(ctx, brown, HouseholdIn.model_validate(household(ELM)), creating=False,
                                   last_name="Brown")
        assert ctx.district.data_version > version
        version = ctx.district.data_version
        households.apply_household(ctx, brown, HouseholdIn.model_validate(household(ELM)), creating=False,
                                   last_name="Brown")
        assert ctx.district.data_version == version
        assert ctx.rules[-1] == "HH-2 unchanged"


def test_hh3_hh5_accepts_household_says_when_household_data_is_ignored(client: TestClient,
                                                                       district: District) -> None:
    with service_context(client, district) as ctx:
        assert households.accepts_household(ctx, None)  # creating
        assert households.accepts_household(ctx, person(ctx, "10058"))  # alone in a staff household
        assert not households.accepts_household(ctx, person(ctx, "10072"))  # HH-3: shared
        ctx.district.allow_household_updates = False
        assert not households.accepts_household(ctx, None)  # HH-5
        assert not households.accepts_household(ctx, person(ctx, "10058"))
        ctx.session.rollback()


def test_hh1_service_creates_for_a_new_person(client: TestClient, district: District) -> None:
    with service_context(client, district) as ctx:
        new = m.Person(district_id=ctx.district_id, staff_number="93001", created_at=utcnow())
        ctx.session.add(new)
        households.apply_household(ctx, new, HouseholdIn.model_validate(household(MAIN)), creating=True,
                                   last_name="Nguyen")
        shown = households.household_view(ctx, new)
        assert shown is not None
        assert (shown["name"], shown["staffHousehold"], shown["members"]) == ("Nguyen Household", True, [new.id])
        out = households.household_out(ctx, new)
        assert out is not None and out.household_locations[0].address.street == "Main"
        assert households.households_out(ctx, [new, person(ctx, "10072")])[new.id] == out
