"""How fast is test isolation? Create + delete a small district (MOCK-2) through the control API.

    .venv/bin/python bench/district_lifecycle.py                      # in-process, temporary SQLite
    .venv/bin/python bench/district_lifecycle.py --real-server        # uvicorn on loopback, over HTTP
    .venv/bin/python bench/district_lifecycle.py --database-url postgresql+psycopg://…
    .venv/bin/python bench/district_lifecycle.py --url http://127.0.0.1:8080   # a running boi-mock

"small" is the pytest plugin's default scenario (3 schools, 6 persons, 4 households, 20-odd rows);
"empty" is a scenario with no data. Target: create + delete of the small district ≤ 50 ms (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from boi_mock.testing.district import default_scenario, unique_app_name

TARGET_MS = 50.0


@contextmanager
def in_process(database_url: str | None) -> Iterator[httpx.Client]:
    from fastapi.testclient import TestClient

    from boi_mock.main import create_app
    from boi_mock.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app(Settings(database_url=url, seed_on_start=False, run_worker=False))
        with TestClient(app) as client:
            yield client


@contextmanager
def real_server(database_url: str | None) -> Iterator[httpx.Client]:
    from boi_mock.settings import Settings
    from boi_mock.testing.server import ThreadedServer

    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.db"
        threaded = ThreadedServer(Settings(database_url=url, seed_on_start=False, run_worker=False))
        server = threaded.start()
        try:
            with httpx.Client(base_url=server.url) as client:
                yield client
        finally:
            threaded.stop()


@contextmanager
def external(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url.rstrip("/")) as client:
        yield client


def measure(client: httpx.Client, scenario: dict[str, Any], rounds: int) -> dict[str, float]:
    create_ms: list[float] = []
    total_ms: list[float] = []
    for _ in range(rounds):
        body = {**scenario, "appName": unique_app_name({"appName": "bench"})}
        started = time.perf_counter()
        created = client.post("/_mock/districts", json=body)
        made = time.perf_counter()
        deleted = client.delete(f"/_mock/districts/{body['appName']}")
        done = time.perf_counter()
        assert created.status_code == 201, created.text
        assert deleted.status_code == 204, deleted.text
        create_ms.append((made - started) * 1000)
        total_ms.append((done - started) * 1000)
    total_ms.sort()
    return {"create_median": statistics.median(create_ms), "median": statistics.median(total_ms),
            "p95": total_ms[max(0, int(len(total_ms) * 0.95) - 1)], "min": total_ms[0]}


def run(client_factory: Callable[[], Any], rounds: int) -> dict[str, dict[str, float]]:
    with client_factory() as client:
        measure(client, default_scenario(), 3)  # warm-up: connections, caches
        return {"small": measure(client, default_scenario(), rounds), "empty": measure(client, {}, rounds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--real-server", action="store_true", help="uvicorn on loopback instead of in-process")
    parser.add_argument("--url", default=None, help="a running boi-mock")
    args = parser.parse_args(argv)
    if args.url:
        where = args.url
        results = run(lambda: external(args.url), args.rounds)
    elif args.real_server:
        where = "uvicorn on loopback"
        results = run(lambda: real_server(args.database_url), args.rounds)
    else:
        where = "in-process (TestClient)"
        results = run(lambda: in_process(args.database_url), args.rounds)
    print(f"district create + delete, {args.rounds} rounds, {where}, {args.database_url or 'SQLite (temporary)'}")
    for name, stats in results.items():
        print(f"  {name:5}  median {stats['median']:6.1f} ms  p95 {stats['p95']:6.1f} ms  min {stats['min']:6.1f} ms"
              f"  (create alone: median {stats['create_median']:.1f} ms)")
    verdict = "meets" if results["small"]["median"] <= TARGET_MS else "MISSES"
    print(f"  small district median {results['small']['median']:.1f} ms {verdict} the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
