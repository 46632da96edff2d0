"""SYNC-6 (synchronous commit), SYNC-8 (synced staff locked), resumption, and the unchanged-staff shortcut."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.errors import BadRequest
from boi_mock.jobs import queue
from boi_mock.services import households, staff
from boi_mock.services.sync import commit, state
from tests.api.staff_support import messages, table_counts, view
from tests.api.sync_support import (
    HIRED_HOME,
    NEW_HOME,
    SYNC,
    comparable_view,
    db_of,
    district_id,
    step,
    validated_district,
)
from tests.support import BOI, District, staff_payload

HR_NUMBERS = ["10058", "10060", "10062", "10072", "30001", "90001"]


def test_sync6_commit_lists_succeeded_and_failed_staff(client: TestClient) -> None:
    district = validated_district(client)
    response = district.post(f"{SYNC}/commit")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["succeeded"] == ["10058", "10060", "10062", "10072", "90001"]
    assert [(f["staffNumber"], f["code"]) for f in body["failed"]] == [("30001", "duplicate_campus_staff_number")]
    assert "30001" in body["failed"][0]["message"]
    status = district.get(f"{SYNC}/status").json()
    assert (status["status"], status["staffCommitted"], status["staffFailed"], status["staffPending"]) == (
        "COMMITTED", 5, 1, 0)


def test_sync6_matched_staff_are_updated_and_new_staff_created(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "commit")
    changed = view(district, "10060")
    assert [(i["lastName"], i["current"]) for i in changed["identities"]] == [("Doughty", False), ("YOUNG", True)]
    assert changed["identities"][-1]["gender"] == "M"
    assert changed["demographics"]["ssn"] == "498201378"
    assert changed["employments"] == [{"hireDate": "2012-08-13", "terminationDate": "2025-12-19"}]
    assert changed["positions"][0]["endDate"] == "2025-12-19"
    locations = changed["household"]["locations"]
    assert [(loc["address"]["street"], loc["endDate"] is None) for loc in locations] == [
        ("Sunshine", False), (NEW_HOME["street"], True)]
    hired = view(district, "90001")
    assert hired["identities"][0]["lastName"] == "SIMPSON"
    assert hired["household"]["staffHousehold"] is True
    assert hired["household"]["locations"][0]["address"]["street"] == "Elm"
    assert hired["household"]["locations"][0]["address"]["city"] == HIRED_HOME["city"]


def test_ident3_hh3_sync6_what_the_commit_leaves_alone(client: TestClient) -> None:
    district = validated_district(client)
    before = {n: view(district, n) for n in ("10058", "10062", "10072", "10622")}
    step(district, "commit")
    for number, old in before.items():
        now = view(district, number)
        now.pop("locked"), old.pop("locked")  # committed staff are locked now (SYNC-8)
        assert comparable_view(now) == comparable_view(old), number
    # 10622 (Campus staff not in HR) is not even marked synced.
    assert view(district, "10622")["syncedAt"] is None


def test_sync6_duplicate_campus_staff_numbers_fail_and_are_untouched(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "commit")
    for person_id in (p["personID"] for p in district.mock(
            "GET", "/check-campus-data").json()["details"]["campusDuplicateStaffNumbers"]):
        one = view(district, "30001", personID=person_id)
        assert one["syncedAt"] is None
        assert one["locked"] == []


def test_sync6_failures_are_written_to_the_error_log(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "commit")
    rows = [r for r in district.error_log() if r["code"] == "duplicate_campus_staff_number"]
    assert len(rows) == 1
    row = rows[0]
    assert row["action"] == "POST"
    assert row["path"].endswith("/staffMembers/sync/commit")
    assert row["errorMessage"].startswith("Staff number 30001:")
    assert '"staffNumber": "30001"' in row["payload"]


def test_sync8_committed_staff_are_locked_in_the_campus_ui(client: TestClient) -> None:
    district = validated_district(client)
    assert view(district, "10060")["locked"] == []
    step(district, "commit")
    for number in ("10058", "10060", "90001"):
        locked = view(district, number)["locked"]
        assert "lastName" in locked and "positions" in locked, number


def test_sync6_each_staff_member_commits_in_its_own_transaction(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after part of a staff member was written leaves nothing of that staff member; others commit."""
    district = validated_district(client)
    original = households.apply_household

    def failing(ctx: Any, person: Any, household: Any, **kw: Any) -> None:
        if person.staff_number == "10060":
            raise BadRequest("injected failure after the identity was written", code="injected")
        original(ctx, person, household, **kw)

    monkeypatch.setattr(households, "apply_household", failing)
    before = view(district, "10060")
    body = step(district, "commit")
    assert [(f["staffNumber"], f["code"]) for f in body["failed"]] == [
        ("10060", "injected"), ("30001", "duplicate_campus_staff_number")]
    assert "90001" in body["succeeded"]
    assert comparable_view(view(district, "10060")) == comparable_view(before)  # no half-written identity


