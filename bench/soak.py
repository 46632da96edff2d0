"""Soak: steady mixed BOI load on loopback against a `boi-mock serve` subprocess; memory and latency drift.

    .venv/bin/python bench/soak.py                          # 10 minutes, temporary SQLite database
    .venv/bin/python bench/soak.py --seconds 120 --rate 40  # 2 minutes at 40 requests/s
    .venv/bin/python bench/soak.py --database-url postgresql+psycopg://user@host/db --json soak.json

Starts the server on a fresh database (nothing seeded), creates a district from boi_mock/seed/minimal.json,
then `--clients` threads (one keep-alive connection each) send a paced mix for `--seconds` and stop
by themselves: creates of new staff members (with a household), reads, searches, renames, position
adds and updates, household moves, address searches, reference reads, rejected payloads (400s, so the
Error Log grows) and, once a minute, a 20-staff sync (start, transfer, end, validate, commit) in a
second district.
The pace is `--rate` requests/s in total (a client that falls behind does not catch up in bursts).

Every 5 s the server's VmRSS is read from /proc/PID/status. The report has one row per minute:
requests, req/s, p50 and p99 latency, RSS at the minute's end, 5xx and transport errors. Then RSS
growth (from the end of the first minute, after warm-up, to the end) and p99 drift (last minute's
p99 ÷ first minute's). Exit status 1 when any request got a 5xx or no answer. Nothing asserts a
timing: the machine is shared, read the drift, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from boi_mock.testing.server import BoiMockProcess, ServerStartError

ROOT = Path(__file__).resolve().parent.parent
BOI = "/campus/api/businessOfficeIntegration"
SAMPLE_EVERY = 5.0
SYNC_EVERY = 60.0
SYNC_SIZE = 20


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


@dataclass
class Minute:
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    transport_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    rss_mb: float = float("nan")


class Recorder:
    def __init__(self, started: float, bucket_seconds: float) -> None:
        self.started = started
        self.bucket_seconds = bucket_seconds
        self.minutes: dict[int, Minute] = {}
        self.by_kind: dict[str, dict[int, int]] = {}
        self.lock = threading.Lock()
        self.failures: list[str] = []

    def bucket(self, at: float) -> Minute:
        return self.minutes.setdefault(int((at - self.started) // self.bucket_seconds), Minute())

    def record(self, at: float, latency: float, status: int | None, what: str) -> None:
        with self.lock:
            minute = self.bucket(at)
            kind = self.by_kind.setdefault(what, {})
            kind[status or 0] = kind.get(status or 0, 0) + 1
            if status is None:
                minute.transport_errors += 1
                self.failures.append(f"{what}: no answer")
                return
            minute.latencies.append(latency)
            minute.statuses[status] = minute.statuses.get(status, 0) + 1
            if status >= 500:
                minute.server_errors += 1
                self.failures.append(f"{what}: {status}")

    def rss(self, at: float, value: float) -> None:
        with self.lock:
            self.bucket(at).rss_mb = value


def start_server(database_url: str, log_path: Path) -> BoiMockProcess:
    """`boi-mock serve` (boi_mock.testing.server, in its own process group) with no seed files, until healthy."""
    server = BoiMockProcess(database_url, log_path, seed=True, env={"BOI_MOCK_SEED_FILES": ""}, cwd=ROOT)
    try:
        return server.start(120)
    except ServerStartError as exc:
        raise SystemExit(f"boi-mock serve did not become healthy: {exc}") from exc


def create_district(url: str, lifetime: int) -> dict[str, str]:
    scenario: dict[str, Any] = json.loads((ROOT / "src" / "boi_mock" / "seed" / "minimal.json").read_text())
    scenario.update(appName=f"soak-{uuid.uuid4().hex[:8]}", tokenLifetimeSeconds=lifetime)
    scenario.pop("clientId", None)
    scenario.pop("clientSecret", None)
    with httpx.Client(base_url=url, timeout=60) as http:
        created = http.post("/_mock/districts", json=scenario)
        created.raise_for_status()
        body = created.json()
        token = http.post(f"/campus/oauth2/token?appName={body['appName']}", data={
            "grant_type": "client_credentials", "client_id": body["clientId"], "client_secret": body["clientSecret"]})
        token.raise_for_status()
    return {"appName": body["appName"], "token": token.json()["access_token"]}


ADDRESSES = ["4321 North Lexington Avenue", "900 SE Oak St Apt 12", "77 W 109th Ave", "15 Elm Ct", "1200 E Sunshine St"]


def member(number: str, rng: random.Random) -> dict[str, Any]:
    return {
        "staffNumber": number, "lastName": f"Soak{number}", "firstName": rng.choice(["Pat", "Lee", "Sam", "Kim"]),
        "gender": rng.choice(["F", "M", "X"]), "ssn": f"{rng.randrange(10**8, 10**9)}", "birthdate": "1980-05-17",
        "workEmail": f"{number.lower()}@soak.example", "employments": [{"hireDate": "2020-08-01"}],
        "positions": [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262",
                       "startDate": "2023-10-01"}],
        "household": {"householdLocations": [{"address": {
            "fullStreetAddress": rng.choice(ADDRESSES), "city": "Springfield", "state": "MO", "zip": "65806"}}]},
    }


class Client(threading.Thread):
    """One vendor connection: paced requests until the deadline."""

    def __init__(self, index: int, url: str, token: str, sync_token: str, interval: float, deadline: float,
                 recorder: Recorder, numbers: list[str], numbers_lock: threading.Lock) -> None:
        super().__init__(name=f"soak-{index}", daemon=True)
        self.index = index
        self.url = url
        self.token = token
        self.sync_token = sync_token
        self.interval = interval
        self.deadline = deadline
        self.recorder = recorder
        self.numbers = numbers
        self.numbers_lock = numbers_lock
        self.rng = random.Random(f"soak:{index}")
        self.created = 0
        self.next_sync = time.monotonic() + SYNC_EVERY if index == 0 else math.inf

    def known(self) -> str | None:
        with self.numbers_lock:
            return self.rng.choice(self.numbers) if self.numbers else None

    def call(self, http: httpx.Client, method: str, path: str, what: str, **kw: Any) -> httpx.Response | None:
        began = time.monotonic()
        try:
            response = http.request(method, path, **kw)
        except httpx.HTTPError:
            self.recorder.record(began, 0.0, None, what)
            return None
        self.recorder.record(began, time.monotonic() - began, response.status_code, what)
        return response

    def one(self, http: httpx.Client) -> None:
        kind = self.rng.choices(["create", "read", "search", "rename", "position", "position_put", "move",
                                 "address", "reference", "bad"],
                                [15, 20, 10, 15, 5, 5, 10, 8, 7, 5])[0]
        number = self.known()
        if kind == "create" or number is None:
            new = f"S{self.index}x{self.created}"
            self.created += 1
            response = self.call(http, "POST", "/staffMembers", "create", json=member(new, self.rng))
            if response is not None and response.status_code == 201:
                with self.numbers_lock:
                    self.numbers.append(new)
        elif kind == "read":
            self.call(http, "GET", f"/staffMembers/{number}", "read")
        elif kind == "search":
            self.call(http, "GET", "/staffMembers", "search", params={"lastName": f"Soak{number}"})
        elif kind == "rename":
            self.call(http, "PUT", f"/staffMembers/{number}", "rename",
                      json={"firstName": self.rng.choice(["Pat", "Lee", "Sam", "Kim", "Alex", "Jo"])})
        elif kind == "position":
            # Keeps the person's positions bounded: the list is always the same two.
            self.call(http, "PUT", f"/staffMembers/{number}", "positions", json={"positions": [
                {"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262", "startDate": "2023-10-01"},
                {"schoolNumber": "020", "assignmentCode": "30", "startDate": "2024-01-01"}]})
        elif kind == "position_put":
            self.call(http, "PUT", f"/staffMembers/{number}/position", "position_put", json={
                "schoolNumber": "010", "assignmentCode": "20", "startDate": "2023-10-01",
                "endDate": self.rng.choice([None, "2030-06-30", "2031-06-30"])})
        elif kind == "move":
            self.call(http, "PUT", f"/staffMembers/{number}", "move", json={"household": {"householdLocations": [
                {"address": {"fullStreetAddress": self.rng.choice(ADDRESSES), "city": "Springfield",
                             "state": "MO", "zip": "65806"}}]}})
        elif kind == "address":
            self.call(http, "GET", "/addresses", "address", params={
                "fullStreetAddress": self.rng.choice(ADDRESSES), "city": "Springfield", "state": "MO",
                "zip": "65806"})
        elif kind == "reference":
            self.call(http, "GET", self.rng.choice(["/schools", "/attributes/genders", "/attributes/titles",
                                                    "/attributes/assignmentCodes"]), "reference")
        else:
            self.call(http, "POST", "/staffMembers", "bad", json={"staffNumber": "bad!", "lastName": 5})

    def sync(self) -> None:
        """A small staff sync, start to commit (SYNC-1..6), in a second district nobody else writes to (in the
        first, the other clients' writes would make every validation stale before the commit, SYNC-5)."""
        numbers = self.rng.sample(range(3 * SYNC_SIZE), SYNC_SIZE)
        items = [member(f"Y{n}", self.rng) for n in numbers]
        with httpx.Client(base_url=self.url + BOI, headers={"Authorization": f"Bearer {self.sync_token}"},
                          timeout=60) as http:
            for step, body in (("start", None), ("transfer", items), ("end", None), ("validate", None),
                               ("commit", None)):
                response = self.call(http, "POST", f"/staffMembers/sync/{step}", f"sync {step}", json=body)
                if response is None or response.status_code >= 400:
                    return

    def run(self) -> None:
        with httpx.Client(base_url=self.url + BOI, headers={"Authorization": f"Bearer {self.token}"},
                          timeout=60) as http:
            next_at = time.monotonic()
            while time.monotonic() < self.deadline:
                if time.monotonic() >= self.next_sync:
                    self.next_sync += SYNC_EVERY
                    self.sync()
                self.one(http)
                next_at += self.interval
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                else:
                    next_at = time.monotonic()  # behind: do not burst to catch up


@dataclass(frozen=True)
class Row:
    minute: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    rss_mb: float
    server_errors: int
    transport_errors: int
    statuses: dict[int, int]


def report(recorder: Recorder, bucket_seconds: float) -> dict[str, Any]:
    rows: list[Row] = []
    for index in sorted(recorder.minutes):
        minute = recorder.minutes[index]
        count = len(minute.latencies) + minute.transport_errors
        rows.append(Row(index + 1, count, count / bucket_seconds, percentile(minute.latencies, 50) * 1000,
                        percentile(minute.latencies, 99) * 1000, minute.rss_mb, minute.server_errors,
                        minute.transport_errors, dict(sorted(minute.statuses.items()))))
    full = [r for r in rows if r.requests]
    nan = float("nan")
    first, last = (full[0], full[-1]) if full else (None, None)
    summary: dict[str, Any] = {
        "minutes": [vars(r) for r in rows],
        "rss_start_mb": first.rss_mb if first else nan, "rss_end_mb": last.rss_mb if last else nan,
        "rss_growth_mb": last.rss_mb - first.rss_mb if first and last else nan,
        "p99_first_ms": first.p99_ms if first else nan, "p99_last_ms": last.p99_ms if last else nan,
        "p99_drift": last.p99_ms / first.p99_ms if first and last and first.p99_ms else nan,
        "requests": sum(r.requests for r in rows),
        "server_errors": sum(r.server_errors for r in rows),
        "transport_errors": sum(r.transport_errors for r in rows),
        "statuses_by_kind": {k: dict(sorted(v.items())) for k, v in sorted(recorder.by_kind.items())},
    }
    print(f"{'until s':>7}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>9}{'5xx':>6}{'lost':>6}")
    for r in rows:
        print(f"{r.minute * bucket_seconds:>7.0f}{r.requests:>10}{r.rps:>8.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
              f"{r.rss_mb:>9.1f}{r.server_errors:>6}{r.transport_errors:>6}")
    print("statuses by request kind (0 = no answer):",
          "; ".join(f"{k} {v}" for k, v in summary["statuses_by_kind"].items()))
    print(f"RSS {summary['rss_start_mb']:.1f} MB after the first interval → {summary['rss_end_mb']:.1f} MB at the end "
          f"(growth {summary['rss_growth_mb']:+.1f} MB); p99 {summary['p99_first_ms']:.1f} ms → "
          f"{summary['p99_last_ms']:.1f} ms (drift {summary['p99_drift']:.2f}x); {summary['requests']} requests, "
          f"{summary['server_errors']} 5xx, {summary['transport_errors']} without answer")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long the load runs (default 600)")
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second in total (default 40)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--bucket", type=float, default=60.0, help="report interval in seconds (default 60)")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="boi-soak-") as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'soak.db'}"
        log_path = Path(tmp) / "server.log"
        server = start_server(database_url, log_path)
        url, proc = server.url, server.proc
        assert proc is not None
        try:
            lifetime = min(30 * 86400, int(args.seconds) + 3600)
            district, sync_district = create_district(url, lifetime), create_district(url, lifetime)
            print(f"soak: {args.seconds:.0f}s at {args.rate:.0f} req/s from {args.clients} clients against "
                  f"{url} (pid {proc.pid}, {database_url.split(':')[0]})", flush=True)
            started = time.monotonic()
            deadline = started + args.seconds
            recorder = Recorder(started, args.bucket)
            numbers: list[str] = []
            numbers_lock = threading.Lock()
            clients = [Client(i, url, district["token"], sync_district["token"], args.clients / args.rate, deadline,
                              recorder, numbers, numbers_lock) for i in range(args.clients)]
            for client in clients:
                client.start()
            while any(c.is_alive() for c in clients):
                now = time.monotonic()
                recorder.rss(min(now, deadline - 0.001), rss_mb(proc.pid))
                if proc.poll() is not None:
                    print(f"soak: the server died (exit {proc.returncode})", file=sys.stderr)
                    break
                time.sleep(min(SAMPLE_EVERY, max(0.05, deadline - now)))
            for client in clients:
                client.join(90)
            recorder.rss(deadline - 0.001, rss_mb(proc.pid))
        finally:
            server.stop(30)
        summary = report(recorder, args.bucket)
        if recorder.failures:
            print("failures (first 20):", *recorder.failures[:20], sep="\n  ", file=sys.stderr)
            print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, **summary},
                                            indent=2, default=str))
    return 1 if summary["server_errors"] or summary["transport_errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
