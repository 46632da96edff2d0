"""How boi-mock's costs grow with the district: 1k, 10k and 100k Campus persons.

    .venv/bin/python bench/scale.py [--sizes 1000 10000 100000] [--hr 1000] [--creates 200] [--json FILE]

For each size a fresh SQLite database gets one district, built in-process by the scenario loader
(`boi_mock.services.districts.create`, the code behind POST /_mock/districts, which takes bodies of at
most 5 MB), then `boi-mock serve` is started on it and these are timed over HTTP:

  cold start      serve process start → first healthy answer, on that database
  staff create    --creates sequential POST /staffMembers (full record + household at a new address)
  staff read      GET /staffMembers/{n} of existing staff
  name search     GET /staffMembers?lastName=…&firstName=… (STAFF-3); the largest size ÷ the smallest is
                  printed against its target (≤ 1.5x)
  sync            start, transfer --hr HR staff (batches of 1000), end, validate (SYNC-1..4);
                  --validations rounds (start discards the previous round), medians shown

District make-up (staff are persons with a staff number, an employment, a position and an own staff
household): staff = max(--hr, --staff-share x persons), the rest are students and parents in family
households of three. The HR export is the same at every size: --hr of the district's staff, 5% of
them with a difference (name, new position, termination, address move), so what grows is Campus
alone. Latencies are single-client (one request at a time); the ratios compare each size with the
smallest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import (
    BOI,
    Server,
    boi_mock,
    change_hr_member,
    district_token,
    exit_on_sigterm,
    median,
    note,
    percentile,
    rss_mb,
    write_json,
)

from boi_mock import migrate
from boi_mock.db import Database
from boi_mock.schemas.scenario import Scenario
from boi_mock.services import districts

APP = "scale"
SECRET = "sCaLe0000000000000000000000000000000000001"
LAST = ["Smith", "Johnson", "Brown", "Jones", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Clark", "Hall",
        "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Garcia", "Lopez"]
FIRST = ["Pat", "Sam", "Alex", "Jordan", "Casey", "Taylor", "Morgan", "Jamie", "Robin", "Drew", "Lee", "Kim"]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Hickory", "Sunshine", "Battlefield", "Kearney",
           "Chestnut", "Grand", "Cherry", "Division", "Glenstone", "Campbell", "National", "Republic"]
TAGS = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way"]
SCHOOLS = [{"schoolNumber": f"{10 * (k + 1):03d}", "name": f"School {k + 1}"} for k in range(12)]
CHANGE_EVERY = 20  # 5% of the HR staff differ from Campus
SEARCH_TARGET = 1.5  # issue 12: the name search at 100k persons within 1.5x of 1k


def address(n: int) -> dict[str, Any]:
    """A distinct street address for every n (house number n, street and suffix from n)."""
    return {"number": str(100 + n), "street": STREETS[n % len(STREETS)],
            "tag": TAGS[(n // len(STREETS)) % len(TAGS)], "city": "Springfield", "state": "MO",
            "zip": f"658{n % 10:02d}"}


def staff_person(i: int) -> dict[str, Any]:
    return {
        "ref": f"s{i}", "staffNumber": f"S{i:06d}", "lastName": LAST[i % len(LAST)],
        "firstName": FIRST[(i // len(LAST)) % len(FIRST)], "gender": "FM"[i % 2],
        "birthdate": f"19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}", "ssn": f"{500000000 + i}",
        "workPhone": f"(417) 555-{i % 10000:04d}", "workEmail": f"s{i}@school.k12.mo.us",
        "employments": [{"hireDate": "2015-08-10", "terminationDate": None}],
        "positions": [{"schoolNumber": SCHOOLS[i % len(SCHOOLS)]["schoolNumber"], "assignmentCode": "20",
                       "titleCode": "T20", "startDate": "2015-08-10", "endDate": None}],
    }


def scenario(persons: int, hr: int, staff_share: float) -> dict[str, Any]:
    n_staff = min(persons, max(hr, int(persons * staff_share)))
    people = [staff_person(i) for i in range(n_staff)]
    households: list[dict[str, Any]] = [
        {"name": f"{p['lastName']} Household", "staffHousehold": True, "members": [p["ref"]],
         "locations": [{"address": address(i), "startDate": "2015-08-10"}]} for i, p in enumerate(people)]
    others = persons - n_staff
    for k in range(0, others, 3):
        members = [f"o{j}" for j in range(k, min(others, k + 3))]
        last = LAST[(k // 3) % len(LAST)]
        people.extend({"ref": ref, "lastName": last, "firstName": FIRST[(k + j) % len(FIRST)],
                       "birthdate": f"20{10 + (k + j) % 10}-0{1 + j}-15"} for j, ref in enumerate(members))
        households.append({"name": f"{last} Household", "members": members,
                           "locations": [{"address": address(200_000 + k // 3), "startDate": "2010-01-01"}]})
    return {
        "appName": APP, "clientId": "scale", "clientSecret": SECRET, "today": "2026-01-15",
        "schools": SCHOOLS, "genders": [{"code": "F", "name": "Female"}, {"code": "M", "name": "Male"}],
        "assignmentCodes": [{"code": "20", "name": "Classroom Teacher"}, {"code": "95", "name": "Coach"}],
        "titles": [{"titleCode": "T20", "description": "Teacher"}, {"titleCode": "C95", "description": "Coach"}],
        "persons": people, "households": households,
    }


def hr_member(i: int) -> dict[str, Any]:
    """Campus staff member i as the HR system sends it (identical unless i is one of the changed 5%)."""
    member = {k: v for k, v in staff_person(i).items() if k != "ref"}
    member["household"] = {"name": f"{member['lastName']} Household",
                           "householdLocations": [{"address": address(i), "startDate": "2015-08-10"}]}
    if i % CHANGE_EVERY == 0:
        change_hr_member(member, (i // CHANGE_EVERY) % 4, lambda: address(400_000 + i), last_name="Changed")
    return member


def new_staff_body(i: int) -> dict[str, Any]:
    body = staff_person(900_000 + i)
    del body["ref"]
    body["staffNumber"] = f"C{i:06d}"
    body["household"] = {"householdLocations": [{"address": address(600_000 + i)}]}
    return body


def build(url: str, doc: dict[str, Any]) -> float:
    began = time.perf_counter()
    migrate.upgrade(url)
    db = Database(url)
    try:
        with db.unit_of_work() as session:
            districts.create(session, Scenario.model_validate(doc))
    finally:
        db.dispose()
    return time.perf_counter() - began


def timed(samples: list[float], response: httpx.Response, began: float, expect: int) -> None:
    samples.append(time.perf_counter() - began)
    if response.status_code != expect:
        raise RuntimeError(f"{response.request.method} {response.request.url.path} → {response.status_code}: "
                           f"{response.text[:1000]}")


def stats(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(samples, 50) * 1000, "p99_ms": percentile(samples, 99) * 1000,
            "n": len(samples)}


@dataclass
class Subject:
    """One district size: its database, its server and client once started, and its figures."""

    persons: int
    staff: int
    url: str
    figures: dict[str, Any]
    http: httpx.Client | None = None
    server: Server | None = None
    samples: dict[str, list[float]] = field(default_factory=lambda: {"create": [], "read": [], "search": [],
                                                                     "transfer": [], "validate": []})

    @property
    def client(self) -> httpx.Client:
        assert self.http is not None
        return self.http


def prepare(persons: int, args: argparse.Namespace, tmp: Path) -> Subject:
    note(f"scale: {persons:,} persons: generating and building the district")
    doc = scenario(persons, args.hr, args.staff_share)
    n_staff = sum(1 for p in doc["persons"] if p.get("staffNumber"))
    db_path = tmp / f"scale-{persons}.db"
    url = f"sqlite:///{db_path}"
    build_s = build(url, doc)
    note(f"scale: {persons:,} persons ({n_staff:,} staff) built in {build_s:.1f}s")
    return Subject(persons, n_staff, url, {"persons": persons, "staff": n_staff, "build_s": build_s,
                                           "db_mb": db_path.stat().st_size / 2**20})


def interleaved(subjects: list[Subject], count: int, send: Callable[[Subject, int], None], batch: int = 10) -> None:
    """`count` operations per subject, the sizes taking turns in batches (machine load hits all alike)."""
    for start in range(0, count, batch):
        for subject in subjects:
            for i in range(start, min(count, start + batch)):
                send(subject, i)


def create(subject: Subject, i: int) -> None:
    began = time.perf_counter()
    timed(subject.samples["create"], subject.client.post(f"{BOI}/staffMembers", json=new_staff_body(i)), began, 201)


def read_and_search(subject: Subject, i: int, reads: int) -> None:
    p = staff_person((i * max(1, subject.staff // reads)) % subject.staff)
    began = time.perf_counter()
    timed(subject.samples["read"], subject.client.get(f"{BOI}/staffMembers/{p['staffNumber']}"), began, 200)
    began = time.perf_counter()
    response = subject.client.get(f"{BOI}/staffMembers", params={"lastName": p["lastName"],
                                                                 "firstName": p["firstName"], "limit": 10})
    timed(subject.samples["search"], response, began, 200)


def sync_round(subject: Subject, hr: int) -> None:
    """SYNC-1..4 once: start (discarding the previous run's staging), transfer, end, validate."""
    http, sync = subject.client, f"{BOI}/staffMembers/sync"
    members = [hr_member(i) for i in range(min(hr, subject.staff))]
    http.post(f"{sync}/start").raise_for_status()
    began = time.perf_counter()
    for k in range(0, len(members), 1000):
        timed([], http.post(f"{sync}/transfer", json=members[k:k + 1000]), began, 200)
    subject.samples["transfer"].append(time.perf_counter() - began)
    subject.figures["hr_staff"] = len(members)
    http.post(f"{sync}/end").raise_for_status()
    began = time.perf_counter()
    response = http.post(f"{sync}/validate")
    timed(subject.samples["validate"], response, began, 200)
    subject.figures["report_kb"] = len(response.content) / 1024
    summary = response.json()["summary"]
    subject.figures["report"] = {k: (v["total"] if isinstance(v, dict) else v) for k, v in summary.items()}


def measure(subjects: list[Subject], args: argparse.Namespace, tmp: Path) -> None:
    with ExitStack() as stack:
        for subject in subjects:
            note(f"scale: {subject.persons:,} persons: starting boi-mock serve")
            subject.server = stack.enter_context(boi_mock(subject.url, tmp))
            subject.http = stack.enter_context(httpx.Client(base_url=subject.server.url, timeout=600))
            subject.figures["cold_start_s"] = subject.server.started_in
            subject.http.headers["Authorization"] = "Bearer " + district_token(
                subject.http, {"appName": APP, "clientId": "scale", "clientSecret": SECRET})
        note("scale: staff create / read / search (sizes interleaved)")
        interleaved(subjects, 10, create)  # warm-up: connections, caches; not counted
        interleaved(subjects, 10, lambda s, i: read_and_search(s, i, args.reads))
        for subject in subjects:
            for samples in subject.samples.values():
                samples.clear()
        interleaved(subjects, args.creates, lambda s, i: create(s, 10 + i))
        interleaved(subjects, args.reads, lambda s, i: read_and_search(s, i, args.reads))
        note(f"scale: sync: {args.validations} rounds of start, transfer {args.hr:,} HR staff, end, validate "
             "(sizes interleaved)")
        interleaved(subjects, args.validations, lambda s, _i: sync_round(s, args.hr), batch=1)
        for subject in subjects:
            f = subject.figures
            f.update(create=stats(subject.samples["create"]), read=stats(subject.samples["read"]),
                     search=stats(subject.samples["search"]), validate_s=median(subject.samples["validate"]),
                     validate_runs_s=subject.samples["validate"], transfer_s=median(subject.samples["transfer"]))
            assert subject.server is not None
            f["peak_rss_mb"] = rss_mb(subject.server.proc.pid, "VmHWM")


def ratios(results: list[dict[str, Any]]) -> list[dict[str, float]]:
    base = results[0]
    out = []
    for r in results:
        out.append({
            "persons": r["persons"], "size_ratio": r["persons"] / base["persons"],
            "create_p50": r["create"]["p50_ms"] / base["create"]["p50_ms"],
            "read_p50": r["read"]["p50_ms"] / base["read"]["p50_ms"],
            "search_p50": r["search"]["p50_ms"] / base["search"]["p50_ms"],
            "transfer": r["transfer_s"] / base["transfer_s"],
            "validate": r["validate_s"] / base["validate_s"],
            "cold_start": r["cold_start_s"] / base["cold_start_s"],
        })
    return out


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"\nscale: latencies single-client; sync of {results[0]['hr_staff']:,} HR staff; ratios vs the smallest")
    print(f"{'persons':>9}{'staff':>8}{'build s':>9}{'start s':>9}{'create p50/p99 ms':>19}{'read p50':>10}"
          f"{'search p50':>12}{'transfer s':>12}{'validate s':>12}{'RSS MB':>8}")
    for r in results:
        create = f"{r['create']['p50_ms']:.1f} / {r['create']['p99_ms']:.1f}"
        print(f"{r['persons']:>9,}{r['staff']:>8,}{r['build_s']:>9.1f}{r['cold_start_s']:>9.2f}{create:>19}"
              f"{r['read']['p50_ms']:>10.1f}{r['search']['p50_ms']:>12.1f}{r['transfer_s']:>12.2f}"
              f"{r['validate_s']:>12.2f}{r['peak_rss_mb']:>8.0f}")
    for q in ratios(results)[1:]:
        print(f"{q['persons']:>9,} ({q['size_ratio']:.0f}x persons): create {q['create_p50']:.2f}x, "
              f"read {q['read_p50']:.2f}x, search {q['search_p50']:.2f}x, transfer {q['transfer']:.2f}x, "
              f"validate {q['validate']:.2f}x, cold start {q['cold_start']:.2f}x")
    if len(results) > 1:
        base, top, q = results[0], results[-1], ratios(results)[-1]
        verdict = "met" if q["search_p50"] <= SEARCH_TARGET else "NOT met"
        print(f"name search (STAFF-3) p50, {top['persons']:,} ÷ {base['persons']:,} persons: "
              f"{top['search']['p50_ms']:.1f} ms ÷ {base['search']['p50_ms']:.1f} ms = {q['search_p50']:.2f}x "
              f"(target ≤ {SEARCH_TARGET}x: {verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--hr", type=int, default=1000, help="HR staff transferred for validate")
    parser.add_argument("--staff-share", type=float, default=0.1)
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--reads", type=int, default=100, help="staff reads and name searches per size")
    parser.add_argument("--validations", type=int, default=3,
                        help="sync rounds (start, transfer, end, validate) per size; medians are shown")
    parser.add_argument("--json", default=None, help="write the figures as JSON to FILE ('-': stdout)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    failure: str | None = None
    began = time.perf_counter()
    subjects: list[Subject] = []
    with tempfile.TemporaryDirectory(prefix="boi-scale-") as tmp:
        for size in sorted(args.sizes):
            try:
                subjects.append(prepare(size, args, Path(tmp)))
            except Exception as exc:  # report the largest size that could be built, and why the next could not
                failure = f"building {size:,} persons: {type(exc).__name__}: {str(exc)[-1500:]}"
                note(f"scale: {failure}")
                break
        try:
            measure(subjects, args, Path(tmp))
        except Exception as exc:
            failure = f"measuring: {type(exc).__name__}: {str(exc)[-1500:]}"
            note(f"scale: {failure}")
    results = [s.figures for s in subjects if "validate_s" in s.figures]
    if results:
        print_table(results)
    if failure:
        print(f"largest size measured: {results[-1]['persons'] if results else 0:,} persons; failure: {failure}")
    write_json(args.json, {"hr": args.hr, "staff_share": args.staff_share, "creates": args.creates,
                           "reads": args.reads, "validations": args.validations, "results": results,
                           "ratios": ratios(results) if results else [],
                           "failure": failure, "total_s": time.perf_counter() - began})
    return 1 if failure else 0


if __name__ == "__main__":
    raise SystemExit(main())
