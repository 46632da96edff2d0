"""Helpers for the staff synchronization tests: a crafted Campus, its HR export, and the five steps."""

from __future__ import annotations

import copy
import json
import time
from typing import Any, cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from boi_mock import models as m
from boi_mock.db import Database
from tests.support import SEED, District, create_district, minimal_scenario

SYNC = "/staffMembers/sync"
NEW_HOME = {"number": "77", "street": "Walnut", "tag": "St", "city": "Springfield", "state": "MO", "zip": "65806"}
HIRED_HOME = {"fullStreetAddress": "12 Elm Street", "city": "Nixa", "state": "MO", "zip": "65714"}


def db_of(district: District) -> Database:
    db: Database = cast(FastAPI, district.client.app).state.db
    return db


def district_id(district: District) -> int:
    with db_of(district).unit_of_work(write=False) as session:
        return int(session.scalars(select(m.District.id).where(m.District.app_name == district.app_name)).one())


# What each step answers when it succeeds (the others: 200).
STEP_STATUS = {"start": 201, "submitCommitJob": 202}


def step(district: District, name: str, body: Any = None) -> Any:
    """POST staffMembers/sync/<name>; asserts the step's success status (STEP_STATUS) and returns the JSON."""
    response = district.post(f"{SYNC}/{name}", body)
    assert response.status_code == STEP_STATUS.get(name, 200), response.text
    return response.json()


def sync_scenario(**overrides: Any) -> dict[str, Any]:
    """boi_mock/seed/minimal.json plus dirty data: staff number 30001 twice, two unnumbered staff, one number without a
    position (STAFF-7)."""
    scenario = minimal_scenario(**overrides)
    position = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2020-08-10", "endDate": None}
    scenario["persons"] += [
        {"ref": "d1", "staffNumber": "30001", "lastName": "Hale", "firstName": "Dana", "positions": [position]},
        {"ref": "d2", "staffNumber": "30001", "lastName": "Hale", "firstName": "Drew", "positions": [position]},
        {"ref": "n1", "staffNumber": None, "lastName": "Nolan", "firstName": "Nina", "positions": [position]},
        {"ref": "e1", "staffNumber": None, "lastName": "Ellis", "firstName": "Eve",
         "employments": [{"hireDate": "2019-01-07", "terminationDate": None}]},
        {"ref": "s7", "staffNumber": "10622", "lastName": "Stone", "firstName": "Sam"},
    ]
    return scenario


def hr_member(scenario: dict[str, Any], ref: str) -> dict[str, Any]:
    """The HR system's object for a scenario person, equal to Campus (names in upper case, as HR exports do)."""
    person = next(p for p in scenario["persons"] if p.get("ref") == ref)
    member = {k: copy.deepcopy(v) for k, v in person.items() if k != "ref"}
    member["lastName"] = member["lastName"].upper()
    member["firstName"] = member["firstName"].upper()
    for position in member.get("positions", []):
        position.pop("linked", None)
    household = next((h for h in scenario["households"] if ref in h["members"]), None)
    if household is not None:
        member["household"] = {
            "name": household["name"], "phone": household.get("phone"),
            "householdLocations": [{k: copy.deepcopy(v) for k, v in loc.items() if k != "duplicateAddress"}
                                   for loc in household["locations"]]}
    return member


def hr_export(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """The crafted HR export (see test_sync_validate.py for what each member exercises)."""
    unchanged = hr_member(scenario, "p1")
    changed = hr_member(scenario, "p2")
    changed.update(lastName="YOUNG", gender="M", ssn="498-20-1378")
    changed["employments"][0]["terminationDate"] = "2025-12-19"
    changed["positions"][0]["endDate"] = "2025-12-19"
    changed["household"]["householdLocations"] = [{"address": dict(NEW_HOME), "startDate": "2025-10-01"}]
    respelled = hr_member(scenario, "p3")
    respelled["household"]["householdLocations"][0]["address"] = {
        "fullStreetAddress": "741 Cherry Lane Northeast", "city": "Nixa", "state": "MO", "zip": "65714"}
    shared = hr_member(scenario, "p4")
    shared["household"]["householdLocations"][0]["address"] = dict(NEW_HOME, number="78")
    duplicate = hr_member(scenario, "d1")
    hired = {"staffNumber": "90001", "lastName": "SIMPSON", "firstName": "PAT", "gender": "F",
             "birthdate": "1979-12-26", "employments": [{"hireDate": "2025-08-11"}],
             "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2025-08-11"}],
             "household": {"householdLocations": [{"address": dict(HIRED_HOME)}]}}
    return [unchanged, changed, respelled, shared, duplicate, hired]


def run_to_validated(district: District, members: list[dict[str, Any]], *, batch: int = 1000) -> dict[str, Any]:
    """start → transfer (in batches) → end → validate; returns the report."""
    step(district, "start")
    for i in range(0, len(members), batch):
        step(district, "transfer", members[i:i + batch])
    step(district, "end")
    report: dict[str, Any] = step(district, "validate")
    return report


def validated_district(client: TestClient, **overrides: Any) -> District:
    """A district of sync_scenario(**overrides) whose crafted HR export (hr_export) is transferred and validated:
    ready to commit."""
    scenario = sync_scenario(**overrides)
    district = create_district(client, scenario)
    run_to_validated(district, hr_export(scenario))
    return district


def wait_for_job(district: District, timeout: float = 120.0) -> dict[str, Any]:
    """Poll commitJobStatus until the job leaves QUEUED/RUNNING."""
    deadline = time.monotonic() + timeout
    while True:
        response = district.get(f"{SYNC}/commitJobStatus")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] not in ("QUEUED", "RUNNING"):
            return job
        assert time.monotonic() < deadline, f"commit job still {job['status']}: {job}"
        time.sleep(0.05)


def demo_district(client: TestClient) -> tuple[District, list[dict[str, Any]]]:
    """boi_mock/seed/demo-7634-MO.json under a unique appName, and boi_mock/seed/hr-export-demo.json."""
    scenario: dict[str, Any] = json.loads((SEED / "demo-7634-MO.json").read_text())
    scenario["appName"] = minimal_scenario()["appName"]
    scenario.pop("clientId", None)
    scenario.pop("clientSecret", None)
    members: list[dict[str, Any]] = json.loads((SEED / "hr-export-demo.json").read_text())
    return create_district(client, scenario), members


def comparable_view(view: dict[str, Any]) -> dict[str, Any]:
    """A MOCK-4 view without what differs between two districts holding the same data (ids, sync time)."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in ("personID", "householdID", "addressID", "members", "syncedAt")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    out: dict[str, Any] = strip(view)
    return out
