"""SYNC-9 / MOCK-10: Check Campus Data, and the demo district end to end (SYNC-4..7 on the guide's data)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.sync_support import SYNC, demo_district, run_to_validated, step, sync_scenario, wait_for_job
from tests.support import District, create_district


def test_sync9_mock10_check_campus_data_lists_duplicates_and_missing_numbers(client: TestClient) -> None:
    district = create_district(client, sync_scenario())
    response = district.mock("GET", "/check-campus-data")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"] == {"campusStaff": 9, "campusDuplicateStaffNumbers": 2, "duplicatedStaffNumbers": 1,
                               "campusStaffWithoutStaffNumber": 2}
    assert [(r["staffNumber"], r["firstName"]) for r in body["details"]["campusDuplicateStaffNumbers"]] == [
        ("30001", "Dana"), ("30001", "Drew")]
    assert sorted(r["lastName"] for r in body["details"]["campusStaffWithoutStaffNumber"]) == ["Ellis", "Nolan"]
    assert body["generatedDate"].endswith("Z")


def test_sync9_clean_campus_has_nothing_to_report(district: District) -> None:
    body = district.mock("GET", "/check-campus-data").json()
    assert body["summary"]["campusDuplicateStaffNumbers"] == 0
    assert body["summary"]["campusStaffWithoutStaffNumber"] == 0
    assert body["details"] == {"campusDuplicateStaffNumbers": [], "campusStaffWithoutStaffNumber": []}


def test_mock10_unknown_district_is_not_found(client: TestClient) -> None:
    response = client.get("/_mock/districts/no-such-district/check-campus-data")
    assert response.status_code == 404


@pytest.mark.slow
def test_sync9_sync6_sync7_demo_district_commit_and_a_second_sync_finds_nothing(client: TestClient) -> None:
    district, members = demo_district(client)
    check = district.mock("GET", "/check-campus-data").json()["summary"]
    assert (check["campusDuplicateStaffNumbers"], check["campusStaffWithoutStaffNumber"]) == (7, 39)
    run_to_validated(district, members)
    step(district, "submitCommitJob")  # 357 staff: the guide would use commit; the job must work too
    job = wait_for_job(district, timeout=300)
    assert (job["status"], job["succeeded"], job["failed"]) == ("COMPLETED", 354, 3)
    failed = {r["errorMessage"].split(":")[0] for r in district.error_log()
              if r["code"] == "duplicate_campus_staff_number"}
    assert failed == {"Staff number 30001", "Staff number 30002", "Staff number 30003"}
    # The same export again: Campus now mirrors HR, so nothing is left to change (SYNC-6 is complete).
    report = run_to_validated(district, members)
    summary = report["summary"]
    assert summary["demographicDifferences"]["total"] == 0
    for key in ("employmentDifferences", "assignmentDifferences", "addressDifferences", "hrStaffNotInCampus"):
        assert summary[key] == 0, key
    assert report["details"]["addressesToAdd"] == []
    assert summary["campusStaffNotInHr"] == 582 and summary["campusDuplicateStaffNumbers"] == 7
    assert district.get(f"{SYNC}/status").json()["status"] == "VALIDATED"
