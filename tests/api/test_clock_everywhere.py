"""MOCK-8: one clock. Every date and timestamp a district shows or stores comes from its clock — the frozen
date (or today), the wall-clock time of day, plus the offset — and `DELETE …/clock` is the wall clock again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from boi_mock import models as m
from boi_mock.clock import Clock, utcnow
from tests.api.sync_support import (
    SYNC,
    db_of,
    district_id,
    hr_export,
    run_to_validated,
    step,
    sync_scenario,
    wait_for_job,
)
from tests.support import BOI, District, create_district, staff_payload
from tests.ui.support import Campus, text

# How far a stamp may be from the district's "now" read around the test (a slow machine, a 100 ms linger).
SLACK = timedelta(minutes=10)


def _wire(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _district_now(district: District) -> datetime:
    return _wire(district.mock("GET", "/clock").json()["now"])


def _stored_stamps(district: District) -> dict[str, list[datetime]]:
    """Every timestamp the district's rows hold, by where it is stored."""
    did = district_id(district)
    columns: dict[str, Any] = {
        "district.created_at": select(m.District.created_at).where(m.District.id == did),
        "district.secret_rotated_at": select(m.District.secret_rotated_at).where(m.District.id == did),
        "error_log.error_at": select(m.ErrorLogEntry.error_at).where(m.ErrorLogEntry.district_id == did),
        "request_journal.at": select(m.RequestJournalEntry.at).where(m.RequestJournalEntry.district_id == did),
        "message.created_at": select(m.Message.created_at).where(m.Message.district_id == did),
        "person.created_at": select(m.Person.created_at).where(m.Person.district_id == did),
        "person.synced_at": select(m.Person.synced_at).where(m.Person.district_id == did),
        "sync_run.started_at": select(m.SyncRun.started_at).where(m.SyncRun.district_id == did),
        "sync_run.ended_at": select(m.SyncRun.ended_at).where(m.SyncRun.district_id == did),
        "sync_run.validated_at": select(m.SyncRun.validated_at).where(m.SyncRun.district_id == did),
        "sync_run.committed_at": select(m.SyncRun.committed_at).where(m.SyncRun.district_id == did),
        "background_job.submitted_at": select(m.BackgroundJob.submitted_at).where(m.BackgroundJob.district_id == did),
        "background_job.started_at": select(m.BackgroundJob.started_at).where(m.BackgroundJob.district_id == did),
        "background_job.finished_at": select(m.BackgroundJob.finished_at).where(m.BackgroundJob.district_id == did),
    }
    with db_of(district).unit_of_work(write=False) as session:
        return {name: [v for v in session.scalars(stmt) if v is not None] for name, stmt in columns.items()}


def test_mock8_every_timestamp_follows_a_frozen_and_advanced_clock(client: TestClient) -> None:
    scenario = sync_scenario(notifications=[{"type": "HR Sync Commit", "recipients": ["akline"]},
                                            {"type": "HR-Staff", "recipients": ["mpostma"]}])
    district = create_district(client, scenario)  # created on the scenario's frozen date
    district.mock("PUT", "/clock", json={"today": "2026-03-02"})
    clock = district.mock("POST", "/clock/advance", json={"seconds": 3600}).json()
    assert clock["offsetSeconds"] == 3600 and clock["frozen"] is True
    before = _district_now(district)
    assert abs(before - (datetime.combine(date(2026, 3, 2), utcnow().time()) + timedelta(hours=1))) < SLACK

    assert district.post("/staffMembers", staff_payload("90077", gender="Q")).status_code == 400  # Error Log
    assert district.post("/staffMembers", staff_payload("90078")).status_code == 201  # HR-Staff, HR-managed
    run_to_validated(district, hr_export(scenario))  # sync start, end, validation report
    step(district, "submitCommitJob")
    job = wait_for_job(district)  # job times, commit, HR Sync Commit, a duplicate number's Error Log row
    assert job["failed"] == 1
    district.mock("POST", "/secret")  # the secret's "generated" time
    district.client_secret = district.mock("GET", "").json()["clientSecret"]
    district.token(fresh=True)
    after = _district_now(district)

    stored = _stored_stamps(district)
    for name in ("error_log.error_at", "request_journal.at", "message.created_at", "person.synced_at",
                 "sync_run.started_at", "sync_run.ended_at", "sync_run.validated_at", "sync_run.committed_at",
                 "background_job.submitted_at", "background_job.started_at", "background_job.finished_at",
                 "district.secret_rotated_at"):
        assert stored[name], f"{name}: nothing stored"
        for stamp in stored[name]:
            assert before - SLACK <= stamp <= after + SLACK, f"{name} {stamp} is not the district's time {before}"
    assert {stamp.date() for stamp in stored["district.created_at"]} == {date(2026, 1, 15)}, "the scenario's date"

    status = district.get(f"{SYNC}/status").json()
    shown = [status["startedDate"], status["endedDate"], status["validatedDate"], status["committedDate"],
             job["submittedDate"], job["startedDate"], job["finishedDate"],
             district.mock("GET", "/staff/90078").json()["syncedAt"]]
    shown.append(district.get(f"{SYNC}/report").json()["generatedDate"])  # the Validation Report
    shown += [row["errorDate"] for row in district.error_log()]
    shown += [entry["at"] for entry in district.mock("GET", "/requests").json()]
    for value in shown:
        assert before - SLACK <= _wire(value) <= after + SLACK, f"{value} is not the district's time {before}"

    campus = Campus(district)
    day = f"{after:%m/%d/%Y}"
    assert f"generated {day}" in text(campus.get("credentials")), "the secret's generated time"
    staff_page = text(campus.get(f"staff/{campus.person_id('90078')}"))
    assert f"HR-managed since {day}" in staff_page
    messages_page = text(campus.get("messages"))  # Postma, Madison: the HR-Staff message
    assert "HR-Staff" in messages_page and day in messages_page
    assert f"{utcnow():%m/%d/%Y}" not in messages_page, "no wall-clock date in the Message Center"


