"""SYNC-4 (the validation report), SYNC-5 (staleness) and SYNC-10 (counting), through the API.

The crafted export (tests/api/sync_support.py `hr_export`) against `sync_scenario()`:
10058 equal to Campus (names upper case: IDENT-3); 10060 changed (name, gender, SSN, termination,
end-dated position, moved house); 10062 the same address spelled long-form (ADDR-4: no difference);
10072 shares a household with a student (HH-3: its different address is ignored); 30001 held twice in
Campus (not compared); 90001 new. Campus also has two unnumbered staff and 10622 without a position.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from fastapi.testclient import TestClient

from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.api.sync_support import (
    HIRED_HOME,
    NEW_HOME,
    SYNC,
    demo_district,
    hr_export,
    run_to_validated,
    step,
    sync_scenario,
)
from tests.support import District, create_district, staff_payload


@pytest.fixture
def crafted(client: TestClient) -> tuple[District, dict[str, Any]]:
    scenario = sync_scenario()
    district = create_district(client, scenario)
    return district, run_to_validated(district, hr_export(scenario))


def test_sync4_summary_counts_on_the_crafted_scenario(crafted: tuple[District, dict[str, Any]]) -> None:
    _district, report = crafted
    assert report["summary"] == {
        "demographicDifferences": {"total": 1, "byField": {
            "ssn": 1, "staffNumber": 0, "name": 1, "gender": 1, "personalEmail": 0, "workEmail": 0,
            "cellPhone": 0, "otherPhone": 0, "workPhone": 0, "birthdate": 0}},
        "employmentDifferences": 1,
        "assignmentDifferences": 1,
        "addressDifferences": 1,
        "hrStaffNotInCampus": 1,
        "campusStaffNotInHr": 3,
        "campusDuplicateStaffNumbers": 2,
        "campusStaffWithoutStaffNumber": 2,
    }
    assert report["generatedDate"].endswith("Z")
    assert report["hrStaffTransferred"] == 6


def test_sync4_details_show_campus_and_hr_side_by_side(crafted: tuple[District, dict[str, Any]]) -> None:
    _district, report = crafted
    details = report["details"]
    demo = details["demographicDifferences"][0]
    assert demo["staffNumber"] == "10060"
    assert demo["fields"] == ["ssn", "name", "gender"]
    assert (demo["campus"]["lastName"], demo["hr"]["lastName"]) == ("Doughty", "YOUNG")
    assert (demo["campus"]["ssn"], demo["hr"]["ssn"]) == ("*****1377", "*****1378")
    assert details["employmentDifferences"][0]["hr"] == [{"hireDate": "2012-08-13", "terminationDate": "2025-12-19"}]
    assignment = details["assignmentDifferences"][0]
    assert assignment["campus"][0]["endDate"] is None and assignment["hr"][0]["endDate"] == "2025-12-19"
    address = details["addressDifferences"][0]
    assert address["staffNumber"] == "10060"
    assert address["campus"][0]["street"] == "Sunshine" and address["hr"][0]["street"] == "Walnut"


def test_ident3_addr4_hh3_sync4_what_is_not_a_difference(crafted: tuple[District, dict[str, Any]]) -> None:
    _district, report = crafted
    details = report["details"]
    for section in ("demographicDifferences", "employmentDifferences", "assignmentDifferences",
                    "addressDifferences"):
        numbers = {row["staffNumber"] for row in details[section]}
        assert numbers <= {"10060"}, section  # not 10058 (upper case), 10062 (respelled), 10072 (shared), 30001


def test_sync10_sync4_campus_side_counts_persons(crafted: tuple[District, dict[str, Any]]) -> None:
    _district, report = crafted
    details = report["details"]
    assert sorted(r["firstName"] for r in details["campusDuplicateStaffNumbers"]) == ["Dana", "Drew"]
    assert all(r["inHr"] for r in details["campusDuplicateStaffNumbers"])
    assert sorted(r["lastName"] for r in details["campusStaffWithoutStaffNumber"]) == ["Ellis", "Nolan"]
    assert sorted(r["lastName"] for r in details["campusStaffNotInHr"]) == ["Ellis", "Nolan", "Stone"]
    assert [r["staffNumber"] for r in details["hrStaffNotInCampus"]] == ["90001"]


def test_sync4_staff_and_addresses_to_add(crafted: tuple[District, dict[str, Any]]) -> None:
    _district, report = crafted
    details = report["details"]
    assert [(r["staffNumber"], r["lastName"]) for r in details["staffToAdd"]] == [("90001", "SIMPSON")]
    added = {a["address"].get("street") or a["address"].get("fullStreetAddress"): a["staffNumbers"]
             for a in details["addressesToAdd"]}
    assert added == {NEW_HOME["street"]: ["10060"], HIRED_HOME["fullStreetAddress"]: ["90001"]}


def test_sync4_validate_sets_validated_and_the_report_can_be_read_again(
        crafted: tuple[District, dict[str, Any]]) -> None:
    district, report = crafted
    status = district.get(f"{SYNC}/status").json()
    assert status["status"] == "VALIDATED"
    assert status["validationStale"] is False
    again = district.get(f"{SYNC}/report")
    assert again.status_code == 200
    assert again.json() == report


def test_sync4_report_before_validation_is_not_found(district: District) -> None:
    step(district, "start")
    response = district.get(f"{SYNC}/report")
    assert response.status_code == 404
    assert response.json()["code"] == "report_not_found"


def test_sync5_a_campus_write_after_validation_makes_commit_stale(crafted: tuple[District, dict[str, Any]]) -> None:
    district, _report = crafted
    assert district.put("/staffMembers/10062", {"workPhone": "(417) 555-0199"}).status_code == 200
    assert district.get(f"{SYNC}/status").json()["validationStale"] is True
    for name in ("commit", "submitCommitJob"):
        response = district.post(f"{SYNC}/{name}")
        assert response.status_code == 409, name
        assert response.json()["code"] == "validation_stale"
        assert "step 4" in response.json()["detail"]
    step(district, "validate")  # repeat step 4
    assert district.get(f"{SYNC}/status").json()["validationStale"] is False
    assert district.post(f"{SYNC}/commit").status_code == 200


def test_sync5_a_write_in_another_district_does_not_make_it_stale(
        client: TestClient, crafted: tuple[District, dict[str, Any]]) -> None:
    district, _report = crafted
    other = create_district(client)
    assert other.post("/staffMembers", staff_payload("90005")).status_code == 201
    assert district.post(f"{SYNC}/commit").status_code == 200


def test_sync5_a_rejected_write_does_not_make_it_stale(crafted: tuple[District, dict[str, Any]]) -> None:
    district, _report = crafted
    assert district.put("/staffMembers/10062", {"gender": "Q"}).status_code == 400
    assert district.get(f"{SYNC}/status").json()["validationStale"] is False


@pytest.mark.slow
def test_sync4_sync10_demo_district_and_hr_export_give_the_guides_counts(client: TestClient) -> None:
    """src/boi_mock/seed/README.md's intended report (the guide's demographic columns, SYNC-10 person counts)."""
    district, members = demo_district(client)
    report = run_to_validated(district, members, batch=200)
    summary = report["summary"]
    assert summary["demographicDifferences"] == {"total": 40, "byField": {
        "ssn": 9, "staffNumber": 0, "name": 18, "gender": 5, "personalEmail": 0, "workEmail": 11,
        "cellPhone": 5, "otherPhone": 1, "workPhone": 0, "birthdate": 8}}
    assert summary["employmentDifferences"] == 40
    assert summary["assignmentDifferences"] == 40
    assert summary["hrStaffNotInCampus"] == 4
    assert summary["campusStaffNotInHr"] == 582
    assert summary["campusDuplicateStaffNumbers"] == 7
    assert summary["campusStaffWithoutStaffNumber"] == 39
    assert len(report["details"]["staffToAdd"]) == 4
    assert summary["addressDifferences"] == 41
    assert len(report["details"]["addressesToAdd"]) == 43


@pytest.mark.parametrize("pause", [True, False])
def test_sync_pause_gc_setting_decides_whether_validate_and_commit_pause_the_gc(
        settings: Settings, pause: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sync_pause_gc` (BOI_MOCK_SYNC_PAUSE_GC): validate and the commit pause the process's automatic garbage
    collection only when it is on, and it is on again afterwards. No module switch: the app's setting."""
    paused: list[bool] = []
    disable = gc.disable

    def recording_disable() -> None:
        paused.append(True)
        disable()

    monkeypatch.setattr(gc, "disable", recording_disable)
    app = create_app(settings.model_copy(update={"sync_pause_gc": pause, "run_worker": False}), run_migrations=False)
    with TestClient(app) as client:
        scenario = sync_scenario()
        district = create_district(client, scenario)
        report = run_to_validated(district, hr_export(scenario))
        result = step(district, "commit")
    assert report["summary"]["hrStaffNotInCampus"] == 1
    assert "90001" in result["succeeded"]
    assert len(paused) >= 2 if pause else paused == []  # validate, then the commit's load of the district
    assert gc.isenabled()
