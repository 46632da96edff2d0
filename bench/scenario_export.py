"""MOCK-12: time `GET /_mock/districts/{app}/scenario` of the demo district (3,039 persons; target ≤ 2 s), its size,
and how long `POST /_mock/districts` takes to recreate the district from it.

Run: .venv/bin/python bench/scenario_export.py [--runs 5] [--database-url postgresql://…]
(in-process; a temporary SQLite database unless a URL is given; nothing here asserts a timing)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from boi_mock import migrate
from boi_mock.main import create_app
from boi_mock.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "boi_mock" / "seed" / "demo-7634-MO.json"


def run(url: str, runs: int) -> None:
    migrate.upgrade(url)
    app = create_app(Settings(database_url=url, seed_on_start=False, run_worker=False), run_migrations=False)
    scenario = json.loads(DEMO.read_text())
    scenario.update(appName="export-bench")
    scenario.pop("clientSecret", None)
    timings: list[float] = []
    cpu: list[float] = []
    with TestClient(app) as client:
        started = time.perf_counter()
        assert client.post("/_mock/districts", json=scenario).status_code == 201
        seeded = time.perf_counter() - started
        body = b""
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/_mock/districts/export-bench/scenario")
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, response.text
            body = response.content
        doc = json.loads(body)
        started = time.perf_counter()
        created = client.post("/_mock/districts", json={**doc, "appName": "export-bench-twin"})
        recreate = time.perf_counter() - started
        assert created.status_code == 201, created.text
        for name in ("export-bench", "export-bench-twin"):
            client.delete(f"/_mock/districts/{name}")
    print(f"export of the demo district ({len(doc['persons'])} persons, {len(doc['households'])} households): "
          f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms ({runs} runs; "
          f"CPU median {statistics.median(cpu) * 1000:.0f} ms: the machine's other load shows in the wall time); "
          f"{len(body) / 1024:.0f} KiB ({len(body)} bytes; the seed file is {DEMO.stat().st_size} bytes); "
          f"recreated by POST /_mock/districts in {recreate * 1000:.0f} ms "
          f"(from the seed file: {seeded * 1000:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/export.db", args.runs)


if __name__ == "__main__":
    main()
