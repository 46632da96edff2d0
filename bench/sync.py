"""Benchmark the staff synchronization (SYNC-2..7) against a real `boi-mock serve` on SQLite.

    .venv/bin/python bench/sync.py [--staff 20000] [--case both|unchanged|first] [--changed 0.05] [--new 0.02]
                                   [--no-inline] [--database-url URL]

Two cases, each on its own server and fresh database (so each peak RSS counts its district's creation):

* unchanged: a district with N Campus staff (each with an employment, a position and an own staff
  household), an HR export of N staff (`--changed` of them with differences: name, position,
  termination, address move; `--new` not in Campus). Mostly the commit's unchanged shortcut.
* first: the first synchronization, the expensive path: a district with 5 Campus staff and an HR export
  of N new, valid staff (employment, position, staff household, each at its own address), generated
  deterministically. Every one is created (`create_staff`). With `--inline` (default) the synchronous
  commit of the same export is timed too, into a second district of the same server, after the RSS reading.

Times: transfer in batches of 1000, end, validate, submitCommitJob until COMPLETED (and commit). Prints
seconds and rows/s per phase with its target and met / NOT met, the server's peak RSS (VmHWM:
district creation and the sync phases), and for the unchanged case, as a floor, the time to bulk-insert
N staff rows with one executemany into a scratch SQLite database (commit time ÷ floor).
Targets (issue 12 item 8): transfer ≥ 2,000 staff/s, validate ≤ 5 s, commit ≤ 60 s, peak RSS ≤ 500 MB
counting district creation. Exit status 1 when a commit did not complete or a staff member failed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import boi_mock, change_hr_member

BOI = "/campus/api/businessOfficeIntegration"
APP = "bench-sync"
APP_FIRST = "bench-first-sync"
FIRST_SYNC_CAMPUS = 5  # the first sync's district: a handful of Campus staff (not in HR)
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Hickory", "Sunshine", "Battlefield", "Kearney",
           "Chestnut", "Grand", "Cherry", "Division", "Glenstone", "Campbell", "National", "Republic"]
TAGS = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way"]
LAST = ["Smith", "Johnson", "Brown", "Jones", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Clark", "Hall",
        "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill"]
FIRST = ["Pat", "Sam", "Alex", "Jordan", "Casey", "Taylor", "Morgan", "Jamie", "Robin", "Drew", "Lee", "Kim"]
TARGETS = {"transfer": "≥ 2,000 staff/s", "validate": "≤ 5 s", "commit": "≤ 60 s", "rss": "≤ 500 MB"}


def reset_peak_rss(pid: int) -> bool:
    """Linux: VmHWM restarts from the current RSS (so the sync phases are measured without the setup)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the data ------------------------------------------------------------------------------------------


def _address(rng: random.Random, i: int) -> dict[str, Any]:
    return {"number": str(100 + i), "street": rng.choice(STREETS), "tag": rng.choice(TAGS), "city": "Springfield",
            "state": "MO", "zip": f"658{i % 10:02d}"}


def campus_person(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "ref": f"p{i}", "staffNumber": f"{100000 + i}", "lastName": rng.choice(LAST), "firstName": rng.choice(FIRST),
        "middleName": None, "gender": rng.choice(["F", "M"]), "birthdate": f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}",
        "ssn": f"{500000000 + i}", "workPhone": f"(417) 555-{i % 10000:04d}", "cellPhone": None, "otherPhone": None,
        "workEmail": f"staff{i}@school.k12.mo.us", "personalEmail": None,
        "employments": [{"hireDate": "2015-08-10", "terminationDate": None}],
        "positions": [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "T20", "startDate": "2015-08-10",
                       "endDate": None}],
    }


