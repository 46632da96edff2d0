"""MOCK-9: the request journal — per district, filtered, clearable, capped, with the rule codes that fired."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from tests.api.sync_support import hr_export, run_to_validated, sync_scenario
from tests.support import BOI, District, create_district, staff_payload

HOUSEHOLD = {"householdLocations": [{"address": {"fullStreetAddress": "4321 North Lexington Avenue",
                                                 "city": "Springfield", "state": "MO", "zip": "65803"}}]}


def journal(district: District, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = district.mock_json("GET", "/requests", params=params)
    return rows


def test_mock9_journal_records_method_path_query_status_timing_and_rules(district: District) -> None:
    created = district.post("/staffMembers", staff_payload("90001", household=HOUSEHOLD))
    assert created.status_code == 201, created.text
    district.get("/staffMembers", params={"lastName": "Simpson"})
    search, create = journal(district)
    assert (create["method"], create["status"]) == ("POST", 201)
    assert create["path"] == "/campus/api/businessOfficeIntegration/staffMembers"
    assert "STAFF-5" in create["rules"] and any(rule.startswith("HH-1") for rule in create["rules"])
    assert isinstance(create["durationMs"], float) and create["durationMs"] > 0
    assert (search["method"], search["query"], search["status"]) == ("GET", "lastName=Simpson", 200)
    assert create["id"] < search["id"], "newest first"


def test_mock9_journal_masks_ssn_and_never_holds_the_secret_or_token(district: District) -> None:
    district.post("/staffMembers", staff_payload("90002", ssn="123-45-6789"))
    (entry,) = journal(district)
    stored = str(entry)
    assert "6789" in entry["requestBody"] and "123-45" not in stored and "12345" not in stored
    assert district.client_secret not in stored and district.token() not in stored


def test_mock9_filters_path_status_since(district: District) -> None:
    district.get("/schools")
    district.get("/staffMembers/99999")
    time.sleep(1.1)  # `at` has second resolution on the wire
    district.get("/attributes/genders")
    assert [e["path"].rsplit("/", 1)[-1] for e in journal(district, path="/schools")] == ["schools"]
    assert [e["status"] for e in journal(district, status=404)] == [404]
    newest = journal(district)[0]
    assert [e["path"] for e in journal(district, since=newest["at"])] == [newest["path"]]
    assert len(journal(district, limit=2)) == 2
    assert district.mock("GET", "/requests", params={"status": "abc"}).status_code == 400


def test_mock9_journal_is_per_district_and_clearable(client: TestClient, district: District) -> None:
    other = create_district(client)
    district.get("/schools")
    other.get("/attributes/titles")
    assert [e["path"].rsplit("/", 1)[-1] for e in journal(district)] == ["schools"]
    assert district.mock("DELETE", "/requests").status_code == 204
    assert journal(district) == []
    assert len(journal(other)) == 1


def test_mock9_journal_cap_per_district_via_the_control_api(client: TestClient, district: District) -> None:
    default = client.app.state.settings.journal_cap  # type: ignore[attr-defined]
    assert district.mock("GET", "/requests/cap").json() == {"cap": None, "default": default, "effective": default}
    for _ in range(6):
        district.get("/schools")
    response = district.mock("PUT", "/requests/cap", json={"cap": 3})
    assert response.json() == {"cap": 3, "default": default, "effective": 3}
    kept = journal(district)
    assert len(kept) == 3, "setting the cap trims at once, keeping the newest"
    for i in range(55):
        district.get("/schools")
        created = district.post("/staffMembers", staff_payload(f"9{i:04d}", ssn=f"123-45-{i + 1:04d}"))
        assert created.status_code == 201, created.text  # a write journals in its own transaction
    assert len(journal(district, limit=1000)) == 3, "trimmed by every batch: the cap holds once the writer settles"
    assert district.mock("PUT", "/requests/cap", json={"cap": None}).json()["effective"] == default
    assert district.mock("PUT", "/requests/cap", json={"cap": 0}).status_code == 400
    assert district.mock("PUT", "/requests/cap", json={}).status_code == 400


def test_mock9_error_calls_are_journalled_with_their_status(district: District) -> None:
    bad = district.post("/staffMembers", {"staffNumber": "1", "lastName": "A", "firstName": "B", "lastNmae": "x"})
    assert bad.status_code == 400
    unauthenticated = district.client.get("/campus/api/businessOfficeIntegration/schools",
                                          headers={"Authorization": "Bearer nonsense"})
    assert unauthenticated.status_code == 401
    (entry,) = journal(district)
    assert entry["status"] == 400 and "lastNmae" in entry["responseBody"], "an unknown token names no district"


def test_mock9_a_count_of_ssn_differences_is_not_masked(client: TestClient) -> None:
    """The report's summary.demographicDifferences.byField.ssn is a count, not an SSN: kept as the number it is."""
    scenario = sync_scenario()
    synced = create_district(client, scenario)
    report = run_to_validated(synced, hr_export(scenario))
    counts = report["summary"]["demographicDifferences"]["byField"]
    assert counts["ssn"] == 1, counts
    (entry,) = journal(synced, path=f"{BOI}/staffMembers/sync/validate")
    stored = json.loads(entry["responseBody"])
    assert stored["summary"]["demographicDifferences"]["byField"] == counts
    assert "498-20" not in entry["responseBody"] and "498201378" not in entry["responseBody"], "SSNs still masked"
