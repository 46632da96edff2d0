"""Replicas: create-then-read throughput with 1, 2 and 3 `boi-mock serve` on one PostgreSQL, beside 1 on SQLite.

    .venv/bin/python bench/replicas.py                      # 600 iterations, 6 clients
    .venv/bin/python bench/replicas.py --iterations 150 --json bench/out/replicas.json

Each configuration gets a fresh database and a district made from boi_mock/seed/minimal.json; the same
closed-loop workload (POST /staffMembers, then GET /staffMembers/{n}) runs with the clients spread evenly
over the replicas (client k talks to replica k mod N, as a round-robin proxy would). All in one run, so the
figures compare. What bounds the throughput is reported beside it: the servers' CPU (seconds per request
and as a share of this machine's cores), the PostgreSQL backends waiting on a lock (writes to one district
queue on its row lock, by design) and the connections open, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import BOI, Server, boi_mock, district_token, percentile, write_json
from peers import staff_body

SCENARIO = Path(__file__).resolve().parent.parent / "src" / "boi_mock" / "seed" / "minimal.json"


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its children so far (seconds)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


class PgSampler:
    """Every 50 ms: backends waiting on a lock, and connections open, in the benchmark's database."""

    def __init__(self, url: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        self._conn = psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                                     dbname=parsed.database, autocommit=True)
        self.database = str(parsed.database)
        self.lock_waits: list[int] = []
        self.connections: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            row = self._conn.execute(
                "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (self.database,)).fetchone()
            if row is not None:
                self.lock_waits.append(int(row[0]))
                self.connections.append(int(row[1]))

    def __enter__(self) -> PgSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()


def _load(servers: list[Server], token: str, iterations: int, clients: int) -> dict[str, Any]:
    """Closed loop: client k on replica k mod N, each taking the next iteration number until none is left."""
    numbers = iter(range(iterations))
    take = threading.Lock()
    latencies: dict[str, list[float]] = {"create": [], "read": []}
    unexpected: list[str] = []
    barrier = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        server = servers[k % len(servers)]
        with httpx.Client(base_url=server.url + BOI, headers={"Authorization": f"Bearer {token}"},
                          timeout=120) as http:
            http.get("/schools")
            barrier.wait()
            while True:
                with take:
                    i = next(numbers, None)
                if i is None:
                    return
                for step, expect in (("create", 201), ("read", 200)):
                    began = time.perf_counter()
                    answer = (http.post("/staffMembers", json=staff_body(i)) if step == "create"
                              else http.get(f"/staffMembers/P{i:07d}"))
                    status = answer.status_code
                    elapsed = time.perf_counter() - began
                    with take:
                        latencies[step].append(elapsed)
                        if status != expect and len(unexpected) < 5:
                            unexpected.append(f"{step}: {status}")

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    cpu_before = sum(_cpu_seconds(server.proc.pid) for server in servers)
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    cpu = sum(_cpu_seconds(server.proc.pid) for server in servers) - cpu_before
    requests = sum(len(v) for v in latencies.values())
    return {"requests": requests, "seconds": seconds, "rps": requests / seconds,
            "create_p50_ms": percentile(latencies["create"], 50) * 1000,
            "create_p99_ms": percentile(latencies["create"], 99) * 1000,
            "read_p50_ms": percentile(latencies["read"], 50) * 1000,
            "read_p99_ms": percentile(latencies["read"], 99) * 1000,
            "server_cpu_ms_per_request": cpu / requests * 1000,
            "server_cpu_share_of_cores": cpu / seconds / (os.cpu_count() or 1),
            "unexpected": unexpected}


@contextmanager
def _replicas(url: str, count: int, log_dir: Path) -> Iterator[list[Server]]:
    with ExitStack() as stack:
        yield [stack.enter_context(boi_mock(url, log_dir)) for _ in range(count)]


def _district(server: Server) -> str:
    import json

    with httpx.Client(base_url=server.url, timeout=120) as http:
        scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
        scenario.pop("clientId", None)
        scenario.pop("clientSecret", None)
        scenario["appName"] = "bench-replicas"
        created = http.post("/_mock/districts", json=scenario)
        created.raise_for_status()
        return district_token(http, created.json())


def run(iterations: int, clients: int) -> dict[str, Any]:
    from tests.pg_cluster import start_cluster

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, start_cluster() as cluster:
        log_dir = Path(tmp)
        configs: list[tuple[str, int]] = [("sqlite", 1), ("postgresql", 1), ("postgresql", 2), ("postgresql", 3)]
        for backend, count in configs:
            url = (f"sqlite:///{log_dir / 'bench.db'}" if backend == "sqlite"
                   else cluster.create_database(f"replicas_{count}"))
            with _replicas(url, count, log_dir) as servers:
                token = _district(servers[0])
                if backend == "postgresql":
                    with PgSampler(url) as sampler:
                        figures = _load(servers, token, iterations, clients)
                    figures["lock_waiting_backends_mean"] = (sum(sampler.lock_waits) / len(sampler.lock_waits)
                                                             if sampler.lock_waits else float("nan"))
                    figures["connections_max"] = max(sampler.connections, default=0)
                else:
                    figures = _load(servers, token, iterations, clients)
            figures.update(backend=backend, replicas=count)
            results.append(figures)
            print(f"{backend:10} x{count}: {figures['rps']:7.1f} req/s  create p50 {figures['create_p50_ms']:6.1f} ms"
                  f"  server CPU {figures['server_cpu_ms_per_request']:5.1f} ms/req "
                  f"({figures['server_cpu_share_of_cores']:.0%} of {os.cpu_count()} cores)"
                  + (f"  lock waiters {figures['lock_waiting_backends_mean']:.2f}  connections "
                     f"{figures['connections_max']}" if backend == "postgresql" else "")
                  + (f"  UNEXPECTED {figures['unexpected']}" if figures["unexpected"] else ""), flush=True)
    return {"iterations": iterations, "clients": clients, "cores": os.cpu_count(), "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=600, help="create+read pairs per configuration")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients, spread over the replicas")
    parser.add_argument("--json", help="write the figures here (run_all.py)")
    args = parser.parse_args()
    data = run(args.iterations, args.clients)
    write_json(args.json, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
