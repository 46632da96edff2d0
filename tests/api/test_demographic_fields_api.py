"""Every declared demographic field (`domain.demographics.DEMOGRAPHICS`) makes the round trip through the
database at its full width: create (STAFF-5) and a scenario (MOCK-2) store it, GET (STAFF-3/4), the MOCK-4
view and Check Campus Data (SYNC-9) show it. Walks the table: a new field is
covered without a new test."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from boi_mock.domain.demographics import DEMOGRAPHICS, LISTED, DemographicField
from tests.api.staff_support import district_with, view
from tests.support import District, staff_payload

SENT_SSN, STORED_SSN = "401-55-8812", "401558812"


def _sent(f: DemographicField) -> str:
    """A value as wide as the column holds (a distinct one per field)."""
    if f.kind == "date":
        return "1979-12-26"
    if f.kind == "ssn":
        return SENT_SSN
    if f.name == "gender":
        return "F"  # a REF-2 code of the scenario (STAFF-2)
    assert f.column_length is not None
    return (f.wire + "-" + "x" * f.column_length)[:f.column_length]


SENT = {f.wire: _sent(f) for f in DEMOGRAPHICS}
STORED = {**SENT, "ssn": STORED_SSN}


def _demographics(body: dict[str, Any]) -> dict[str, Any]:
    return {f.wire: body[f.wire] for f in DEMOGRAPHICS}


def test_staff5_staff4_every_declared_field_is_stored_and_answered(district: District) -> None:
    created = district.post("/staffMembers", staff_payload("90001", **SENT))
    assert created.status_code == 201, created.text
    assert _demographics(created.json()) == STORED
    assert _demographics(district.get("/staffMembers/90001").json()) == STORED
    found = district.get("/staffMembers", params={"staffNumber": "90001"}).json()
    assert [_demographics(member) for member in found] == [STORED]


def test_staff6_every_declared_field_is_cleared_by_null_but_the_names(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", **SENT)).status_code == 201
    cleared = {f.wire: None for f in DEMOGRAPHICS if not f.required}
    response = district.put("/staffMembers/90001", cleared)
    assert response.status_code == 200, response.text
    assert _demographics(response.json()) == {**STORED, **cleared}


def test_mock4_view_shows_every_declared_field(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", **SENT)).status_code == 201
    shown = view(district, "90001")
    current = shown["identities"][-1]
    assert {f.wire: current[f.wire] for f in LISTED} == {f.wire: STORED[f.wire] for f in LISTED}
    others = [f for f in DEMOGRAPHICS if not f.listed]
    assert set(shown["demographics"]) == {f.wire for f in others}
    assert {f.wire: shown["demographics"][f.wire] for f in others if f.kind != "ssn"} == {
        f.wire: STORED[f.wire] for f in others if f.kind != "ssn"}


def test_mock2_scenario_stores_every_declared_field(client: TestClient) -> None:
    district = district_with(client, persons=[{"ref": "w1", "staffNumber": "90002", **SENT, "ssn": STORED_SSN,
                                               "positions": [{"schoolNumber": "010", "startDate": "2024-08-12",
                                                              "assignmentCode": "20"}]}])
    assert _demographics(district.get("/staffMembers/90002").json()) == STORED


def test_sync9_shows_the_listed_fields(client: TestClient) -> None:
    district = district_with(client, persons=[{"ref": "w1", "staffNumber": None, **SENT, "ssn": STORED_SSN,
                                               "positions": [{"schoolNumber": "010", "startDate": "2024-08-12",
                                                              "assignmentCode": "20"}]}])
    check = district.mock("GET", "/check-campus-data").json()
    rows = check["details"]["campusStaffWithoutStaffNumber"]
    assert [{f.wire: row[f.wire] for f in LISTED} for row in rows] == [{f.wire: STORED[f.wire] for f in LISTED}]
