"""ADDR-1..6 end to end: GET /addresses and household addresses of POST/PUT /staffMembers.

boi_mock/seed/minimal.json holds "4321 N Lexington Ave, Springfield MO 65803" (Allison Brown, 10058).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from boi_mock import models as m
from boi_mock.api import docs
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.domain.addresses import StreetParts, match_key
from boi_mock.repositories import districts as district_repo
from boi_mock.schemas.address import AddressIn
from boi_mock.schemas.staff import HouseholdIn
from boi_mock.services import addresses, districts, households
from boi_mock.services.context import DistrictContext
from tests.support import District, create_district, minimal_scenario, staff_payload

SPRINGFIELD = {"city": "Springfield", "state": "MO", "zip": "65803"}


def addr(**parts: Any) -> dict[str, Any]:
    return {**SPRINGFIELD, **parts}


def with_address(staff_number: str, address: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return staff_payload(staff_number, household={"householdLocations": [{"address": address}]}, **overrides)


def search(district: District, **params: Any) -> list[dict[str, Any]]:
    response = district.get("/addresses", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def created_address(district: District, staff_number: str, address: dict[str, Any]) -> dict[str, Any]:
    response = district.post("/staffMembers", with_address(staff_number, address))
    assert response.status_code == 201, response.text
    location: dict[str, Any] = response.json()["household"]["householdLocations"][0]["address"]
    return location


def last_rules(district: District) -> list[str]:
    rules: list[str] = district.mock("GET", "/requests").json()[0]["rules"]
    return rules


def address_count(client: TestClient, district: District) -> int:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with db.unit_of_work(write=False) as session:
        did = districts.get(session, district.app_name).id
        return session.scalar(select(func.count()).select_from(m.Address).where(m.Address.district_id == did)) or 0


def brown_address_id(district: District) -> int:
    found = search(district, number="4321", prefix="N", street="Lexington", tag="Ave", zip="65803")
    assert len(found) == 1
    return int(found[0]["addressID"])


# --------------------------------------------------------------------------- ADDR-1


def test_addr1_full_street_address_with_street_parts_is_400(district: District) -> None:
    response = district.get("/addresses", params=addr(fullStreetAddress="4321 N Lexington Ave", apt="4"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "address_parts_conflict"
    assert "4321 N Lexington Ave" in body["detail"]
    assert body["errors"][0]["field"] == "fullStreetAddress"

    response = district.post("/staffMembers", with_address(
        "90001", addr(fullStreetAddress="4321 N Lexington Ave", street="Lexington")))
    assert response.status_code == 400
    assert response.json()["code"] == "address_parts_conflict"
    assert response.json()["errors"][0]["field"] == "household.householdLocations[0].address.fullStreetAddress"
    assert district.get("/staffMembers/90001").status_code == 404  # atomic: nothing created


def test_addr1_full_street_address_with_post_office_box_is_400(district: District) -> None:
    response = district.get("/addresses", params=addr(fullStreetAddress="PO Box 54", postOfficeBox="true"))
    assert response.status_code == 400
    assert response.json()["code"] == "address_parts_conflict"


def test_addr1_full_street_address_alone_or_with_blank_parts_is_accepted(district: District) -> None:
    brown = brown_address_id(district)
    assert [a["addressID"] for a in search(district, **addr(fullStreetAddress="4321 N Lexington Ave"))] == [brown]
    found = search(district, **addr(fullStreetAddress="4321 N Lexington Ave", apt="", street=" "))
    assert [a["addressID"] for a in found] == [brown]


# --------------------------------------------------------------------------- ADDR-2


def test_addr2_po_box_with_street_parts_is_400(district: District) -> None:
    response = district.get("/addresses", params=addr(postOfficeBox="true", number="54", street="Main",
                                                       apt="3"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "po_box_with_street_parts"
    assert {e["field"] for e in body["errors"]} == {"street", "apt"}

    response = district.post("/staffMembers", with_address(
        "90001", {"postOfficeBox": True, "number": "54", "prefix": "N", "city": "Blaine", "state": "MN",
                  "zip": "55123"}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "household.householdLocations[0].address.prefix"


def test_addr2_po_box_with_number_only_is_accepted_and_matches_its_full_line(district: District) -> None:
    box = {"postOfficeBox": True, "number": "54", "city": "Blaine", "state": "MN", "zip": "55123"}
    created = created_address(district, "90001", box)
    assert created["postOfficeBox"] is True
    assert created["number"] == "54"
    assert created["street"] is None
    found = search(district, fullStreetAddress="P.O. Box 54", city="Blaine", state="MN", zip="55123")
    assert [a["addressID"] for a in found] == [created["addressID"]]


def test_addr2_po_box_without_number_is_400(district: District) -> None:
    response = district.get("/addresses", params=addr(postOfficeBox="true"))
    assert response.status_code == 400
    assert response.json()["code"] == "unparseable_address"
    assert response.json()["errors"][0]["field"] == "number"


# --------------------------------------------------------------------------- ADDR-3


def test_addr3_full_street_address_is_normalised_to_pub28_parts(district: District) -> None:
    created = created_address(district, "90001", {
        "fullStreetAddress": "4321 South Lexington Avenue Southeast Apartment 45", "city": "Blaine",
        "state": "mn", "zip": "55123"})
    assert {k: created[k] for k in ("number", "prefix", "street", "tag", "direction", "apt", "state")} == {
        "number": "4321", "prefix": "S", "street": "Lexington", "tag": "Ave", "direction": "SE", "apt": "45",
        "state": "MN"}
    assert "fullStreetAddress" not in created


def test_addr3_parts_are_normalised_to_pub28(district: District) -> None:
    created = created_address(district, "90001", addr(number="77", prefix="Northwest", street="Maple",
                                                      tag="Boulevard", apt="Unit 3"))
    assert (created["prefix"], created["street"], created["tag"], created["apt"]) == ("NW", "Maple", "Blvd", "3")


def test_addr3_directional_street_name_and_numeric_street_ordinal(district: District) -> None:
    north = created_address(district, "90001", addr(fullStreetAddress="123 North Ave"))
    assert (north["prefix"], north["street"], north["tag"]) == (None, "North", "Ave")
    ordinal = created_address(district, "90002", addr(number="4321", street="109", tag="Ave", direction="NW"))
    assert (ordinal["street"], ordinal["tag"], ordinal["direction"]) == ("109th", "Ave", "NW")


def test_addr3_unparseable_address_is_400_with_the_parsers_view(district: District) -> None:
    response = district.get("/addresses", params=addr(fullStreetAddress="Corner of Main and Elm"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unparseable_address"
    assert "Corner of Main and Elm" in body["detail"]
    assert body["parserView"] and {"token", "label"} <= set(body["parserView"][0])

    before = address_count(district.client, district)
    response = district.post("/staffMembers", with_address("90001", addr(fullStreetAddress="Main Street")))
    assert response.status_code == 400
    assert response.json()["code"] == "unparseable_address"
    assert response.json()["errors"][0]["field"] == "household.householdLocations[0].address.fullStreetAddress"
    assert address_count(district.client, district) == before
    assert district.get("/staffMembers/90001").status_code == 404


def test_addr3_unparseable_address_has_one_shape_wherever_it_was_sent(district: District) -> None:
    """GET /addresses, POST and PUT /staffMembers and a sync transfer item: each unparseable_address error carries
    the same machine-readable `parserView` (and the problem repeats it at the top level), not only a sentence."""
    line = addr(fullStreetAddress="Corner of Main and Elm")
    found = district.get("/addresses", params=line)
    assert found.status_code == 400, found.text
    view = found.json()["parserView"]
    assert view and {"token", "label"} <= set(view[0])
    assert found.json()["errors"][0]["parserView"] == view

    household = {"householdLocations": [{"address": line}]}
    created = district.post("/staffMembers", staff_payload("90001", household=household))
    updated = district.put("/staffMembers/10058", {"household": household})
    district.post("/staffMembers/sync/start")
    transferred = district.post("/staffMembers/sync/transfer", [staff_payload("90002", household=household)])
    where = {created: "household.householdLocations[0].address.fullStreetAddress",
             updated: "household.householdLocations[0].address.fullStreetAddress",
             transferred: "[0].household.householdLocations[0].address.fullStreetAddress"}
    for response, field in where.items():
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["code"] == "unparseable_address" and body["parserView"] == view
        (error,) = body["errors"]
        assert (error["field"], error["code"], error["parserView"]) == (field, "unparseable_address", view)
    # Among other problems the top-level code is invalid_request; the address's error keeps its parserView.
    mixed = district.post("/staffMembers", staff_payload("90003", gender="Q", household=household))
    assert mixed.json()["code"] == "invalid_request" and "parserView" not in mixed.json()
    assert [e.get("parserView") for e in mixed.json()["errors"] if e["code"] == "unparseable_address"] == [view]
    assert district.get("/staffMembers/90001").status_code == 404
    assert district.get("/staffMembers/sync/status").json()["staffTransferred"] == 0
    documented = district.client.get(docs.OPENAPI_PATH).json()["components"]["schemas"]["ProblemFieldError"]
    assert "parserView" in documented["properties"]


def test_addr3_parts_without_a_street_are_400(district: District) -> None:
    response = district.get("/addresses", params=addr(number="12"))
    assert response.status_code == 400
    assert response.json()["code"] == "unparseable_address"
    assert response.json()["errors"][0]["field"] == "street"
    response = district.get("/addresses", params=SPRINGFIELD)
    assert response.status_code == 400
    assert response.json()["code"] == "unparseable_address"


def test_addr3_values_longer_than_campus_holds_are_400_not_500(district: District) -> None:
    response = district.post("/staffMembers", with_address("90001", addr(
        number="12", prefix="Nowhere Landish", street="Main", tag="St")))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_value"
    assert response.json()["errors"][0]["field"] == "household.householdLocations[0].address.prefix"
    response = district.post("/staffMembers", with_address("90001", addr(
        fullStreetAddress="12 Main St", zip="123456789012")))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "household.householdLocations[0].address.zip"


# --------------------------------------------------------------------------- ADDR-4


def test_addr4_long_and_short_forms_are_one_address(district: District) -> None:
    brown = brown_address_id(district)
    before = address_count(district.client, district)
    assert [a["addressID"] for a in search(district, **addr(fullStreetAddress="4321 North Lexington Avenue"))] \
        == [brown]
    assert created_address(district, "90001", addr(fullStreetAddress="4321 N Lexington Ave."))["addressID"] == brown
    assert created_address(district, "90002", addr(number="4321", prefix="North", street="Lexington",
                                                   tag="Avenue"))["addressID"] == brown
    assert address_count(district.client, district) == before


def test_addr4_matching_ignores_case_punctuation_and_spacing(district: District) -> None:
    brown = brown_address_id(district)
    for line in ("4321 n. lexington ave.", "4321  N.  LEXINGTON   AVE", "4321 N Lexington Ave,"):
        assert [a["addressID"] for a in search(district, **addr(fullStreetAddress=line))] == [brown], line
    assert last_rules(district) == ["ADDR-4 parsed match"]


def test_addr4_zip_plus_four_and_city_spelling_do_not_matter(district: District) -> None:
    brown = brown_address_id(district)
    found = search(district, fullStreetAddress="4321 N Lexington Ave", city="SPRINGFLD", state="mo",
                   zip="65803-1234")
    assert [a["addressID"] for a in found] == [brown]


def test_addr4_different_unit_number_or_zip_is_another_address(district: District) -> None:
    brown = brown_address_id(district)
    assert search(district, **addr(fullStreetAddress="4321 N Lexington Ave Apt 2")) == []
    assert search(district, fullStreetAddress="4321 N Lexington Ave", zip="65804") == []
    assert search(district, **addr(fullStreetAddress="4321 S Lexington Ave")) == []
    assert created_address(district, "90001", addr(fullStreetAddress="4321 N Lexington Ave Apt 2"))[
        "addressID"] != brown


def test_addr4_without_zip_the_key_is_city_and_state(district: District) -> None:
    first = created_address(district, "90001", {"fullStreetAddress": "9 Elm St", "city": "Ozark", "state": "MO"})
    again = search(district, fullStreetAddress="9 elm street", city="OZARK", state="Missouri")
    assert [a["addressID"] for a in again] == [first["addressID"]]
    assert search(district, fullStreetAddress="9 Elm St", city="Nixa", state="MO") == []


def test_addr4_unique_index_refuses_a_second_copy(client: TestClient, district: District) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    key = match_key(StreetParts(number="4321", prefix="N", street="Lexington", tag="Ave"),
                    city="Springfield", state="MO", zip="65803")
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        did = districts.get(session, district.app_name).id
        session.execute(insert(m.Address), [{"district_id": did, "post_office_box": False, "match_key": key,
                                             "duplicate_no": 0}])


def test_addr4_eight_concurrent_creates_make_one_address(district: District) -> None:
    """Writes are serialised per district (BEGIN IMMEDIATE / SELECT … FOR UPDATE) + the unique index."""
    variants = ["4321 W Lexington Ave", "4321 West Lexington Avenue", "4321 w. lexington ave.",
                "4321 WEST LEXINGTON AVE", "4321 W Lexington Av", "4321 West Lexington Ave.",
                "4321  W  Lexington  Avenue", "4321 w lexington avenue"]
    district.token()  # one token, fetched before the threads start
    barrier = threading.Barrier(len(variants))
    statuses: list[int] = []
    address_ids: set[int] = set()
    lock = threading.Lock()

    def create(i: int) -> None:
        barrier.wait()
        response = district.post("/staffMembers", with_address(f"9100{i}", addr(fullStreetAddress=variants[i])))
        with lock:
            statuses.append(response.status_code)
            if response.status_code == 201:
                address_ids.add(response.json()["household"]["householdLocations"][0]["address"]["addressID"])

    threads = [threading.Thread(target=create, args=(i,)) for i in range(len(variants))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * len(variants)
    assert len(address_ids) == 1
    assert len(search(district, **addr(fullStreetAddress="4321 W Lexington Ave"))) == 1


def test_addr4_eight_concurrent_service_writers_make_one_address(client: TestClient, district: District) -> None:
    """The same through the services with their own sessions (the way a sync commit job writes)."""
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            with db.unit_of_work() as session:
                district_row = districts.get(session, district.app_name)
                district_repo.lock(session, district_row.id)
                ctx = DistrictContext(session=session, district=district_row)
                person = m.Person(district_id=district_row.id, staff_number=f"9200{i}", created_at=utcnow())
                session.add(person)
                session.flush()
                line = ["88 E Oak St", "88 East Oak Street", "88 e. oak st."][i % 3]
                households.apply_household(ctx, person, HouseholdIn.model_validate(
                    {"householdLocations": [{"address": addr(fullStreetAddress=line)}]}),
                    creating=True, last_name="Oak")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.unit_of_work(write=False) as session:
        did = districts.get(session, district.app_name).id
        found, how = addresses.search(session, did, AddressIn.model_validate(addr(fullStreetAddress="88 E Oak St")))
        assert len(found) == 1 and how == "parsed"
        located = session.scalar(select(func.count()).select_from(m.HouseholdLocation)
                                 .where(m.HouseholdLocation.address_id == found[0].id))
        assert located == 8


# --------------------------------------------------------------------------- ADDR-5


def test_addr5_exact_parts_match(district: District) -> None:
    brown = brown_address_id(district)
    assert created_address(district, "90001", addr(number="4321", prefix="N", street="Lexington", tag="Ave"))[
        "addressID"] == brown
    assert "ADDR-5 exact match" in last_rules(district)


def test_addr5_parts_joined_and_reparsed_when_no_exact_match(district: District) -> None:
    brown = brown_address_id(district)
    # The directional sent inside `street`: no exact match; "4321 N Lexington Ave" re-parsed matches.
    reparsed = addr(number="4321", street="N Lexington", tag="Ave")
    assert [a["addressID"] for a in search(district, **reparsed)] == [brown]
    assert last_rules(district) == ["ADDR-5 re-parse match"]
    assert created_address(district, "90001", reparsed)["addressID"] == brown
    assert "ADDR-5 re-parse match" in last_rules(district)


def test_addr5_no_match_creates_from_the_reparsed_parts(district: District) -> None:
    before = address_count(district.client, district)
    created = created_address(district, "90001", addr(number="10", street="S Main", tag="Street"))
    # As the guide warns: the new address need not look like what was sent.
    assert (created["prefix"], created["street"], created["tag"]) == ("S", "Main", "St")
    assert "ADDR-5 created" in last_rules(district)
    assert address_count(district.client, district) == before + 1
    assert created_address(district, "90002", addr(number="10", street="S Main", tag="Street"))[
        "addressID"] == created["addressID"]
    assert address_count(district.client, district) == before + 1


def test_addr5_po_box_number_sent_with_its_label_matches_after_reparse(district: District) -> None:
    blaine = {"city": "Blaine", "state": "MN", "zip": "55123"}
    created = created_address(district, "90001", {"postOfficeBox": True, "number": "P.O. Box 54", **blaine})
    assert (created["postOfficeBox"], created["number"]) == (True, "54")  # created from the re-parse
    assert [a["addressID"] for a in search(district, postOfficeBox="true", number="Box 54", **blaine)] == [
        created["addressID"]]
    assert last_rules(district) == ["ADDR-5 re-parse match"]
    assert [a["addressID"] for a in search(district, postOfficeBox="true", number="54", **blaine)] == [
        created["addressID"]]
    assert last_rules(district) == ["ADDR-5 exact match"]


def test_addr5_full_street_address_not_found_is_created_once(district: District) -> None:
    before = address_count(district.client, district)
    first = created_address(district, "90001", addr(fullStreetAddress="500 W Walnut St Apt 3"))
    assert "ADDR-5 created" in last_rules(district)
    second = created_address(district, "90002", addr(fullStreetAddress="500 West Walnut Street #3"))
    assert "ADDR-4 parsed match" in last_rules(district)
    assert first["addressID"] == second["addressID"]
    assert address_count(district.client, district) == before + 1


# --------------------------------------------------------------------------- ADDR-6


def test_addr6_search_finds_by_full_line_or_parts_and_never_creates(district: District) -> None:
    brown = brown_address_id(district)
    before = address_count(district.client, district)
    assert [a["addressID"] for a in search(district, **addr(fullStreetAddress="4321 N Lexington Ave"))] == [brown]
    assert search(district, **addr(fullStreetAddress="1 Nowhere Rd")) == []
    assert search(district, **addr(number="2", street="Nowhere", tag="Rd")) == []
    assert address_count(district.client, district) == before
    hit = search(district, **addr(number="4321", prefix="N", street="Lexington", tag="Ave"))[0]
    assert hit == {"addressID": brown, "postOfficeBox": False, "number": "4321", "prefix": "N",
                   "street": "Lexington", "tag": "Ave", "direction": None, "apt": None, "city": "Springfield",
                   "state": "MO", "zip": "65803", "county": None, "locationCode": None, "tract": None,
                   "block": None}


def test_addr6_search_returns_every_duplicate_campus_holds(client: TestClient) -> None:
    scenario = minimal_scenario()
    duplicate = {"address": {"fullStreetAddress": "4321 North Lexington Avenue", **SPRINGFIELD},
                 "startDate": "2020-01-01", "duplicateAddress": True}
    scenario["households"][1]["locations"].append(duplicate)
    district = create_district(client, scenario)
    found = search(district, **addr(fullStreetAddress="4321 N Lexington Ave"))
    assert len(found) == 2
    assert found[0]["addressID"] != found[1]["addressID"]
    # The API never adds a third copy: it uses the first one Campus holds.
    assert created_address(district, "90001", addr(fullStreetAddress="4321 N Lexington Ave"))["addressID"] \
        == found[0]["addressID"]
    assert len(search(district, **addr(fullStreetAddress="4321 N Lexington Ave"))) == 2


def test_addr6_unknown_query_parameter_is_400_unless_the_district_allows_it(district: District) -> None:
    response = district.get("/addresses", params=addr(fullStreetAddress="4321 N Lexington Ave", streetLine="x"))
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_property"
    assert response.json()["errors"][0]["field"] == "streetLine"
    assert district.mock("PUT", "/preferences", json={"strictUnknownProperties": False}).status_code == 200
    assert len(search(district, **addr(fullStreetAddress="4321 N Lexington Ave", streetLine="x"))) == 1


def test_addr6_bad_values_and_missing_token(district: District) -> None:
    response = district.get("/addresses", params=addr(fullStreetAddress="1 Main St", postOfficeBox="maybe"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "postOfficeBox"
    response = district.client.get("/campus/api/businessOfficeIntegration/addresses",
                                   params=addr(fullStreetAddress="1 Main St"))
    assert response.status_code == 401
