"""The staff member read path in one process (no server, no network): GET /staffMembers pages and single reads.

    PYTHONPATH=src .venv/bin/python bench/staff_read_inprocess.py [--rounds 15] [--limit 1000] [--shapes-only]

Loads the demo district (boi_mock/seed/demo-7634-MO.json, 3,000 persons) into a fresh SQLite file through
the in-process app (Starlette's TestClient), then times, per round, one GET /staffMembers?limit=N (N staff
member objects built from the read model) and 200 GET /staffMembers/{n}. Prints the median and best round.
First, without a database: the read model's rows turned into staff member objects (`repositories.staff
.MemberRow` from a row, `services.staff_read.member_out`), 1,000 at a time, the best of 60 rounds in process CPU
time (the part of a read the demographic field table changed; CPU time, so it is stable on a shared machine).
Runs against any tree whose API it calls (point PYTHONPATH at another checkout's src/ to compare two
commits in the same run); it asserts no timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from boi_mock.main import create_app
from boi_mock.settings import Settings

BOI = "/campus/api/businessOfficeIntegration"


def shapes(n: int = 1000, rounds: int = 60) -> None:
    from boi_mock.repositories import staff as repo
    from boi_mock.services import staff_read

    row = (7, "10058", "Brown", "Allison", "Jo", "F", "401558812", date(1979, 12, 26), "5551230001", None, None,
           "abrown@school.k12.mo.us", None)
    of: Callable[[tuple[Any, ...]], Any] = getattr(repo.MemberRow, "of", None) or (lambda r: repo.MemberRow(*r))
    employments = [repo.EmploymentRow(date(2020, 8, 1), None)]
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            staff_read.member_out(of(row), employments, [], None)
        best = min(best, time.process_time() - started)
    print(f"{n} read-model rows -> StaffMemberOut: best {best * 1000:.2f} ms CPU ({best / n * 1e6:.1f} us each)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--shapes-only", action="store_true")
    args = parser.parse_args()
    shapes()
    if args.shapes_only:
        return
    scenario = json.loads(resources.files("boi_mock").joinpath("seed/demo-7634-MO.json").read_text("utf-8"))
    scenario["appName"] = "bench-read"
    scenario.pop("clientId", None)
    scenario.pop("clientSecret", None)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", seed_files=[])
        with TestClient(create_app(settings)) as client:
            created = client.post("/_mock/districts", json=scenario)
            assert created.status_code == 201, created.text
            body = created.json()
            token = client.post(f"/campus/oauth2/token?appName={body['appName']}", data={
                "grant_type": "client_credentials", "client_id": body["clientId"],
                "client_secret": body["clientSecret"]}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            base = f"/apps/{body['appName']}{BOI}"
            page = client.get(f"{base}/staffMembers", params={"limit": args.limit}, headers=headers)
            assert page.status_code == 200, page.text
            numbers = [m["staffNumber"] for m in page.json() if m["staffNumber"]][:200]
            pages, singles = [], []
            for _ in range(args.rounds):
                started = time.perf_counter()
                assert client.get(f"{base}/staffMembers", params={"limit": args.limit},
                                  headers=headers).status_code == 200
                pages.append(time.perf_counter() - started)
                started = time.perf_counter()
                for n in numbers:
                    assert client.get(f"{base}/staffMembers/{n}", headers=headers).status_code == 200
                singles.append((time.perf_counter() - started) / len(numbers))
    print(f"GET /staffMembers?limit={args.limit}: median {statistics.median(pages) * 1000:.1f} ms, "
          f"best {min(pages) * 1000:.1f} ms")
    print(f"GET /staffMembers/{{n}}: median {statistics.median(singles) * 1000:.2f} ms, "
          f"best {min(singles) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
