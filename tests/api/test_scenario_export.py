"""MOCK-12: a district exported as a scenario document recreates, under another appName, everything MOCK-4 shows
for every person, the reference data (auto-created titles included), users and recipients, preferences, clock and
caps. The export of the recreated district equals the first (a fixed point: every person, with or without a staff
number), and MOCK-4 shows every staff member alike."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.client import MockControl
from tests.api.sync_support import demo_district, hr_export, run_to_validated, step, sync_scenario
from tests.support import SEED, District, create_district, minimal_scenario, staff_payload


def export(district: District) -> dict[str, Any]:
    response = district.mock("GET", "/scenario")
    assert response.status_code == 200, response.text
    doc: dict[str, Any] = response.json()
    return doc


def recreate(client: TestClient, doc: dict[str, Any]) -> District:
    """POST /_mock/districts with the exported document under a new appName."""
    return create_district(client, {**doc, "appName": minimal_scenario()["appName"]})


def staff_numbers(doc: dict[str, Any]) -> list[str]:
    return sorted({p["staffNumber"] for p in doc["persons"] if p.get("staffNumber")})


def canonical(view: dict[str, Any]) -> dict[str, Any]:
    """A MOCK-4 view with its ids relabelled by first appearance (the same data in two districts has other ids):
    the person itself, the other household members and the addresses keep their identity, not their numbers."""
    view = copy.deepcopy(view)
    me = view.pop("personID")
    household = view.get("household")
    if household is not None:
        household.pop("householdID")
        household["members"] = ["self" if pid == me else f"member{i}" for i, pid in enumerate(household["members"])]
        labels: dict[int, str] = {}
        for location in household["locations"]:
            aid = location["address"].pop("addressID")
            location["address"]["addressID"] = labels.setdefault(aid, f"address{len(labels)}")
    return view


def views(district: District, numbers: list[str]) -> dict[str, Any]:
    """MOCK-4 of every staff number (each person of a duplicated number, by personID order)."""
    out: dict[str, Any] = {}
    for number in numbers:
        response = district.mock("GET", f"/staff/{number}")
        if response.status_code == 409:  # Campus holds the number twice: each person, in personID order
            out[number] = [canonical(district.mock("GET", f"/staff/{number}", params={"personID": pid}).json())
                           for pid in sorted(response.json()["personIDs"])]
            continue
        assert response.status_code == 200, response.text
        out[number] = canonical(response.json())
    return out


def assert_round_trip(client: TestClient, district: District) -> tuple[dict[str, Any], District]:
    doc = export(district)
    twin = recreate(client, doc)
    assert export(twin) == doc  # every person (students and parents too), reference data, settings
    numbers = staff_numbers(doc)
    assert views(twin, numbers) == views(district, numbers)
    for sub in ("/preferences", "/clock", "/requests/cap", "/error-log/cap"):
        ours, theirs = twin.mock("GET", sub).json(), district.mock("GET", sub).json()
        if sub == "/clock":  # the time of day moves on between the two reads
            ours.pop("now"), theirs.pop("now")
        assert ours == theirs, sub
    district.token(fresh=True), twin.token(fresh=True)  # an advanced clock may have aged the cached tokens
    for path in ("/schools", "/attributes/genders", "/attributes/assignmentCodes", "/attributes/titles"):
        assert twin.get(path).json() == district.get(path).json(), path
    return doc, twin


@pytest.mark.slow  # the 3,039-person demo district, twice (30 to 50 s on 2 shared cores)
def test_mock12_the_demo_district_round_trips(client: TestClient) -> None:
    district, _members = demo_district(client)
    doc, _twin = assert_round_trip(client, district)
    seed = json.loads((SEED / "demo-7634-MO.json").read_text())
    assert len(doc["persons"]) == len(seed["persons"]) and len(doc["households"]) == len(seed["households"])
    assert "appName" not in doc and "clientId" not in doc and "clientSecret" not in doc
    assert any(p.get("positions") and any(pos.get("linked") for pos in p["positions"]) for p in doc["persons"])


def test_mock12_a_district_after_a_sync_commit_round_trips(client: TestClient) -> None:
    scenario = sync_scenario()
    district = create_district(client, scenario)
    run_to_validated(district, hr_export(scenario))
    step(district, "commit")
    changed = district.mock("GET", "/staff/10060").json()
    assert [i["current"] for i in changed["identities"]] == [False, True]  # a name change: history with dates
    assert changed["syncedAt"] is not None and changed["locked"]
    assert [loc["endDate"] is None for loc in changed["household"]["locations"]] == [False, True]  # a move
    doc, twin = assert_round_trip(client, district)
    person = next(p for p in doc["persons"] if p.get("staffNumber") == "10060")
    assert [(i["lastName"], i["current"], "startDate" in i) for i in person["identities"]] == [
        ("Doughty", False, False), ("YOUNG", True, True)]
    assert twin.mock("GET", "/staff/10060").json()["locked"] == changed["locked"]


def test_mock12_api_writes_titles_preferences_clock_and_caps_round_trip(client: TestClient) -> None:
    district = create_district(client, minimal_scenario(today="2026-02-02"))
    body = staff_payload("70001", positions=[{"schoolNumber": "010", "titleCode": "NEWT1", "titleDescription":
                                              "Robotics Coach", "startDate": "2026-01-05"}],
                         household={"name": "Simpson", "phone": "5551234567", "householdLocations": [
                             {"address": {"fullStreetAddress": "742 Evergreen Terrace Apt 2", "city": "Springfield",
                                          "state": "MO", "zip": "65801"}, "startDate": "2024-01-01",
                              "mailing": True, "physical": False, "secondary": True, "private": True}]})
    assert district.post("/staffMembers", body).status_code == 201
    district.mock("PUT", "/clock", json={"today": "2026-03-03"})
    assert district.put("/staffMembers/70001", {"staffNumber": "70001", "lastName": "Flanders"}).status_code == 200
    assert district.mock("PUT", "/preferences", json={"allowHouseholdUpdates": False, "strictUnknownProperties":
                                                      False, "locks": {"staffNumber": False}}).status_code == 200
    assert district.mock("POST", "/clock/advance", json={"seconds": 7200}).status_code == 200
    assert district.mock("PUT", "/requests/cap", json={"cap": 77}).status_code == 200
    assert district.mock("PUT", "/error-log/cap", json={"cap": 88}).status_code == 200
    doc, twin = assert_round_trip(client, district)
    assert {"titleCode": "NEWT1", "description": "Robotics Coach"} in doc["titles"]  # POS-5's title
    assert (doc["today"], doc["clockOffsetSeconds"], doc["journalCap"], doc["errorLogCap"]) == (
        "2026-03-03", 7200, 77, 88)
    assert twin.mock("GET", "/clock").json()["offsetSeconds"] == 7200


def test_mock12_addresses_campus_holds_twice_and_shared_households_round_trip(client: TestClient) -> None:
    scenario = minimal_scenario()
    home = {"number": "5", "street": "Oak", "tag": "St", "city": "Ozark", "state": "MO", "zip": "65721"}
    scenario["persons"] += [{"ref": "kid", "lastName": "Kid", "firstName": "Student"},
                            {"ref": "twin", "staffNumber": "10058", "lastName": "Other", "firstName": "Twin"}]
    scenario["households"] += [
        {"name": "Family", "members": ["kid", "twin"], "locations": [
            {"address": home, "startDate": "2020-01-01", "endDate": "2021-01-01"},
            {"address": home, "startDate": "2021-01-02", "duplicateAddress": True}]}]
    district = create_district(client, scenario)
    doc, twin = assert_round_trip(client, district)
    family = next(h for h in doc["households"] if h["name"] == "Family")
    assert [loc.get("duplicateAddress", False) for loc in family["locations"]] == [False, True]
    assert len(twin.get("/addresses", params={"number": "5", "street": "Oak", "tag": "St", "city": "Ozark",
                                              "state": "MO", "zip": "65721"}).json()) == 2


def test_mock12_users_and_notification_recipients_round_trip(client: TestClient) -> None:
    scenario = minimal_scenario(
        users=[{"username": "hr1", "name": "HR One", "toolRights": ["District Employment"]},
               {"username": "plain", "name": "No Rights"}],
        notifications=[{"type": "HR-Staff", "recipients": ["hr1"]}])
    district = create_district(client, scenario)
    doc, _twin = assert_round_trip(client, district)
    assert doc["users"] == [{"username": "hr1", "name": "HR One", "toolRights": ["District Employment"]},
                            {"username": "plain", "name": "No Rights", "toolRights": []}]
    assert doc["notifications"] == [{"type": "HR-Staff", "recipients": ["hr1"]}]


def test_mock12_unknown_district_is_404(client: TestClient) -> None:
    response = client.get("/_mock/districts/no-such-district/scenario")
    assert response.status_code == 404
    assert response.json()["code"] == "district_not_found"


@pytest.mark.parametrize(("change", "field", "code"), [
    (lambda p: p.update(identities=[{"lastName": "A", "firstName": "B", "current": False}]),
     "persons[0].identities", "invalid_identities"),
    (lambda p: p.update(identities=[{"lastName": "A", "firstName": "B", "current": True},
                                    {"lastName": "C", "firstName": "D", "current": True}]),
     "persons[0].identities", "invalid_identities"),
    (lambda p: p.update(lastName="Elsewise", identities=[{"lastName": "Simpson", "firstName": p["firstName"],
                                                          "current": True}]),
     "persons[0].lastName", "identity_mismatch"),
    (lambda p: p.update(identities=[{"lastName": "A", "firstName": "B", "current": True, "startDate": "2020-13-01"}]),
     "persons[0].identities[0].startDate", "invalid_value"),
    (lambda p: p.update(syncedAt="yesterday"), "persons[0].syncedAt", "invalid_value"),
])
def test_mock12_a_document_that_cannot_be_loaded_is_400_naming_the_field_and_creates_nothing(
        client: TestClient, change: Any, field: str, code: str) -> None:
    scenario = minimal_scenario()
    change(scenario["persons"][0])
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404


@pytest.mark.parametrize(("collection", "key"), [("schools", "schoolNumber"), ("genders", "code"),
                                                 ("assignmentCodes", "code")])
def test_mock12_a_key_given_twice_in_reference_data_is_400_not_a_conflict(
        client: TestClient, collection: str, key: str) -> None:
    scenario = minimal_scenario()
    scenario[collection].append(dict(scenario[collection][0]))
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (f"{collection}[{len(scenario[collection]) - 1}].{key}",
                                               "duplicate_value")
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404


def test_mock12_a_users_username_given_twice_is_400(client: TestClient) -> None:
    scenario = minimal_scenario(users=[{"username": "a", "name": "A"}, {"username": "a", "name": "B"}])
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "users[1].username"


def test_mock12_client_exports_and_recreates(client: TestClient, district: District) -> None:
    control = MockControl("http://testserver", http_client=client)
    doc = control.district(district.app_name).export_scenario()
    created = control.create_district({**doc, "appName": minimal_scenario()["appName"]})
    assert control.district(created.app_name).export_scenario() == doc


def test_mock12_addresses_no_household_uses_round_trip(client: TestClient) -> None:
    """Campus keeps an address when the household at it goes (Combine Person, COMBINE-5): ADDR-6 still finds it."""
    scenario = minimal_scenario()
    lone = {"number": "9", "street": "Birch", "tag": "Ln", "city": "Ozark", "state": "MO", "zip": "65721"}
    scenario["addresses"] = [lone, {**lone, "duplicateAddress": True}]
    district = create_district(client, scenario)
    search = {k: lone[k] for k in ("number", "street", "tag", "city", "state", "zip")}
    assert len(district.get("/addresses", params=search).json()) == 2
    doc, twin = assert_round_trip(client, district)
    assert doc["addresses"] == [{**lone, "postOfficeBox": False}, {**lone, "postOfficeBox": False,
                                                                    "duplicateAddress": True}]
    assert len(twin.get("/addresses", params=search).json()) == 2
