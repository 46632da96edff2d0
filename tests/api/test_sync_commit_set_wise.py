"""SYNC-6/7, issue 12 item 8: the commit creates new staff members set-wise (services/sync/commit_create.py).

Proven against the per-staff path: the same HR export committed both ways into two districts leaves the same
rows in every district table (ids compared by their rank in the district, timestamps left out), the same
outcomes, Error Log rows, messages and `data_version`.
"""

from __future__ import annotations

import copy
import re
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import DateTime, Table, select, update

from boi_mock import models as m
from boi_mock.db import Base
from boi_mock.jobs import queue
from boi_mock.repositories.districts import DISTRICT_DATA_TABLES
from boi_mock.services import staff
from boi_mock.services.sync import commit, state
from tests.api.staff_support import data_version, view
from tests.api.sync_support import (
    HIRED_HOME,
    NEW_HOME,
    SYNC,
    comparable_view,
    db_of,
    district_id,
    hr_export,
    run_to_validated,
    step,
    sync_scenario,
)
from tests.support import District, create_district, staff_payload

# Respells Campus's 4321 N Lexington Ave (p1's household): matched, not created (ADDR-5).
CAMPUS_ADDRESS = {"number": "4321", "prefix": "North", "street": "Lexington", "tag": "Avenue",
                  "city": "Springfield", "state": "MO", "zip": "65803"}
SHARED_NEW = {"number": "9", "street": "Hickory", "tag": "Dr", "city": "Ozark", "state": "MO", "zip": "65721"}


def _new_staff() -> list[dict[str, Any]]:
    """New staff members exercising every rule of the create: POS-5 titles, HH-1/HH-4 households, ADDR-4/5."""
    position = {"schoolNumber": "020", "assignmentCode": "30", "startDate": "2025-08-11"}
    return [
        staff_payload("90101", household={"householdLocations": [{"address": dict(CAMPUS_ADDRESS)}]}),
        staff_payload("90102", lastName="  o'neil ", firstName="ANN", middleName=None, employments=[],
                      positions=[dict(position, titleCode="NEWT1", titleDescription="New Title One")],
                      household={"name": "The O'Neils", "phone": "(417) 555-0101",
                                 "householdLocations": [{"address": dict(SHARED_NEW), "mailing": False,
                                                         "startDate": "2025-07-01"}]}),
        staff_payload("90103", positions=[dict(position, titleCode="NEWT1", titleDescription="Another name"),
                                          dict(position, titleCode="NEWT2", schoolNumber="030")],
                      household={"householdLocations": [
                          {"address": dict(SHARED_NEW)},  # created by 90102 just before
                          {"address": dict(NEW_HOME), "startDate": "2020-01-01", "endDate": "2024-12-31"},
                          {"address": dict(NEW_HOME), "startDate": "2025-01-01", "private": True},
                          {"address": dict(NEW_HOME), "secondary": True}]}),  # the same location again
        staff_payload("90104", household=None, ssn=None, birthdate=None),
        staff_payload("90105", gender="M", household={"householdLocations": [{"address": dict(HIRED_HOME)}]}),
        staff_payload("90106"),  # its staging payload is made invalid below: fails alone
        staff_payload("90107", household={"householdLocations": []}),
    ]


