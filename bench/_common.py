"""Helpers shared by bench/run_all.py, bench/peers.py and bench/scale.py.

Free ports, a server subprocess (boi_mock.testing.server's, the one helper that starts live servers) that
is started, polled until healthy and always stopped, percentiles,
a small closed-loop load generator (N requests spread over C clients, one thread and one keep-alive
connection each) and process memory figures. Nothing here asserts a timing: the machine is shared, so
the benchmarks compare figures taken in the same run.
"""

from __future__ import annotations

import json
import math
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from boi_mock.testing.server import BoiMockProcess, ServerProcess, ServerStartError
from boi_mock.testing.server import free_port as free_port  # re-exported: bench/peers.py uses it from here

ROOT = Path(__file__).resolve().parent.parent
BOI = "/campus/api/businessOfficeIntegration"
ServerError = ServerStartError  # the benchmarks' name for a server that did not start


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the samples; nan when there are none."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def rss_mb(pid: int, field_name: str = "VmRSS") -> float:
    """Resident memory of a process in MB (`VmHWM` gives the peak); nan when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _children(pid: int) -> list[int]:
    """Direct children of a process, from /proc/*/stat (field 4 is the parent)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (Prism runs node under a wrapper script)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        rss = rss_mb(current)
        if rss == rss:  # not nan: still alive
            total += rss
        todo.extend(_children(current))
    return total if total else float("nan")


# --- server subprocesses ------------------------------------------------------------------------------
# Started by boi_mock.testing.server (ServerProcess / BoiMockProcess): the one place tests and benchmarks
# start a live server. Here they stay in this process group, so run_all.py's time limit (which signals the
# group) takes them down with the benchmark.


@dataclass
class Server:
    """A started server subprocess: `url`, `proc`, `started_in` (seconds from spawn to the first healthy answer);
    `process` (boi_mock.testing.server) has the rest (its log)."""

    name: str
    url: str
    process: ServerProcess

    @property
    def proc(self) -> subprocess.Popen[bytes]:
        assert self.process.proc is not None
        return self.process.proc

    @property
    def started_in(self) -> float:
        return self.process.started_in or float("nan")

    def rss_mb(self) -> float:
        return tree_rss_mb(self.proc.pid)


def exit_on_sigterm() -> None:
    """Turn SIGTERM (run_all.py's time limit) into SystemExit, so `finally` blocks stop the servers."""
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit(143))


def _log_path(log_dir: Path, name: str) -> Path:
    return log_dir / f"{name}-{time.monotonic_ns()}.log"


@contextmanager
def _running(name: str, process: ServerProcess, timeout: float) -> Iterator[Server]:
    try:
        process.start(timeout)
        yield Server(name, "/".join(process.health_url.split("/", 3)[:3]), process)  # scheme://host:port
    finally:
        process.stop()


@contextmanager
def server_process(name: str, cmd: Sequence[str], health_url: str, log_dir: Path, *,
                   env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 180.0,
                   ok: Callable[[httpx.Response], bool] = lambda r: r.status_code == 200) -> Iterator[Server]:
    """Run `cmd` until it answers `health_url`; yield it; always stop it (SIGINT, then SIGKILL)."""
    process = ServerProcess(cmd, health_url, _log_path(log_dir, name), env={**os.environ, **(env or {})},
                            cwd=cwd or ROOT, ok=ok)
    with _running(name, process, timeout) as server:
        yield server


@contextmanager
def boi_mock(database_url: str, log_dir: Path, *, seed: bool = False, timeout: float = 300.0,
             port: int | None = None, **extra_env: str) -> Iterator[Server]:
    """`boi-mock serve` on `port` or a free one (migrates the database first, as serve always does)."""
    process = BoiMockProcess(database_url, _log_path(log_dir, "boi-mock"), port=port, seed=seed, cwd=ROOT,
                             env={"BOI_MOCK_SEED_DIR": str(ROOT / "src" / "boi_mock" / "seed"), **extra_env},
                             new_session=False)
    with _running("boi-mock", process, timeout) as server:
        yield server


def district_token(client: httpx.Client, credentials: Mapping[str, Any]) -> str:
    response = client.post(f"/campus/oauth2/token?appName={credentials['appName']}", data={
        "grant_type": "client_credentials", "client_id": credentials["clientId"],
        "client_secret": credentials["clientSecret"]})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


# --- data -----------------------------------------------------------------------------------------------


def change_hr_member(member: dict[str, Any], kind: int, home: Callable[[], dict[str, Any]], *,
                     last_name: str) -> None:
    """One of the four changes a benchmark's HR export makes to a Campus staff member (`kind` 0 to 3): the last name
    (to `last_name`), a position added, the employment terminated, or a move to `home()`'s address."""
    if kind == 0:
        member["lastName"] = last_name
    elif kind == 1:
        member["positions"].append({"schoolNumber": "010", "assignmentCode": "95", "titleCode": "C95",
                                    "startDate": "2025-11-03", "endDate": None})
    elif kind == 2:
        member["employments"] = [{"hireDate": "2015-08-10", "terminationDate": "2025-12-19"}]
    else:
        member["household"]["householdLocations"] = [{"address": home(), "startDate": "2025-10-01"}]


# --- load -----------------------------------------------------------------------------------------------


@dataclass
class Load:
    """Latencies (seconds) per step name, over a wall-clock `seconds`; `errors` holds the first few."""

    clients: int
    iterations: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    unexpected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")

    def summary(self) -> dict[str, Any]:
        steps = {name: {"p50_ms": percentile(v, 50) * 1000, "p99_ms": percentile(v, 99) * 1000, "n": len(v)}
                 for name, v in self.latencies.items()}
        everything = [x for v in self.latencies.values() for x in v]
        return {"clients": self.clients, "iterations": self.iterations, "requests": self.requests,
                "seconds": self.seconds, "rps": self.rps, "p50_ms": percentile(everything, 50) * 1000,
                "p99_ms": percentile(everything, 99) * 1000, "steps": steps, "unexpected": self.unexpected,
                "errors": self.errors[:5]}


# One step: (name, expected status, a function sending the request for iteration i).
Step = tuple[str, int, Callable[[httpx.Client, int], httpx.Response]]


def run_load(base_url: str, steps: Sequence[Step], iterations: int, clients: int, *,
             headers: Mapping[str, str] | None = None, warmup: str = "/", timeout: float = 60.0) -> Load:
    """Closed loop: `clients` threads take iteration numbers from a queue and run every step in order.

    Each thread opens its connection (GET `warmup`, any status) before the clock starts.
    """
    work: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(iterations):
        work.put(i)
    load = Load(clients, iterations, latencies={name: [] for name, _s, _f in steps})
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def worker() -> None:
        with httpx.Client(base_url=base_url, headers=dict(headers or {}), timeout=timeout) as http:
            with suppress(httpx.HTTPError):
                http.get(warmup)
            barrier.wait()
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                for name, expect, send in steps:
                    began = time.perf_counter()
                    try:
                        response = send(http, i)
                        status, text = response.status_code, response.text
                    except httpx.HTTPError as exc:
                        status, text = -1, repr(exc)
                    elapsed = time.perf_counter() - began
                    with lock:
                        load.latencies[name].append(elapsed)
                        if status != expect:
                            load.unexpected += 1
                            if len(load.errors) < 5:
                                load.errors.append(f"{name}: {status} {text[:300]}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    load.seconds = time.perf_counter() - began
    return load


# --- output -----------------------------------------------------------------------------------------------


def write_json(path: str | None, data: Mapping[str, Any]) -> None:
    """Write the figures for run_all.py (`--json FILE`; `-` is stdout)."""
    if not path:
        return
    text = json.dumps(data, indent=2, default=str, allow_nan=True)
    if path == "-":
        print(text)
        return
    Path(path).write_text(text + "\n", encoding="utf-8")


def note(message: str, stream: IO[str] = sys.stderr) -> None:
    """Progress on stderr (run_all.py keeps stdout for figures)."""
    print(message, file=stream, flush=True)
