"""SYNC-2: transfer staff into staging: create/update rules per item, `[i].` paths, all or nothing, duplicates."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from boi_mock import models as m
from tests.api.staff_support import data_version
from tests.api.sync_support import SYNC, db_of, district_id, step, sync_scenario
from tests.support import District, create_district, staff_payload


def staged(district: District) -> list[str]:
    with db_of(district).unit_of_work(write=False) as session:
        return list(session.scalars(select(m.SyncStagingRow.staff_number)
                                    .where(m.SyncStagingRow.district_id == district_id(district))
                                    .order_by(m.SyncStagingRow.seq)))


def errors(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_sync2_transfer_returns_the_running_total(district: District) -> None:
    step(district, "start")
    assert step(district, "transfer", [staff_payload("90001"), staff_payload("90002")]) == {"staffTransferred": 2}
    assert step(district, "transfer", [staff_payload("90003")]) == {"staffTransferred": 3}
    assert step(district, "transfer", []) == {"staffTransferred": 3}
    assert staged(district) == ["90001", "90002", "90003"]


def test_sync2_items_are_checked_like_create_and_update_with_index_paths(district: District) -> None:
    step(district, "start")
    bad_school = staff_payload("90002", positions=[{"schoolNumber": "999", "assignmentCode": "20",
                                                    "startDate": "2024-08-01"}])
    no_names = {"staffNumber": "90003"}  # not in Campus: a create needs lastName and firstName (STAFF-1)
    update_without_names = {"staffNumber": "10058", "workPhone": "555"}  # in Campus: an update does not
    response = district.post(f"{SYNC}/transfer", [staff_payload("90001"), bad_school, no_names,
                                                   update_without_names, staff_payload("90004", gender="Q")])
    assert response.status_code == 400, response.text
    assert errors(response) == [
        ("[1].positions[0].schoolNumber", "unknown_school"),
        ("[2].lastName", "missing_field"), ("[2].firstName", "missing_field"),
        ("[4].gender", "unknown_gender"),
    ]
    assert response.json()["code"] == "invalid_request"
    assert staged(district) == []  # nothing of the call is staged
    assert district.get(f"{SYNC}/status").json()["staffTransferred"] == 0


def test_sync2_schema_errors_have_index_paths_too(district: District) -> None:
    step(district, "start")
    response = district.post(f"{SYNC}/transfer", [staff_payload("90001"), staff_payload("90002", ssn="12"),
                                                   staff_payload("90003", favouriteColour="blue")])
    assert response.status_code == 400
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {"[1].ssn": "invalid_value", "[2].favouriteColour": "unknown_property"}


def test_sync2_unknown_properties_are_dropped_when_the_district_is_lenient(district: District) -> None:
    assert district.mock("PUT", "/preferences", json={"strictUnknownProperties": False}).status_code == 200
    step(district, "start")
    assert step(district, "transfer", [staff_payload("90001", favouriteColour="blue")]) == {"staffTransferred": 1}


def test_sync2_addresses_are_checked(district: District) -> None:
    step(district, "start")
    conflict = staff_payload("90001", household={"householdLocations": [{"address": {
        "fullStreetAddress": "1 Main St", "street": "Main", "city": "Nixa", "state": "MO", "zip": "65714"}}]})
    response = district.post(f"{SYNC}/transfer", [conflict])
    assert response.status_code == 400
    assert errors(response) == [("[0].household.householdLocations[0].address.fullStreetAddress",
                                 "address_parts_conflict")]


def test_sync2_a_staff_number_sent_twice_in_one_call_is_rejected(district: District) -> None:
    step(district, "start")
    response = district.post(f"{SYNC}/transfer", [staff_payload("90001"), staff_payload("90002"),
                                                   staff_payload("90001")])
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_staff_number"
    assert errors(response) == [("[2].staffNumber", "duplicate_staff_number")]
    assert staged(district) == []


def test_sync2_a_staff_number_sent_in_an_earlier_call_is_rejected(district: District) -> None:
    step(district, "start")
    step(district, "transfer", [staff_payload("90001")])
    response = district.post(f"{SYNC}/transfer", [staff_payload("90002"), staff_payload("90001")])
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_staff_number"
    assert errors(response) == [("[1].staffNumber", "duplicate_staff_number")]
    assert staged(district) == ["90001"]


def test_sync2_more_than_1000_staff_in_one_call_is_rejected(district: District) -> None:
    step(district, "start")
    response = district.post(f"{SYNC}/transfer", [{"staffNumber": str(i)} for i in range(1001)])
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_staff"
    assert "1000" in response.json()["detail"]


def test_sync2_1000_staff_in_one_call_are_accepted(district: District) -> None:
    step(district, "start")
    members = [staff_payload(f"9{i:04d}") for i in range(1000)]
    assert step(district, "transfer", members) == {"staffTransferred": 1000}


def test_sync2_transfer_outside_transfer_started_is_a_state_conflict(district: District) -> None:
    response = district.post(f"{SYNC}/transfer", [staff_payload("90001")])
    assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict")
    step(district, "start")
    step(district, "transfer", [staff_payload("90001")])
    step(district, "end")
    response = district.post(f"{SYNC}/transfer", [staff_payload("90002")])
    assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict")


def test_sync2_a_body_that_is_not_an_array_is_bad_input(district: District) -> None:
    step(district, "start")
    response = district.post(f"{SYNC}/transfer", staff_payload("90001"))
    assert response.status_code == 400


def test_sync2_rejected_transfers_go_to_the_error_log_with_masked_ssn(district: District) -> None:
    step(district, "start")
    district.post(f"{SYNC}/transfer", [staff_payload("90001", gender="Q")])
    row = district.error_log()[0]
    assert row["path"].endswith("/staffMembers/sync/transfer")
    assert row["status"] == 400
    assert "6789" in row["payload"] and "123456789" not in row["payload"]


def test_sync5_transfer_is_not_a_campus_change(client: TestClient) -> None:
    district = create_district(client, sync_scenario())
    before = data_version(district)
    step(district, "start")
    step(district, "transfer", [staff_payload("90001")])
    step(district, "end")
    assert data_version(district) == before


def test_sync2_staged_payload_keeps_absent_fields_absent(district: District) -> None:
    step(district, "start")
    step(district, "transfer", [{"staffNumber": "10058", "workPhone": None, "ssn": "401-55-8812"}])
    with db_of(district).unit_of_work(write=False) as session:
        payload = session.scalars(select(m.SyncStagingRow.payload)
                                  .where(m.SyncStagingRow.district_id == district_id(district))).one()
        count = session.scalar(select(func.count()).select_from(m.SyncStagingRow)
                               .where(m.SyncStagingRow.district_id == district_id(district)))
    assert payload == {"staffNumber": "10058", "workPhone": None, "ssn": "401558812"}
    assert count == 1