def _export(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """New staff before, between and after the staff Campus holds: several set-wise batches per chunk."""
    existing, new = hr_export(scenario), _new_staff()
    return new[:2] + existing[:3] + new[2:5] + existing[3:] + new[5:]


def _commit(client: TestClient, scenario: dict[str, Any], *, set_wise: bool) -> District:
    district = create_district(client, {**copy.deepcopy(scenario), "appName": f"{scenario['appName']}-{set_wise}"})
    run_to_validated(district, _export(scenario))
    db = db_of(district)
    with db.unit_of_work() as session:  # Campus changed its genders after the validation: 90106 fails
        session.execute(update(m.SyncStagingRow).where(m.SyncStagingRow.staff_number == "90106")
                        .values(payload={**staff_payload("90106"), "gender": "Q"}))
    worker = cast(Any, district.client.app).state.worker
    worker.stop()
    try:
        job_id = int(step(district, "submitCommitJob")["jobID"])
        assert queue.claim(db, "test-worker", (state.JOB_KIND,)) == job_id
        assert commit.run_commit(db, job_id, set_wise=set_wise) == queue.COMPLETED
    finally:
        worker.start()
    return district


def _rows(district: District) -> dict[str, list[dict[str, Any]]]:
    """Every row of the district's tables: ids as their rank in the district, references likewise, no timestamps."""
    models: tuple[type[Base], ...] = (*DISTRICT_DATA_TABLES, m.ErrorLogEntry)
    tables = [cast(Table, model.__table__) for model in models if model not in (m.BackgroundJob, m.SyncRun)]
    the_id = district_id(district)
    with db_of(district).unit_of_work(write=False) as session:
        raw = {table.name: [dict(row) for row in session.execute(
            select(table).where(table.c.district_id == the_id).order_by(table.c.id)).mappings()] for table in tables}
    rank = {name: {row["id"]: i for i, row in enumerate(rows)} for name, rows in raw.items()}
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        shown = []
        for row in raw[table.name]:
            kept: dict[str, Any] = {}
            for column in table.columns:
                if column.name == "district_id" or isinstance(column.type, DateTime):
                    continue
                value = row[column.name]
                if column.name == "id":
                    value = rank[table.name][value]
                elif column.foreign_keys:
                    target = next(iter(column.foreign_keys)).column.table.name
                    if target not in rank:
                        continue  # the sync run: one per district, compared by its outcomes
                    value = rank[target][value]
                if isinstance(value, str):  # the actor (the district's OAuth client), personIDs in messages
                    value = re.sub(r"personIDs [\d, ]+", "personIDs …", value.replace(district.client_id, "<client>"))
                kept[column.name] = value
            shown.append(kept)
        out[table.name] = shown
    return out


@pytest.mark.parametrize("households", [True, False], ids=["households", "HH-5"])
def test_sync6_set_wise_create_writes_the_rows_of_the_per_staff_create(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, households: bool) -> None:
    scenario = sync_scenario(notifications=[{"type": "HR-Staff", "recipients": ["mpostma"]}])
    scenario["preferences"] = {**scenario["preferences"], "allowHouseholdUpdates": households}
    created: list[str] = []
    original = staff.create_staff

    def counting(ctx: Any, payload: Any, **kw: Any) -> Any:
        created.append(payload.staff_number)
        return original(ctx, payload, **kw)

    monkeypatch.setattr(commit, "create_staff", counting)
    set_wise = _commit(client, scenario, set_wise=True)
    assert created == []  # every new staff member went the set-wise way (no fallback)
    per_staff = _commit(client, scenario, set_wise=False)
    assert created == ["90101", "90102", "90103", "90104", "90105", "90001", "90106", "90107"]

    fast, slow = _rows(set_wise), _rows(per_staff)
    assert [(row["staff_number"], row["outcome_code"]) for row in fast["sync_staging_row"]
            if row["outcome"] == state.FAILED] == [("30001", "duplicate_campus_staff_number"),
                                                   ("90106", "unknown_gender")]
    for table in fast:
        assert fast[table] == slow[table], table
    assert data_version(set_wise) == data_version(per_staff)
    for number in ("90101", "90102", "90103", "90104", "90105", "90107", "90001"):
        assert comparable_view(view(set_wise, number)) == comparable_view(view(per_staff, number)), number
    assert len(fast["person"]) > len(sync_scenario()["persons"])  # it did create them
    if households:
        shown = view(set_wise, "90103")["household"]
        assert [(loc["address"]["street"], loc["startDate"], loc["endDate"], loc["private"], loc["secondary"])
                for loc in shown["locations"]] == [
            ("Hickory", "2026-01-15", None, False, False), ("Walnut", "2020-01-01", "2024-12-31", False, False),
            ("Walnut", "2025-01-01", None, True, True)]
    job = set_wise.get(f"{SYNC}/commitJobStatus").json()
    assert (job["processed"], job["succeeded"], job["failed"]) == (13, 11, 2)