def scenario(n: int, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    persons = [campus_person(i, rng) for i in range(n)]
    homes = [_address(rng, i) for i in range(n)]
    households = [{"name": f"{p['lastName']} Household", "staffHousehold": True, "members": [p["ref"]],
                   "locations": [{"address": homes[i], "startDate": "2015-08-10"}]} for i, p in enumerate(persons)]
    doc = {"appName": APP, "schools": [{"schoolNumber": "010", "name": "Central High"}],
           "genders": [{"code": "F", "name": "Female"}, {"code": "M", "name": "Male"}],
           "assignmentCodes": [{"code": "20", "name": "Classroom Teacher"}, {"code": "95", "name": "Coach"}],
           "titles": [{"titleCode": "T20", "description": "Teacher"}, {"titleCode": "C95", "description": "Coach"}],
           "persons": persons, "households": households}
    return doc, homes


def hr_member(person: dict[str, Any], home: dict[str, Any]) -> dict[str, Any]:
    member = {k: v for k, v in person.items() if k != "ref"}
    member["lastName"] = member["lastName"].upper()  # IDENT-3: not a difference
    member["positions"] = [dict(p) for p in person["positions"]]
    member["household"] = {"name": f"{person['lastName']} Household",
                           "householdLocations": [{"address": dict(home), "startDate": "2015-08-10"}]}
    return member


def hr_export(doc: dict[str, Any], homes: list[dict[str, Any]], changed: float, new: float,
              rng: random.Random) -> list[dict[str, Any]]:
    persons = doc["persons"]
    n = len(persons)
    n_new = int(n * new)
    kept = persons[:n - n_new]  # the last n_new Campus staff are not in HR; as many new ones are
    out = [hr_member(p, homes[i]) for i, p in enumerate(kept)]
    for member in rng.sample(out, int(n * changed)):
        change_hr_member(member, rng.randrange(4), lambda: _address(rng, n + rng.randrange(10**6)),
                         last_name="CHANGED")
    for j in range(n_new):
        person = campus_person(n + j, rng)
        person["staffNumber"] = f"{900000 + j}"
        out.append(hr_member(person, _address(rng, 2 * n + j)))
    return out


# --- the floor -----------------------------------------------------------------------------------------


def floor_seconds(members: list[dict[str, Any]]) -> float:
    """One executemany of N staff rows (the identity's columns) into a scratch SQLite database."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE staff (id INTEGER PRIMARY KEY, staff_number TEXT, last_name TEXT, "
                     "first_name TEXT, gender TEXT, ssn TEXT, birthdate TEXT, work_phone TEXT, work_email TEXT)")
        rows = [(m["staffNumber"], m["lastName"], m["firstName"], m["gender"], m["ssn"], m["birthdate"],
                 m["workPhone"], m["workEmail"]) for m in members]
        started = time.perf_counter()
        conn.executemany("INSERT INTO staff (staff_number, last_name, first_name, gender, ssn, birthdate, "
                         "work_phone, work_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.close()
        return seconds


# --- the run -------------------------------------------------------------------------------------------


def _check(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.request.url.path} → {response.status_code}: "
                         f"{response.text[:2000]}")
    return response.json()


def first_sync_data(n: int, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A district with a handful of Campus staff, and an HR export of N new valid staff (address each)."""
    doc, _homes = scenario(FIRST_SYNC_CAMPUS, rng)
    doc["appName"] = APP_FIRST
    members = []
    for j in range(n):
        person = campus_person(j, rng)
        person["staffNumber"] = f"{700000 + j}"
        person["ssn"] = f"{600000000 + j}"
        members.append(hr_member(person, _address(rng, 50_000 + j)))
    return doc, members


def _poll_job(client: httpx.Client) -> dict[str, Any]:
    while True:
        job: dict[str, Any] = _check(client.get(f"{BOI}/staffMembers/sync/commitJobStatus"), 200)
        if job["status"] not in ("QUEUED", "RUNNING"):
            return job
        time.sleep(0.2)


def _sync(client: httpx.Client, creds: dict[str, Any], app: str, members: list[dict[str, Any]], *,
          inline: bool) -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    """The five steps; seconds per phase, the report's summary, and the job (or the commit's counts)."""
    token = _check(client.post(f"/campus/oauth2/token?appName={app}", data={
        "grant_type": "client_credentials", "client_id": creds["clientId"],
        "client_secret": creds["clientSecret"]}), 200)["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    seconds: dict[str, float] = {}
    _check(client.post(f"{BOI}/staffMembers/sync/start", headers=headers), 201)
    started = time.perf_counter()
    for i in range(0, len(members), 1000):
        _check(client.post(f"{BOI}/staffMembers/sync/transfer", json=members[i:i + 1000], headers=headers), 200)
    seconds["transfer"] = time.perf_counter() - started
    _check(client.post(f"{BOI}/staffMembers/sync/end", headers=headers), 200)
    started = time.perf_counter()
    report = _check(client.post(f"{BOI}/staffMembers/sync/validate", headers=headers), 200)
    seconds["validate"] = time.perf_counter() - started
    started = time.perf_counter()
    if inline:
        body = _check(client.post(f"{BOI}/staffMembers/sync/commit", headers=headers), 200)
        seconds["commit (synchronous)"] = time.perf_counter() - started
        job = {"status": "COMMITTED", "processed": len(body["succeeded"]) + len(body["failed"]),
               "succeeded": len(body["succeeded"]), "failed": len(body["failed"])}
    else:
        _check(client.post(f"{BOI}/staffMembers/sync/submitCommitJob", headers=headers), 202)
        client.headers.update(headers)
        job = _poll_job(client)
        seconds["commit (job)"] = time.perf_counter() - started
    return seconds, report["summary"], job


def _target(phase: str, seconds: float, rows: int) -> tuple[str, bool]:
    if phase == "transfer":
        return TARGETS["transfer"], rows / seconds >= 2000
    if phase == "validate":
        return TARGETS["validate"], seconds <= 5
    return TARGETS["commit"], seconds <= 60


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def run_case(case: str, args: argparse.Namespace) -> bool:
    """One case on its own server (so its peak RSS counts district creation and nothing else)."""
    rng = random.Random(7634)
    if case == "first":
        doc, members = first_sync_data(args.staff, rng)
        title = (f"first sync: {len(doc['persons'])} Campus staff, {len(members)} HR staff, all new "
                 "(each with employment, position, staff household and its own address)")
    else:
        doc, homes = scenario(args.staff, rng)
        members = hr_export(doc, homes, args.changed, args.new, rng)
        title = (f"staff sync bench: {args.staff} Campus staff, {len(members)} HR staff "
                 f"({args.changed:.0%} changed, {args.new:.0%} new)")
    ok = True  # the sync ran as it should (every staff member succeeded); targets are reported, not asserted
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench-sync.db"
        backend = url.split(":", 1)[0].split("+", 1)[0]
        with boi_mock(url, Path(tmp), timeout=120, BOI_MOCK_WORKER_POLL_SECONDS="0.2") as srv, \
                httpx.Client(base_url=srv.url, timeout=3600) as client:
            pid = srv.proc.pid
            started = time.perf_counter()
            creds = _check(client.post("/_mock/districts", json=doc), 201)
            setup = time.perf_counter() - started
            setup_rss = peak_rss_mb(pid)
            rss_reset = reset_peak_rss(pid)
            seconds, summary, job = _sync(client, creds, doc["appName"], members, inline=False)
            sync_rss = peak_rss_mb(pid)
            inline: dict[str, float] = {}
            if case == "first" and args.inline:
                # The synchronous commit of the same export, into a second district of the same server
                # (after the RSS reading: the figures above are the job's).
                second = dict(doc, appName=APP_FIRST + "-inline")
                creds2 = _check(client.post("/_mock/districts", json=second), 201)
                client.headers.pop("Authorization", None)
                inline, _s, inline_job = _sync(client, creds2, second["appName"], members, inline=True)
                ok = ok and inline_job["failed"] == 0
    peak = max(setup_rss, sync_rss) if rss_reset else sync_rss
    print(f"\n== {case}: {title}, {backend}")
    print(f"setup: district with {len(doc['persons'])} Campus staff created in {setup:.1f}s "
          f"(server peak RSS {setup_rss:.0f} MB)")
    print(f"{'phase':<22}{'seconds':>10}{'rows/s':>12}   {'target':<18}")
    for phase, value in {**seconds, **inline}.items():
        goal, met = _target(phase.split(" ")[0], value, len(members))
        print(f"{phase:<22}{value:>10.2f}{len(members) / value:>12,.0f}   {goal:<18}{_met(met)}")
    print(f"{'peak RSS':<22}{peak:>10.0f} MB{'':>9}{TARGETS['rss']:<18}{_met(peak <= 500)} "
          f"(district creation {setup_rss:.0f} MB, sync phases "
          f"{sync_rss:.0f} MB{'' if rss_reset else ', VmHWM not resettable: whole run'})")
    if case != "first":
        floor = floor_seconds(members)
        commit = seconds["commit (job)"]
        print(f"floor: one executemany of {len(members)} staff rows into scratch SQLite: {floor:.3f}s; "
              f"commit ÷ floor = {commit / floor:,.0f} times")
    print(f"job: {job['status']} processed {job['processed']} succeeded {job['succeeded']} failed {job['failed']}")
    print("report summary:", {k: v for k, v in summary.items() if k != "demographicDifferences"},
          "demographic", summary["demographicDifferences"]["total"], flush=True)
    return ok and job["status"] == "COMPLETED" and job["failed"] == 0


def run(args: argparse.Namespace) -> int:
    cases = ["unchanged", "first"] if args.case == "both" else [args.case]
    results = [run_case(case, args) for case in cases]
    return 0 if all(results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument("--changed", type=float, default=0.05)
    parser.add_argument("--new", type=float, default=0.02)
    parser.add_argument("--case", choices=["both", "unchanged", "first"], default="both",
                        help="unchanged: N Campus staff, mostly unchanged in HR; first: N HR staff, all new")
    parser.add_argument("--inline", action=argparse.BooleanOptionalAction, default=True,
                        help="first sync: also time the synchronous commit (a second district)")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
