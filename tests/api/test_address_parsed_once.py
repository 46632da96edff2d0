"""A staff write parses each household address once (ADDR-3/5): the checks parse it, the write reuses the parse.

usaddress is the costly part of an address; staff_checks used to parse it and households.apply_household
(through addresses.resolve) parse it again.
"""

from __future__ import annotations

from typing import Any

import pytest

from boi_mock.domain.addresses import StreetParts, parse_street_line
from boi_mock.services import addresses
from tests.support import District, staff_payload

SPRINGFIELD = {"city": "Springfield", "state": "MO", "zip": "65803"}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every street line the address service hands to the parser, in order."""
    seen: list[str] = []

    def counting(line: str) -> StreetParts:
        seen.append(line)
        return parse_street_line(line)

    monkeypatch.setattr(addresses, "parse_street_line", counting)
    return seen


def household(*addresses_in: dict[str, Any]) -> dict[str, Any]:
    return {"householdLocations": [{"address": a} for a in addresses_in]}


def test_addr3_a_full_street_address_in_a_create_is_parsed_once(district: District, parses: list[str]) -> None:
    body = staff_payload("90001", household=household({"fullStreetAddress": "12 Oak St", **SPRINGFIELD}))
    response = district.post("/staffMembers", body)
    assert response.status_code == 201, response.text
    assert response.json()["household"]["householdLocations"][0]["address"]["street"] == "Oak"
    assert parses == ["12 Oak St"]


def test_addr5_street_parts_in_a_create_are_parsed_once(district: District, parses: list[str]) -> None:
    parts = {"number": "14", "street": "Elm", "tag": "Ave", **SPRINGFIELD}
    other = {"fullStreetAddress": "9 Pine Rd", **SPRINGFIELD}
    response = district.post("/staffMembers", staff_payload("90001", household=household(parts, other)))
    assert response.status_code == 201, response.text
    assert parses == ["14 Elm Ave", "9 Pine Rd"]  # the re-parse of the joined parts, the full line: once each


def test_addr5_an_address_in_an_update_is_parsed_once(district: District, parses: list[str]) -> None:
    moved = {"household": household({"fullStreetAddress": "77 Walnut Ln", **SPRINGFIELD})}
    response = district.put("/staffMembers/10058", moved)
    assert response.status_code == 200, response.text
    assert parses == ["77 Walnut Ln"]


def test_addr3_an_unparseable_address_still_names_its_field(district: District, parses: list[str]) -> None:
    body = staff_payload("90001", household=household({"fullStreetAddress": "Springfield", **SPRINGFIELD}))
    response = district.post("/staffMembers", body)
    assert response.status_code == 400, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["household.householdLocations[0].address.fullStreetAddress"]
    assert parses == ["Springfield"]


def test_sync2_sync6_a_transferred_address_is_parsed_once_per_sync(district: District, parses: list[str]) -> None:
    """The transfer's check parses; its staging row keeps the parse for validate (SYNC-4) and commit (SYNC-6)."""
    moved = {"staffNumber": "10058", "household": household({"number": "77", "street": "Walnut", "tag": "St",
                                                              **SPRINGFIELD})}
    hired = staff_payload("90001", household=household({"fullStreetAddress": "12 Elm Street", **SPRINGFIELD}))
    for name, body in (("start", None), ("transfer", [moved, hired]), ("end", None), ("validate", None)):
        response = district.post(f"/staffMembers/sync/{name}", body)
        assert response.status_code in (200, 201), response.text
    committed = district.post("/staffMembers/sync/commit")
    assert committed.status_code == 200, committed.text
    assert parses == ["77 Walnut St", "12 Elm Street"]  # the transfer's, and no other
    walnut = district.get("/addresses", params={"number": "77", "street": "Walnut", "tag": "St", **SPRINGFIELD})
    elm = district.get("/addresses", params={"fullStreetAddress": "12 Elm St", **SPRINGFIELD})
    assert len(walnut.json()) == 1 and len(elm.json()) == 1  # both committed
    for member, street in (("10058", "Walnut"), ("90001", "Elm")):
        shown = district.get(f"/staffMembers/{member}").json()["household"]["householdLocations"]
        assert [loc["address"]["street"] for loc in shown] == [street]