def test_sync6_500_or_more_staff_are_committed_with_the_guides_advice(district: District) -> None:
    """The guide's 500 is advice, not a rule: the real commit processes them (slowly); the mock does too and says
    so where a vendor looks (headers, the journal's rule notes), never with a refusal."""
    numbers = [f"8{i:04d}" for i in range(commit.COMMIT_LIMIT)]
    step(district, "start")
    step(district, "transfer", [staff_payload(n) for n in numbers])
    step(district, "end")
    step(district, "validate")
    response = district.post(f"{SYNC}/commit")
    assert response.status_code == 200, response.text
    assert sorted(response.json()["succeeded"]) == numbers and response.json()["failed"] == []
    advice = response.headers["X-Boi-Mock-Advice"]
    assert "500 staff members" in advice and "submitCommitJob" in advice
    assert response.headers["Warning"] == f'299 boi-mock "{advice}"'
    assert district.get(f"{SYNC}/status").json()["status"] == "COMMITTED"
    assert district.get("/staffMembers/80499").status_code == 200
    (entry,) = district.mock("GET", "/requests", params={"path": f"{BOI}{SYNC}/commit"}).json()
    assert "SYNC-6" in entry["rules"] and f"{commit.ADVICE_RULE}: {advice}" in entry["rules"]


def test_sync6_fewer_than_500_staff_commit_without_advice(client: TestClient) -> None:
    district = validated_district(client)
    response = district.post(f"{SYNC}/commit")
    assert response.status_code == 200, response.text
    assert "X-Boi-Mock-Advice" not in response.headers and "Warning" not in response.headers
    (entry,) = district.mock("GET", "/requests", params={"path": f"{BOI}{SYNC}/commit"}).json()
    assert not any(rule.startswith(commit.ADVICE_RULE) for rule in entry["rules"])


def test_note1_sync6_hr_sync_commit_notification(client: TestClient) -> None:
    district = validated_district(client, notifications=[{"type": "HR Sync Commit", "recipients": ["mpostma"]}])
    step(district, "commit")
    assert ("HR Sync Commit", "sync commit finished") in messages(district)


def test_sync6_unchanged_staff_shortcut_leaves_campus_as_update_staff_would(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit marks unchanged staff synced without update_staff: Campus must end up the same."""
    updated: list[str] = []
    original = staff.update_staff

    def counting(ctx: Any, staff_number: str, payload: Any, **kw: Any) -> Any:
        updated.append(staff_number)
        return original(ctx, staff_number, payload, **kw)

    monkeypatch.setattr(commit, "update_staff", counting)
    fast = validated_district(client)
    step(fast, "commit")
    assert updated == ["10060"]  # 10058, 10062 (respelled address), 10072 (HH-3) need no write
    slow = validated_district(client)
    commit.commit_now(db_of(slow), district_id(slow), actor="HR system", path=f"{SYNC}/commit",
                      skip_unchanged=False)  # what step(slow, "commit") runs, every row through update_staff
    for number in (*HR_NUMBERS, "10622"):
        if number == "30001":
            continue
        assert comparable_view(view(fast, number)) == comparable_view(view(slow, number)), number
    assert table_counts(fast) == table_counts(slow)


def _interrupted(district: District, after: int, *, skip_unchanged: bool = True) -> int:
    """Submit a commit job and run it here, stopping after `after` staff members: INTERRUPTED."""
    worker = district.client.app.state.worker  # type: ignore[attr-defined]
    worker.stop()
    try:
        job_id = int(step(district, "submitCommitJob")["jobID"])
        db = db_of(district)
        assert queue.claim(db, "test-worker", (state.JOB_KIND,)) == job_id
        calls = iter(range(10_000))
        assert commit.run_commit(db, job_id, lambda: next(calls) >= after,
                                 skip_unchanged=skip_unchanged) == queue.INTERRUPTED
    finally:
        worker.start()
    return job_id


def test_sync7_an_interrupted_commit_is_resumed_without_redoing_committed_staff(client: TestClient) -> None:
    district = validated_district(client)
    # every row through update_staff, so the interruption falls mid-list
    job_id = _interrupted(district, after=2, skip_unchanged=False)
    job = district.get(f"{SYNC}/commitJobStatus").json()
    assert (job["jobID"], job["status"], job["processed"], job["total"]) == (job_id, "INTERRUPTED", 2, 6)
    status = district.get(f"{SYNC}/status").json()
    assert (status["status"], status["staffCommitted"], status["staffPending"]) == ("COMMITTING", 2, 4)
    assert status["validationStale"] is False  # its own writes do not make the sync stale
    body = step(district, "commit")  # resume: the remaining four
    assert body["succeeded"] == ["10058", "10060", "10062", "10072", "90001"]
    assert len(view(district, "10060")["identities"]) == 2  # committed once, not twice


def test_sync5_an_outside_write_during_an_interrupted_commit_makes_the_resume_stale(client: TestClient) -> None:
    district = validated_district(client)
    _interrupted(district, after=1)
    assert district.put("/staffMembers/10622", {"workPhone": "(417) 555-0100"}).status_code == 200
    response = district.post(f"{SYNC}/commit")
    assert (response.status_code, response.json()["code"]) == (409, "validation_stale")
    # Abandon it: starting again is allowed once no commit is running.
    assert district.post(f"{SYNC}/start").status_code == 201


def test_sync6_an_unexpected_error_fails_that_staff_member_only(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    district = validated_district(client)
    original = staff.update_staff

    def broken(ctx: Any, staff_number: str, payload: Any, **kw: Any) -> Any:
        if staff_number == "10060":
            raise RuntimeError("boom")
        return original(ctx, staff_number, payload, **kw)

    monkeypatch.setattr(commit, "update_staff", broken)
    body = step(district, "commit")
    assert ("10060", "internal_error") in [(f["staffNumber"], f["code"]) for f in body["failed"]]
    assert "90001" in body["succeeded"]
    row = next(r for r in district.error_log() if r["code"] == "internal_error")
    assert row["status"] == 500 and "boi-mock bug" in row["errorMessage"]
