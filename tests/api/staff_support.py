"""Helpers for the staff member API tests: the MOCK-4 view, row counts, messages, scenario variants."""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select

from boi_mock import models as m
from boi_mock.db import Database
from boi_mock.repositories.districts import DISTRICT_DATA_TABLES
from tests.support import District, create_district, minimal_scenario


def view(district: District, staff_number: str, **params: Any) -> dict[str, Any]:
    """MOCK-4: everything Campus holds for the staff member."""
    body: dict[str, Any] = district.mock_json("GET", f"/staff/{staff_number}", params=params)
    return body


def _db(district: District) -> Database:
    db: Database = cast(FastAPI, district.client.app).state.db
    return db


def district_row(district: District) -> m.District:
    with _db(district).unit_of_work(write=False) as session:
        row = session.scalars(select(m.District).where(m.District.app_name == district.app_name)).one()
        session.expunge(row)
        return row


def table_counts(district: District) -> dict[str, int]:
    """Rows of every district data table (persons, identities, positions, titles, households, messages…)."""
    district_id = district_row(district).id
    with _db(district).unit_of_work(write=False) as session:
        counts: dict[str, int] = {}
        for model in DISTRICT_DATA_TABLES:
            table = cast(Table, model.__table__)
            counts[table.name] = session.scalar(
                select(func.count()).select_from(table).where(table.c.district_id == district_id)) or 0
        return counts


def messages(district: District) -> list[tuple[str, str]]:
    """(notification type, event) of every Message Center message of the district, oldest first."""
    district_id = district_row(district).id
    with _db(district).unit_of_work(write=False) as session:
        rows = session.execute(select(m.Message.notification_type, m.Message.event)
                               .where(m.Message.district_id == district_id).order_by(m.Message.id))
        return [(t, e) for t, e in rows]


def data_version(district: District) -> int:
    return district_row(district).data_version


def journal_rules(district: District, method: str, path_end: str) -> list[str]:
    """The rule codes the newest matching BOI call fired (MOCK-9)."""
    for entry in district.mock_json("GET", "/requests"):
        if entry["method"] == method and entry["path"].endswith(path_end):
            rules: list[str] = entry["rules"]
            return rules
    raise AssertionError(f"no journal entry for {method} …{path_end}")


def set_today(district: District, today: str) -> None:
    response = district.mock("PUT", "/clock", json={"today": today})
    assert response.status_code == 200, response.text


def district_with(client: TestClient, *, persons: list[dict[str, Any]] | None = None,
                  notifications: bool = False, **overrides: Any) -> District:
    """boi_mock/seed/minimal.json plus extra persons, and HR-Staff notifications to mpostma when asked."""
    scenario = minimal_scenario(**overrides)
    scenario["persons"] = scenario["persons"] + (persons or [])
    if notifications:
        scenario["notifications"] = [{"type": "HR-Staff", "recipients": ["mpostma"]}]
    return create_district(client, scenario)


def position(school: str = "010", assignment: str | None = "20", title: str | None = "7B20C1D4",
             start: str = "2024-08-12", end: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"schoolNumber": school, "startDate": start}
    if assignment is not None:
        body["assignmentCode"] = assignment
    if title is not None:
        body["titleCode"] = title
    if end is not None:
        body["endDate"] = end
    body.update(extra)
    return body


def error_fields(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]
