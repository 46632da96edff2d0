"""The sync state machine (SYNC-1, SYNC-3) and 409 sync_state_conflict for every out-of-order call."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from boi_mock import models as m
from boi_mock.jobs import queue
from tests.api.sync_support import SYNC, db_of, district_id, step, sync_scenario
from tests.support import District, create_district, staff_payload


@pytest.fixture
def synced(client: TestClient) -> District:
    return create_district(client, sync_scenario())


def test_sync1_start_answers_201_with_the_new_run(district: District) -> None:
    response = district.post(f"{SYNC}/start")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"syncID", "status", "startedDate", "startedBy", "staffTransferred"}
    assert body["status"] == "TRANSFER_STARTED"
    assert body["staffTransferred"] == 0
    assert body["startedBy"] == district.client_id
    assert body["startedDate"].endswith("Z")


def test_sync_status_is_none_before_any_sync(district: District) -> None:
    response = district.get(f"{SYNC}/status")
    assert response.status_code == 200
    assert response.json()["status"] == "NONE"
    assert response.json()["syncID"] is None


@pytest.mark.parametrize("name", ["transfer", "end", "validate", "commit", "submitCommitJob"])
def test_sync1_every_step_before_start_is_a_state_conflict(district: District, name: str) -> None:
    response = district.post(f"{SYNC}/{name}", [] if name == "transfer" else None)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "sync_state_conflict"
    assert "start" in response.json()["detail"]


def test_sync1_out_of_order_calls_are_state_conflicts(synced: District) -> None:
    step(synced, "start")
    for name in ("validate", "commit", "submitCommitJob"):
        response = synced.post(f"{SYNC}/{name}")
        assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict"), name
    step(synced, "transfer", [staff_payload("90001")])
    step(synced, "end")
    for name, body in (("transfer", [staff_payload("90002")]), ("end", None), ("commit", None)):
        response = synced.post(f"{SYNC}/{name}", body)
        assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict"), name
    step(synced, "validate")
    for name, body in (("transfer", [staff_payload("90002")]), ("end", None)):
        response = synced.post(f"{SYNC}/{name}", body)
        assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict"), name
    assert step(synced, "validate")["summary"]["hrStaffNotInCampus"] == 1  # validate again: allowed
    step(synced, "commit")
    for name in ("validate", "commit", "submitCommitJob", "end"):
        response = synced.post(f"{SYNC}/{name}")
        assert (response.status_code, response.json()["code"]) == (409, "sync_state_conflict"), name
    assert synced.get(f"{SYNC}/status").json()["status"] == "COMMITTED"


def test_sync3_end_without_transfer_is_nothing_transferred(district: District) -> None:
    step(district, "start")
    response = district.post(f"{SYNC}/end")
    assert response.status_code == 409
    assert response.json()["code"] == "nothing_transferred"


def test_sync3_end_moves_to_transfer_ended(district: District) -> None:
    step(district, "start")
    step(district, "transfer", [staff_payload("90001")])
    body = step(district, "end")
    assert body["status"] == "TRANSFER_ENDED"
    assert body["staffTransferred"] == 1
    assert district.get(f"{SYNC}/status").json()["status"] == "TRANSFER_ENDED"


def test_sync1_starting_again_discards_the_uncommitted_staging(district: District) -> None:
    first = step(district, "start")
    step(district, "transfer", [staff_payload("90001"), staff_payload("90002")])
    second = step(district, "start")
    assert second["syncID"] != first["syncID"]
    assert second["staffTransferred"] == 0
    # The numbers of the discarded sync may be sent again.
    assert step(district, "transfer", [staff_payload("90001")])["staffTransferred"] == 1
    with db_of(district).unit_of_work(write=False) as session:
        staged = session.scalar(select(func.count()).select_from(m.SyncStagingRow)
                                .where(m.SyncStagingRow.district_id == district_id(district)))
    assert staged == 1


def test_sync1_start_while_a_commit_job_is_queued_is_a_state_conflict(synced: District) -> None:
    step(synced, "start")
    step(synced, "transfer", [staff_payload("90001")])
    step(synced, "end")
    step(synced, "validate")
    worker = synced.client.app.state.worker  # type: ignore[attr-defined]
    worker.stop()  # keep the job QUEUED
    try:
        job = step(synced, "submitCommitJob")
        assert job["status"] == queue.QUEUED
        response = synced.post(f"{SYNC}/start")
        assert response.status_code == 409
        assert response.json()["code"] == "sync_state_conflict"
        assert synced.get(f"{SYNC}/status").json()["status"] == "COMMITTING"
    finally:
        worker.start()
