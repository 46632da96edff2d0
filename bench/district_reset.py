"""MOCK-3: time `POST /_mock/districts/{app}/reset` of boi_mock/seed/minimal.json ("well under 100 ms").

Run: .venv/bin/python bench/district_reset.py   (in-process, temporary SQLite database)
"""

from __future__ import annotations

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


def main(runs: int = 30) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/reset.db"
        migrate.upgrade(url)
        app = create_app(Settings(database_url=url, seed_on_start=False, run_worker=False), run_migrations=False)
        scenario = json.loads((ROOT / "src" / "boi_mock" / "seed" / "minimal.json").read_text())
        scenario["appName"] = "reset-bench"
        timings = []
        with TestClient(app) as client:
            assert client.post("/_mock/districts", json=scenario).status_code == 201
            for _ in range(runs):
                started = time.perf_counter()
                response = client.post("/_mock/districts/reset-bench/reset")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
    print(f"reset of boi_mock/seed/minimal.json: median {statistics.median(timings) * 1000:.1f} ms, "
          f"max {max(timings) * 1000:.1f} ms ({runs} runs, in-process, SQLite)")


if __name__ == "__main__":
    main()
