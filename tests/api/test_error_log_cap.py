"""ERR-1, MOCK-5, MOCK-9: the Error Log is capped per district like the journal (issue 14, item 6).

Default 10,000 rows (oldest trimmed by the database, per district, whenever the writer adds rows), stored
payloads cut at 64 KB with a marker; a scenario's `errorLogCap`/`journalCap`; PUT …/error-log/cap mirrors
PUT …/requests/cap; a bounded default page on the read.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from boi_mock.services.observability import ERROR_LOG_CAP_DEFAULT
from tests.support import District, create_district, minimal_scenario, staff_payload


def _fail(district: District, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        assert district.get(f"/staffMembers/missing{i}").status_code == 404


def test_err1_mock5_scenario_error_log_cap_keeps_the_newest_rows(client: TestClient) -> None:
    district = create_district(client, minimal_scenario(errorLogCap=5, journalCap=7))
    _fail(district, 12)
    rows = district.mock("GET", "/error-log", params={"limit": 100}).json()
    assert [row["path"].rsplit("/", 1)[1] for row in rows] == [f"missing{i}" for i in range(11, 6, -1)]
    assert district.mock("GET", "/error-log/cap").json() == {"cap": 5, "default": ERROR_LOG_CAP_DEFAULT,
                                                               "effective": 5}
    assert district.mock("GET", "/requests/cap").json()["cap"] == 7


def test_err1_mock5_put_error_log_cap_trims_at_once_and_null_restores_the_default(district: District) -> None:
    _fail(district, 6)
    assert district.mock("GET", "/error-log/cap").json() == {"cap": None, "default": ERROR_LOG_CAP_DEFAULT,
                                                               "effective": ERROR_LOG_CAP_DEFAULT}
    response = district.mock("PUT", "/error-log/cap", json={"cap": 2})
    assert response.status_code == 200, response.text
    assert response.json() == {"cap": 2, "default": ERROR_LOG_CAP_DEFAULT, "effective": 2}
    rows = district.error_log()
    assert [row["path"].rsplit("/", 1)[1] for row in rows] == ["missing5", "missing4"]
    _fail(district, 3, start=6)
    assert len(district.error_log()) == 2
    for bad in ({"cap": 0}, {"cap": "5"}, {"cap": 2.0}, {}):
        refused = district.mock("PUT", "/error-log/cap", json=bad)
        assert refused.status_code == 400, bad
        assert refused.json()["errors"][0]["field"] == "cap"
    assert district.mock("GET", "/error-log/cap").json()["cap"] == 2  # a refused call changed nothing
    assert district.mock("PUT", "/error-log/cap", json={"cap": None}).json()["effective"] == ERROR_LOG_CAP_DEFAULT


def test_err1_cap_is_per_district(client: TestClient) -> None:
    small = create_district(client, minimal_scenario(errorLogCap=1))
    other = create_district(client, minimal_scenario())
    _fail(small, 3)
    _fail(other, 3)
    assert len(small.error_log()) == 1
    assert len(other.error_log()) == 3


def test_err1_stored_payload_is_cut_at_64_kb_with_a_marker(district: District) -> None:
    body = staff_payload("90088", gender="Q", lastName="L" * 90, middleName="M" * 50,
                         titles=["x" * 1000] * 115)  # ~115 KB, rejected (unknown property and gender)
    response = district.post("/staffMembers", body)
    assert response.status_code == 400
    row = district.error_log()[0]
    assert len(row["payload"]) < 66_000
    assert row["payload"].endswith("characters, the first 65,536 kept]")
    journal = district.mock("GET", "/requests", params={"limit": 1}).json()[0]
    assert len(journal["requestBody"]) < 66_000


def test_mock5_default_page_is_bounded(district: District) -> None:
    _fail(district, 55)
    default = district.mock("GET", "/error-log").json()
    assert len(default) == 50
    assert len(district.mock("GET", "/error-log", params={"limit": 1000}).json()) == 55
    assert district.mock("GET", "/error-log", params={"limit": 1001}).status_code == 400


def test_mock9_scenario_journal_cap_and_reset_keep_what_the_scenario_says(client: TestClient) -> None:
    district = create_district(client, minimal_scenario(journalCap=3))
    _fail(district, 60)  # the journal is trimmed every 50 entries written
    assert len(district.mock("GET", "/requests", params={"limit": 1000}).json()) <= 3 + 50
    assert district.mock("PUT", "/error-log/cap", json={"cap": 9}).status_code == 200
    assert district.mock("POST", "/reset").status_code == 200
    assert district.mock("GET", "/error-log/cap").json()["cap"] == 9  # the scenario gives none: kept
    assert district.mock("POST", "/reset", json=minimal_scenario(errorLogCap=4)).status_code == 200
    assert district.mock("GET", "/error-log/cap").json()["cap"] == 4
    assert json.loads(json.dumps(district.error_log()))  # still readable
