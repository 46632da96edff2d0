"""REF-1..4: reference data lists, scoped to the token's district."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import District, create_district, minimal_scenario


def test_ref1_schools(district: District) -> None:
    schools = district.get("/schools").json()
    assert {"schoolNumber": "010", "name": schools[0]["name"]} == schools[0]
    assert [s["schoolNumber"] for s in schools] == ["010", "020", "030"]


def test_ref2_genders(district: District) -> None:
    codes = {g["code"] for g in district.get("/attributes/genders").json()}
    assert {"F", "M"} <= codes


def test_ref3_assignment_codes(district: District) -> None:
    codes = district.get("/attributes/assignmentCodes").json()
    assert any(c["code"] == "20" for c in codes)
    assert set(codes[0]) == {"code", "name"}


def test_ref4_titles(district: District) -> None:
    titles = district.get("/attributes/titles").json()
    assert {"titleCode": "4A61E262", "description": "Varsity Basketball"} in titles


def test_ref_lists_are_per_district(client: TestClient) -> None:
    scenario = minimal_scenario(schools=[{"schoolNumber": "999", "name": "Only School"}], persons=[],
                                households=[])
    other = create_district(client, scenario)
    assert other.get("/schools").json() == [{"schoolNumber": "999", "name": "Only School"}]
