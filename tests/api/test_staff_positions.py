"""District assignments through the API: POS-1..8 (create, POST/PUT …/position, complete set on update)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.staff_support import (
    data_version,
    district_with,
    error_fields,
    journal_rules,
    messages,
    position,
    table_counts,
    view,
)
from tests.support import District, staff_payload

BROWN = "/staffMembers/10058"
# minimal.json: 10058 holds a linked 030/20/7B20C1D4 (2008-08-11) and an unlinked 030/95/4A61E262 (2015-11-02).
LINKED = position("030", "20", "7B20C1D4", "2008-08-11")
COACH = position("030", "95", "4A61E262", "2015-11-02")


def stored(district: District, staff_number: str = "10058") -> list[tuple[Any, ...]]:
    return [(p["schoolNumber"], p["assignmentCode"], p["titleCode"], p["startDate"], p["endDate"], p["linked"])
            for p in view(district, staff_number)["positions"]]


def test_pos1_title_or_assignment_required(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90200", positions=[
        position(), position(assignment=None, title=None)]))
    assert response.status_code == 400
    assert response.json()["code"] == "title_or_assignment_required"
    assert error_fields(response) == [("positions[1]", "title_or_assignment_required")]


def test_pos1_either_code_alone_is_accepted(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90201", positions=[
        position(assignment=None), position(title=None)]))
    assert response.status_code == 201, response.text


def test_pos1_school_and_start_date_required(district: District) -> None:
    response = district.post("/staffMembers/10058/position", {"titleCode": "7B20C1D4"})
    assert response.status_code == 400
    assert error_fields(response) == [("schoolNumber", "missing_field"), ("startDate", "missing_field")]


def test_pos2_unknown_school_is_400_with_its_path(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90202", positions=[position(), position("999")]))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_school" and "999" in body["detail"]
    assert error_fields(response) == [("positions[1].schoolNumber", "unknown_school")]
    assert district.post("/staffMembers/10058/position", position("999")).json()["code"] == "unknown_school"


def test_pos3_unknown_assignment_code_is_400(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90203", positions=[position(assignment="77")]))
    assert response.status_code == 400
    assert error_fields(response) == [("positions[0].assignmentCode", "unknown_assignment_code")]
    put = district.put("/staffMembers/10058/position", {**LINKED, "assignmentCode": "77"})
    assert put.json()["code"] == "unknown_assignment_code"


def test_pos4_dates_are_not_validated(district: District) -> None:
    odd = [position(start="2024-08-12", end="2020-01-01"), position("020", start="2024-08-12"),
           position("030", start="2024-08-12")]  # end before start; same dates in three schools
    response = district.post("/staffMembers", staff_payload("90204", positions=odd))
    assert response.status_code == 201, response.text
    assert [(p["schoolNumber"], p["startDate"], p["endDate"]) for p in response.json()["positions"]] == [
        ("010", "2024-08-12", "2020-01-01"), ("020", "2024-08-12", None), ("030", "2024-08-12", None)]


def test_pos5_unknown_title_is_created_with_its_description(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90205", positions=[
        position(title="NEWT1", titleDescription="Assistant Coach"), position(title="NEWT2")]))
    assert response.status_code == 201, response.text
    assert [p["titleDescription"] for p in response.json()["positions"]] == ["Assistant Coach", "NEWT2"]
    titles = {t["titleCode"]: t["description"] for t in district.get("/attributes/titles").json()}
    assert titles["NEWT1"] == "Assistant Coach" and titles["NEWT2"] == "NEWT2"
    assert "POS-5" in journal_rules(district, "POST", "/staffMembers")


def test_pos5_existing_title_keeps_its_description(district: District) -> None:
    district.post("/staffMembers/10060/position", position(title="4A61E262", titleDescription="Renamed"))
    titles = {t["titleCode"]: t["description"] for t in district.get("/attributes/titles").json()}
    assert titles["4A61E262"] == "Varsity Basketball"
    assert "POS-5" not in journal_rules(district, "POST", "/position")


def test_pos6_post_position_201_and_duplicates_allowed(client: TestClient) -> None:
    district = district_with(client, notifications=True)
    first = district.post("/staffMembers/10060/position", position("010"))
    assert first.status_code == 201, first.text
    assert first.json() == {"schoolNumber": "010", "assignmentCode": "20", "titleCode": "7B20C1D4",
                            "titleDescription": "Math Teacher", "startDate": "2024-08-12", "endDate": None}
    assert district.post("/staffMembers/10060/position", position("010")).status_code == 201
    assert stored(district, "10060").count(("010", "20", "7B20C1D4", "2024-08-12", None, False)) == 2
    assert messages(district) == [("HR-Staff", "district assignments updated")] * 2


def test_pos6_unknown_staff_is_404(district: District) -> None:
    response = district.post("/staffMembers/99999/position", position())
    assert response.status_code == 404 and response.json()["code"] == "staff_not_found"


def test_pos7_start_date_match_sets_end_date_on_all_matches(district: District) -> None:
    district.post("/staffMembers/10060/position", position("010"))
    district.post("/staffMembers/10060/position", position("010"))
    response = district.put("/staffMembers/10060/position",
                            {"schoolNumber": "010", "titleCode": "7B20C1D4", "startDate": "2024-08-12",
                             "endDate": "2025-06-30"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["updated"] == 2
    assert [p["endDate"] for p in body["positions"]] == ["2025-06-30", "2025-06-30"]
    assert "POS-7" in journal_rules(district, "PUT", "/position")


def test_pos7_end_date_match_sets_start_date(district: District) -> None:
    response = district.put("/staffMembers/10058/position",
                            {"schoolNumber": "030", "assignmentCode": "95", "startDate": "2016-01-04"})
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 1
    assert ("030", "95", "4A61E262", "2016-01-04", None, False) in stored(district)


def test_pos7_nothing_else_changes(district: District) -> None:
    before = stored(district)
    district.put("/staffMembers/10058/position", {"schoolNumber": "030", "titleCode": "4A61E262",
                                                  "startDate": "2015-11-02", "endDate": "2026-06-30"})
    after = stored(district)
    assert after[0] == before[0]
    assert after[1] == (*before[1][:4], "2026-06-30", False)


def test_pos7_no_match_is_404_position_not_found(district: District) -> None:
    version = data_version(district)
    for body in ({"schoolNumber": "010", "titleCode": "4A61E262", "startDate": "2015-11-02"},
                 {"schoolNumber": "030", "titleCode": "4A61E262", "startDate": "2015-11-03", "endDate": "2020-01-01"},
                 {"schoolNumber": "030", "titleCode": "4A61E262", "assignmentCode": "20",
                  "startDate": "2015-11-02"}):
        response = district.put("/staffMembers/10058/position", body)
        assert response.status_code == 404, body
        assert response.json()["code"] == "position_not_found"
    assert data_version(district) == version


def test_pos7_needs_school_start_date_and_a_code(district: District) -> None:
    response = district.put("/staffMembers/10058/position", {"schoolNumber": "030", "startDate": "2015-11-02"})
    assert response.status_code == 400 and response.json()["code"] == "title_or_assignment_required"
    response = district.put("/staffMembers/10058/position", {"titleCode": "4A61E262", "endDate": "2020-01-01"})
    assert error_fields(response) == [("schoolNumber", "missing_field"), ("startDate", "missing_field")]
    unknown = district.put("/staffMembers/10058/position", {**COACH, "titleDescription": "x"})
    assert error_fields(unknown) == [("titleDescription", "unknown_property")]


def test_pos8_complete_set_keeps_creates_and_removes(district: District) -> None:
    new = position("010", "20", "7B20C1D4", "2026-01-05")
    response = district.put(BROWN, {"positions": [LINKED, {**COACH, "endDate": "2025-12-31"}, new]})
    assert response.status_code == 200, response.text
    assert stored(district) == [("030", "20", "7B20C1D4", "2008-08-11", None, True),
                                ("030", "95", "4A61E262", "2015-11-02", "2025-12-31", False),
                                ("010", "20", "7B20C1D4", "2026-01-05", None, False)]
    assert district.put(BROWN, {"positions": [LINKED]}).status_code == 200
    assert stored(district) == [("030", "20", "7B20C1D4", "2008-08-11", None, True)]
    assert "POS-8" in journal_rules(district, "PUT", BROWN)


def test_pos8_absent_positions_untouched(district: District) -> None:
    before = stored(district)
    assert district.put(BROWN, {"cellPhone": "5", "positions": None}).status_code == 200
    assert stored(district) == before


def test_pos8_linked_position_cannot_be_removed_and_nothing_changes(district: District) -> None:
    before_view = view(district, "10058")
    before_counts = table_counts(district)
    version = data_version(district)
    response = district.put(BROWN, {"lastName": "Changed", "employments": [],
                                    "positions": [COACH, position("010", start="2026-01-05")]})
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "position_in_use"
    assert "2008-08-11" in body["detail"] and "030" in body["detail"]
    assert body["linkedPositions"] == [{"schoolNumber": "030", "assignmentCode": "20", "titleCode": "7B20C1D4",
                                        "titleDescription": "Math Teacher", "startDate": "2008-08-11",
                                        "endDate": None}]
    assert view(district, "10058") == before_view
    assert table_counts(district) == before_counts
    assert data_version(district) == version


def test_pos8_unlinked_positions_can_be_removed(district: District) -> None:
    assert district.put("/staffMembers/10060", {"positions": []}).status_code == 200
    member = district.get("/staffMembers/10060").json()
    assert member["positions"] == [] and member["isStaff"] is False


def test_pos2_known_school_accepted(district: District) -> None:
    response = district.post("/staffMembers/10060/position", position("020"))
    assert response.status_code == 201 and response.json()["schoolNumber"] == "020"


def test_pos3_known_assignment_code_accepted(district: District) -> None:
    response = district.post("/staffMembers/10060/position", position(assignment="95", title=None))
    assert response.status_code == 201 and response.json()["assignmentCode"] == "95"


def test_pos5_one_new_title_for_several_positions(district: District) -> None:
    before = len(district.get("/attributes/titles").json())
    response = district.post("/staffMembers", staff_payload("90206", positions=[
        position(title="NEWT3", titleDescription="Band"), position("020", title="NEWT3", titleDescription="Other")]))
    assert response.status_code == 201, response.text
    titles = district.get("/attributes/titles").json()
    assert len(titles) == before + 1
    assert {"titleCode": "NEWT3", "description": "Band"} in titles
