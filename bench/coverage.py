"""What contract coverage (MOCK-11) costs a BOI call, in process CPU time (stable on a shared machine).

    PYTHONPATH=src .venv/bin/python bench/coverage.py [--calls 300] [--rounds 5] [--counting-only]

1. Counting alone, no database: `domain.coverage.facts_of` + `observe` for three typical records (a
   201 create with positions, a 400 with field errors, a 200 read), the best of `rounds` in µs per call;
   then the counters' upsert alone (`repositories.coverage.add_hits`, 6 counters, SQLite).
2. The hot path: `calls` POST /staffMembers (201, each commits its journal entry and, since MOCK-11, its
   counters in the same transaction) then `calls` GET /schools (journalled by the writer, batched), through
   the in-process app (Starlette's TestClient) on a fresh SQLite file; CPU ms per call, median of the rounds.
`--without-coverage` runs step 2 with the counting switched off in the same tree (the A/B of MOCK-11's cost
alone); or point PYTHONPATH at another checkout's src/ to compare two commits. It asserts no timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from boi_mock.main import create_app
from boi_mock.settings import Settings

BOI = "/campus/api/businessOfficeIntegration"
MEMBER = {"staffNumber": "1", "lastName": "Simpson", "firstName": "Pat", "gender": "F", "ssn": "123-45-6789",
          "employments": [{"hireDate": "2020-08-01"}],
          "positions": [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262",
                         "startDate": "2023-10-01"}]}


def counting(rounds: int, n: int = 2000) -> None:
    try:
        from boi_mock.domain import coverage
    except ImportError:
        print("counting: this tree has no boi_mock.domain.coverage (before MOCK-11)")
        return
    problem = json.dumps({"code": "invalid_request", "errors": [
        {"field": "positions[0].schoolNumber", "code": "unknown_school"}, {"field": "ssn", "code": "invalid_value"}]})
    records: dict[str, dict[str, Any]] = {
        "201 create": {"method": "POST", "path": BOI + "/staffMembers", "status": 201,
                       "rules": ["STAFF-5", "EMP-1"], "error_code": None,
                       "request_body": json.dumps(MEMBER).encode(), "response_body": json.dumps(MEMBER).encode()},
        "400 field errors": {"method": "POST", "path": BOI + "/staffMembers", "status": 400, "rules": [],
                             "error_code": "invalid_request", "request_body": json.dumps(MEMBER).encode(),
                             "response_body": problem.encode()},
        "200 read": {"method": "GET", "path": BOI + "/staffMembers/10058", "status": 200, "rules": [],
                     "error_code": None, "request_body": b"", "response_body": json.dumps(MEMBER).encode()},
    }
    for name, record in records.items():
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(n):
                coverage.observe(coverage.facts_of(**record))
            best = min(best, time.process_time() - started)
        print(f"counting, {name:<17} best {best / n * 1e6:7.1f} us CPU per call")


def upsert(rounds: int, n: int = 500) -> None:
    """The counters' statement alone: 6 counters of one call (a 201 create), committed with nothing else."""
    from collections import Counter

    from boi_mock.db import Database
    from boi_mock.repositories import coverage as repo
    from boi_mock.schemas.scenario import Scenario
    from boi_mock.services import districts

    minimal = json.loads(resources.files("boi_mock.seed").joinpath("minimal.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        with TestClient(create_app(Settings(database_url=url, seed_on_start=False, run_worker=False))):
            pass  # migrated
        db = Database(url)
        with db.unit_of_work() as session:
            district_id = districts.create(session, Scenario.model_validate(minimal)).id
        keys = [("rule", "STAFF-5", 0), ("rule", "EMP-1", 0), ("op", "POST /staffMembers", 201),
                ("rule", "POS-4", 0), ("rule", "STAFF-1", 0), ("code", "staff_exists", 0)]
        hits = Counter({(district_id, kind, key, status): 1 for kind, key, status in keys})
        best = float("inf")
        for _ in range(rounds):
            with db.unit_of_work() as session:
                started = time.process_time()
                for _ in range(n):
                    repo.add_hits(session, hits)
                best = min(best, time.process_time() - started)
        db.dispose()
    print(f"upsert of 6 counters (SQLite, in a transaction): best {best / n * 1e6:7.1f} us CPU per call")


def hot_path(calls: int, rounds: int) -> None:
    minimal = json.loads(resources.files("boi_mock.seed").joinpath("minimal.json").read_text(encoding="utf-8"))
    creates: list[float] = []
    reads: list[float] = []
    for round_ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(database_url=f"sqlite:///{Path(folder) / 'bench.db'}", seed_on_start=False,
                                run_worker=False)
            with TestClient(create_app(settings)) as client:
                created = client.post("/_mock/districts", json={**minimal, "appName": f"bench-{round_}"}).json()
                token = client.post(f"/campus/oauth2/token?appName={created['appName']}", data={
                    "grant_type": "client_credentials", "client_id": created["clientId"],
                    "client_secret": created["clientSecret"]}).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                started = time.process_time()
                for i in range(calls):
                    answer = client.post(f"{BOI}/staffMembers", json={**MEMBER, "staffNumber": f"9{i:05d}"},
                                         headers=headers)
                    assert answer.status_code == 201, answer.text
                creates.append((time.process_time() - started) / calls)
                started = time.process_time()
                for _ in range(calls):
                    assert client.get(f"{BOI}/schools", headers=headers).status_code == 200
                client.get(f"/_mock/districts/{created['appName']}/requests", params={"limit": 1})  # settle the writer
                reads.append((time.process_time() - started) / calls)
    print(f"POST /staffMembers (201): median {statistics.median(creates) * 1000:.3f} ms CPU per call "
          f"(rounds: {', '.join(f'{c * 1000:.3f}' for c in creates)})")
    print(f"GET /schools + its batched entry: median {statistics.median(reads) * 1000:.3f} ms CPU per call "
          f"(rounds: {', '.join(f'{r * 1000:.3f}' for r in reads)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--counting-only", action="store_true")
    parser.add_argument("--without-coverage", action="store_true",
                        help="the same tree with the counting switched off: an A/B of MOCK-11's cost alone")
    args = parser.parse_args()
    if args.without_coverage:
        from boi_mock.repositories import coverage as coverage_repo
        from boi_mock.services import observability

        observability.count_coverage = lambda *_args: None
        coverage_repo.add_hits = lambda *_args: None
    counting(args.rounds)
    if not args.without_coverage:
        upsert(args.rounds)
    if not args.counting_only:
        hot_path(args.calls, args.rounds)


if __name__ == "__main__":
    main()