def test_mock8_only_the_advance_moves_an_unfrozen_clock(district: District) -> None:
    district.mock("DELETE", "/clock")
    district.mock("POST", "/clock/advance", json={"seconds": 3 * 3600})
    assert district.post("/staffMembers", staff_payload("90079", gender="Q")).status_code == 400
    assert district.post("/staffMembers", staff_payload("90080")).status_code == 201
    expected = utcnow() + timedelta(hours=3)
    row = district.error_log()[0]
    assert abs(_wire(row["errorDate"]) - expected) < SLACK
    assert abs(_wire(district.mock("GET", "/staff/90080").json()["syncedAt"]) - expected) < SLACK


def test_mock8_delete_returns_the_district_to_the_wall_clock_entirely(district: District) -> None:
    district.mock("PUT", "/clock", json={"today": "2031-06-01"})
    district.mock("POST", "/clock/advance", json={"seconds": 86400})
    assert district.get("/staffMembers/nobody-before").status_code == 404
    clock = district.mock("DELETE", "/clock").json()
    # A token issued while the clock was a day ahead is not valid yet on the wall clock (401): a new one is.
    assert district.get("/staffMembers/nobody-after").status_code == 401
    district.token(fresh=True)
    assert (clock["frozen"], clock["offsetSeconds"]) == (False, 0), "frozen date and offset both cleared"
    assert abs(_wire(clock["now"]) - utcnow()) < SLACK and clock["today"] == utcnow().date().isoformat()
    assert district.get("/staffMembers/nobody-after").status_code == 404
    newest, older = [row for row in district.error_log() if row["status"] == 404][:2]
    assert newest["path"].endswith("/nobody-after"), "newest first by when it happened, not by the moved clock"
    assert older["path"].endswith("/nobody-before")
    assert _wire(older["errorDate"]).date() == date(2031, 6, 2) and abs(_wire(newest["errorDate"]) - utcnow()) < SLACK
    journal = district.mock("GET", "/requests", params={"status": 404}).json()
    assert journal[0]["path"].endswith("/nobody-after") and journal[1]["path"].endswith("/nobody-before")
    # A token issued on the wall clock still works: the advance that aged tokens is gone.
    assert client_get(district, district.token(fresh=True)).status_code == 200


def test_mock8_a_negative_advance_is_refused_delete_is_the_way_back(district: District) -> None:
    refused = district.mock("POST", "/clock/advance", json={"seconds": -60})
    assert refused.status_code == 400 and "seconds" in refused.text
    assert district.mock("GET", "/clock").json()["offsetSeconds"] == 0, "a refused advance changes nothing"


def test_mock8_the_clock_is_the_frozen_date_the_time_of_day_and_the_offset() -> None:
    wall = datetime(2026, 11, 30, 23, 30, 5)
    assert Clock().at(wall) == wall
    assert Clock(frozen_today=date(2026, 1, 15)).at(wall) == datetime(2026, 1, 15, 23, 30, 5)
    assert Clock(frozen_today=date(2026, 1, 15), offset_seconds=3600).at(wall) == datetime(2026, 1, 16, 0, 30, 5)
    assert Clock(offset_seconds=60).at(wall) == datetime(2026, 11, 30, 23, 31, 5)


def client_get(district: District, token: str) -> Any:
    return district.client.get(BOI + "/schools", headers={"Authorization": f"Bearer {token}"})
