"""Crash safety: `kill -9` of a real `boi-mock serve` mid-burst and mid-commit-job, then a restart.

The server runs as a subprocess on a fresh database of the suite's kind (a SQLite file in WAL mode, or
a PostgreSQL database). SIGKILL gives it no chance to roll back, flush or stop its job worker: what
the database holds afterwards is exactly what was committed.

* A burst of staff creates, each a recognisable full record (demographics, two employments, three
  positions, one with a new title code (POS-5), a staff household at a new address): every person
  that exists afterwards is complete and exactly as sent, title and address included; every create
  that was acknowledged exists (durability); one current identity each; the database passes SQLite's
  integrity and foreign-key checks (on PostgreSQL: every foreign key validated) and no row of any
  table points at a missing parent.
* A 5,000-staff background commit (SYNC-7: start, 5 x 1,000 transferred, end, validate,
  submitCommitJob), killed mid-job: after the restart the job says INTERRUPTED, never RUNNING; its
  counters equal the staging rows' recorded outcomes; every committed staff member is complete and
  every pending one absent; submitting again commits only the remaining ones; a graceful stop (SIGINT)
  of that second job leaves it INTERRUPTED too. (tests/test_sync_crash.py kills a 2,000-staff commit of
  *updates* on SQLite; this one is the 5,000-staff commit of *creates*, on both databases.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from boi_mock.jobs import queue
from tests.reliability.support import (
    LiveDistrict,
    LiveServer,
    district_id_of,
    engine_for,
    identities_by_person,
    identity_problems,
    integrity_problems,
    new_live_district,
)
from tests.support import staff_payload

BURST_THREADS = 4
KILL_ROUNDS = 3
KILL_AFTER_ACKS = 25
SYNC_STAFF = 5_000
SYNC_BATCH = 1_000
KILL_AFTER_PROCESSED = 300


def crash_payload(number: str, i: int) -> dict[str, Any]:
    """A full staff member whose every part can be recognised afterwards."""
    return {
        "staffNumber": number, "lastName": f"Crash{number}", "firstName": f"Test{i}", "middleName": "K",
        "gender": ("F", "M", "X")[i % 3], "ssn": f"{700000000 + i:09d}",
        "birthdate": (date(1970, 1, 1) + timedelta(days=i)).isoformat(),
        "workPhone": f"555{i:07d}", "cellPhone": f"556{i:07d}", "otherPhone": None,
        "workEmail": f"{number.lower()}@crash.example", "personalEmail": f"home.{number.lower()}@crash.example",
        "employments": [{"hireDate": "2001-08-15", "terminationDate": "2010-05-28"},
                        {"hireDate": f"2014-08-{i % 28 + 1:02d}", "terminationDate": None}],
        "positions": [
            {"schoolNumber": "010", "assignmentCode": "20", "titleCode": f"T{number}",
             "titleDescription": f"Title of {number}", "startDate": "2014-08-11", "endDate": None},
            {"schoolNumber": "020", "assignmentCode": "30", "titleCode": None, "titleDescription": None,
             "startDate": "2015-01-01", "endDate": "2016-01-01"},
            {"schoolNumber": "030", "assignmentCode": None, "titleCode": "7B20C1D4",
             "titleDescription": "Math Teacher", "startDate": "2016-01-01", "endDate": None},
        ],
        "household": {"name": f"Crash {number} Household", "householdLocations": [
            {"address": {"fullStreetAddress": f"{i + 1} Crash Street", "city": "Springfield", "state": "MO",
                         "zip": "65806"}}]},
    }


def _as_held(member: dict[str, Any]) -> dict[str, Any]:
    """The parts of a staff member read back that a create must have written."""
    household = member["household"]
    return {
        **{k: member[k] for k in ("staffNumber", "lastName", "firstName", "middleName", "gender", "ssn",
                                  "birthdate", "workPhone", "cellPhone", "otherPhone", "workEmail",
                                  "personalEmail")},
        "employments": sorted((e["hireDate"], e["terminationDate"]) for e in member["employments"]),
        "positions": sorted((p["schoolNumber"], p["assignmentCode"] or "", p["titleCode"] or "",
                             p["titleDescription"] or "", p["startDate"], p["endDate"] or "")
                            for p in member["positions"]),
        "household": household and (household["name"], [
            (loc["address"].get("number"), loc["address"].get("street"), loc["address"].get("tag"),
             loc["address"].get("zip")) for loc in household["householdLocations"]]),
    }


def _expected(payload: dict[str, Any]) -> dict[str, Any]:
    i = int(payload["firstName"][4:])
    member = {**payload, "household": {"name": payload["household"]["name"], "householdLocations": [
        {"address": {"number": str(i + 1), "street": "Crash", "tag": "St", "zip": "65806"}}]}}
    return _as_held(member)


def _burst(server: LiveServer, district: LiveDistrict, round_no: int
           ) -> tuple[dict[str, dict[str, Any]], set[str], list[str]]:
    """Creates from several threads until the server is killed: (payloads sent, numbers acknowledged, failures)."""
    sent: dict[str, dict[str, Any]] = {}
    acked: set[str] = set()
    failures: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def client(tid: int) -> None:
        with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=30) as http:
            for n in range(10_000):
                i = round_no * 100_000 + tid * 10_000 + n
                number = f"K{i:06d}"
                payload = crash_payload(number, i)
                with lock:
                    sent[number] = payload
                try:
                    response = http.post("/staffMembers", json=payload)
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code != 201:
                    failures.append(f"{number}: {response.status_code} {response.text[:300]}")
                    enough.set()
                    return
                with lock:
                    acked.add(number)
                    if len(acked) >= KILL_AFTER_ACKS:
                        enough.set()

    threads = [threading.Thread(target=client, args=(t,)) for t in range(BURST_THREADS)]
    for thread in threads:
        thread.start()
    assert enough.wait(120), "the burst did not get going"
    server.kill()
    for thread in threads:
        thread.join(60)
    return sent, acked, failures


@pytest.mark.slow
def test_kill_9_during_create_burst_leaves_only_complete_staff_and_keeps_every_acknowledged_one(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    server = live_server(live_db_url)
    district = new_live_district(server.url)
    sent: dict[str, dict[str, Any]] = {}
    acked: set[str] = set()
    for round_no in range(KILL_ROUNDS):
        if round_no:
            server.start()
        round_sent, round_acked, failures = _burst(server, district, round_no)
        assert not failures, failures
        sent.update(round_sent)
        acked |= round_acked
        with engine_for(live_db_url) as engine, engine.connect() as conn:
            assert integrity_problems(conn) == []
    server.start()
    with engine_for(live_db_url) as engine, engine.connect() as conn:
        did = district_id_of(conn, district.app_name)
        rows = conn.execute(text("SELECT staff_number, count(*) FROM person WHERE district_id = :d "
                                 "AND staff_number LIKE 'K%' GROUP BY staff_number"), {"d": did}).all()
        present = {number for number, _ in rows}
        assert all(count == 1 for _, count in rows), "a staff number created twice"
        titles = set(conn.execute(text("SELECT title_code FROM title WHERE district_id = :d "
                                       "AND title_code LIKE 'TK%'"), {"d": did}).scalars())
        streets = conn.execute(text("SELECT count(*) FROM address WHERE district_id = :d AND street = 'Crash'"),
                               {"d": did}).scalar_one()
        identities = identities_by_person(conn, did)
        person_of: dict[str, int] = dict(conn.execute(text("SELECT staff_number, id FROM person WHERE district_id = :d "
                                           "AND staff_number LIKE 'K%'"), {"d": did}).all())
    print(f"\ncrash burst, {KILL_ROUNDS} kills: {len(acked)} creates acknowledged, {len(present)} present, "
          f"{len(sent) - len(present)} in flight and lost at the kill")
    assert acked <= present, f"acknowledged but lost: {sorted(acked - present)[:10]}"
    assert present <= set(sent)
    assert titles == {f"T{n}" for n in present}, "a title created without its staff member, or the reverse"
    assert streets == len(present), "an address created without its staff member, or the reverse"
    for number in present:
        assert identity_problems(identities[person_of[number]]) == [], number
    with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=30) as http:
        for number in sorted(present):
            member = http.get(f"/staffMembers/{number}")
            assert member.status_code == 200, member.text
            assert _as_held(member.json()) == _expected(sent[number]), number
        # The restarted server takes writes again.
        assert http.post("/staffMembers", json=crash_payload("K999999", 999_999)).status_code == 201


# --- the 5,000-staff commit job -----------------------------------------------------------------------------


def _sync_member(i: int) -> dict[str, Any]:
    return staff_payload(f"J{i:05d}", lastName=f"Sync{i}", firstName="Job", ssn=f"{800000000 + i:09d}",
                         household={"householdLocations": [{"address": {
                             "fullStreetAddress": f"{i + 1} Commit Road", "city": "Springfield", "state": "MO",
                             "zip": "65806"}}]})


def _job(http: httpx.Client) -> dict[str, Any]:
    response = http.get("/staffMembers/sync/commitJobStatus")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _wait_for(http: httpx.Client, done: Callable[[dict[str, Any]], bool], timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = _job(http)
        if done(job):
            return job
        assert job["status"] in ("QUEUED", "RUNNING"), job
        assert time.monotonic() < deadline, f"job did not get there in {timeout}s: {job}"
        time.sleep(0.1)


def _commit_state(live_db_url: str, app_name: str) -> dict[str, Any]:
    """What the database says about the commit: staging outcomes and the staff of the batch, counted per part."""
    with engine_for(live_db_url) as engine, engine.connect() as conn:
        did = district_id_of(conn, app_name)
        outcomes: dict[str, int] = dict(conn.execute(text(
            "SELECT coalesce(outcome, 'pending'), count(*) FROM sync_staging_row WHERE district_id = :d "
            "GROUP BY outcome"), {"d": did}).all())
        pending = set(conn.execute(text(
            "SELECT staff_number FROM sync_staging_row WHERE district_id = :d AND outcome IS NULL"),
            {"d": did}).scalars())
        parts = conn.execute(text(
            "SELECT p.staff_number, "
            " (SELECT count(*) FROM identity i WHERE i.person_id = p.id), "
            " (SELECT count(*) FROM identity i WHERE i.person_id = p.id AND i.is_current), "
            " (SELECT count(*) FROM employment e WHERE e.person_id = p.id), "
            " (SELECT count(*) FROM district_assignment a WHERE a.person_id = p.id), "
            " (SELECT count(*) FROM household_member m JOIN household_location l "
            "    ON l.household_id = m.household_id WHERE m.person_id = p.id) "
            "FROM person p WHERE p.district_id = :d AND p.staff_number LIKE 'J%'"), {"d": did}).all()
        addresses = conn.execute(text("SELECT count(*) FROM address WHERE district_id = :d AND street = 'Commit'"),
                                 {"d": did}).scalar_one()
        problems = integrity_problems(conn)
    return {"outcomes": outcomes, "pending": pending, "parts": parts, "addresses": addresses,
            "problems": problems}


def _assert_no_half_written_staff(state: dict[str, Any]) -> None:
    numbers = [row[0] for row in state["parts"]]
    assert len(numbers) == len(set(numbers)), "a staff number committed twice"
    half = [row for row in state["parts"] if tuple(row[1:]) != (1, 1, 1, 1, 1)]
    assert not half, f"half-written staff (identities, current, employments, positions, locations): {half[:5]}"
    assert not set(numbers) & state["pending"], "a staff member still pending is in Campus"
    assert state["addresses"] == len(numbers)
    assert state["problems"] == []


@pytest.mark.slow
def test_kill_9_during_5000_staff_commit_job_leaves_it_interrupted_with_truthful_counts_and_no_half_staff(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    # Paced (2 ms per staff member) so the kill and the graceful stop land mid-job on any machine.
    server = live_server(live_db_url, BOI_MOCK_JOB_PACE_MS="2")
    district = new_live_district(server.url)
    with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=300) as http:
        assert http.post("/staffMembers/sync/start").status_code == 201
        for first in range(0, SYNC_STAFF, SYNC_BATCH):
            response = http.post("/staffMembers/sync/transfer",
                                 json=[_sync_member(i) for i in range(first, first + SYNC_BATCH)])
            assert response.status_code == 200, response.text[:500]
        assert response.json()["staffTransferred"] == SYNC_STAFF
        assert http.post("/staffMembers/sync/end").status_code == 200
        assert http.post("/staffMembers/sync/validate").status_code == 200
        submitted = http.post("/staffMembers/sync/submitCommitJob")
        assert submitted.status_code == 202, submitted.text
        at_kill = _wait_for(http, lambda job: job["processed"] >= KILL_AFTER_PROCESSED)
    server.kill()
    assert at_kill["processed"] < SYNC_STAFF, "the job finished before the kill: raise SYNC_STAFF"

    server.start()
    with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=60) as http:
        # The killed server's lease runs out, then the restarted one interrupts the job (jobs/queue.py).
        job = _wait_for(http, lambda job: job["status"] != "RUNNING",
                        timeout=queue.LEASE_SECONDS + queue.RECOVER_EVERY_SECONDS + 5)
        state = _commit_state(live_db_url, district.app_name)
        print(f"\ncommit job killed at {at_kill['processed']} processed; after restart: {job['status']} "
              f"{job['processed']}/{job['total']} processed, staging {state['outcomes']}")
        assert job["status"] == "INTERRUPTED", job
        assert job["total"] == SYNC_STAFF
        committed = state["outcomes"].get("succeeded", 0)
        assert state["outcomes"].get("failed", 0) == 0
        assert job["processed"] == committed == job["succeeded"], "the job's counters disagree with the rows"
        assert job["processed"] >= at_kill["processed"]
        assert len(state["parts"]) == committed
        assert len(state["pending"]) == SYNC_STAFF - committed
        _assert_no_half_written_staff(state)
        sync = http.get("/staffMembers/sync/status").json()
        assert (sync["status"], sync["staffPending"]) == ("COMMITTING", SYNC_STAFF - committed), sync

        # Submitting again commits only what is still pending (nothing is committed twice) ...
        again = http.post("/staffMembers/sync/submitCommitJob")
        assert again.status_code == 202, again.text
        second = _wait_for(http, lambda job: job["jobID"] == again.json()["jobID"] and job["processed"] >= 50)
        assert second["total"] == SYNC_STAFF - committed
    # ... and a graceful stop (Ctrl+C) in the middle of it leaves the job INTERRUPTED as well.
    server.stop()
    server.start()
    with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=60) as http:
        job = _job(http)  # the stopping worker closed it itself: no lease to wait for
        state = _commit_state(live_db_url, district.app_name)
        assert job["status"] == "INTERRUPTED", job
        committed_now = state["outcomes"].get("succeeded", 0)
        assert committed + job["processed"] == committed_now == len(state["parts"])
        _assert_no_half_written_staff(state)
