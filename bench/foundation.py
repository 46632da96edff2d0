"""Foundation figures: `boi-mock serve` cold start on an existing database, and district creation time.

Run: .venv/bin/python bench/foundation.py
Prints: first-start (migrate + seed demo) and warm-start times to the first healthy response, and the
median time of POST /_mock/districts (+ DELETE) for boi_mock/seed/minimal.json and the 3,000-person demo.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from boi_mock.testing.server import BoiMockProcess, ServerStartError, free_port

ROOT = Path(__file__).resolve().parent.parent


def start_server(db_url: str, port: int, log_dir: Path) -> tuple[BoiMockProcess, float]:
    """`boi-mock serve` (boi_mock.testing.server) seeding the packaged scenarios: it, and seconds to healthy."""
    server = BoiMockProcess(db_url, log_dir / "serve.log", port=port, seed=True, new_session=False,
                            env={"BOI_MOCK_SEED_DIR": str(ROOT / "src" / "boi_mock" / "seed")})
    try:
        server.start(600)
    except ServerStartError as exc:
        raise SystemExit(str(exc)) from exc
    assert server.started_in is not None
    return server, server.started_in


def stop(server: BoiMockProcess) -> None:
    server.stop(10)


def time_create(base: str, scenario: dict[str, Any], runs: int) -> list[float]:
    out = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(runs):
            body = {**scenario, "appName": f"b-{uuid.uuid4().hex[:8]}"}
            body.pop("clientSecret", None)
            t0 = time.perf_counter()
            response = client.post("/_mock/districts", json=body)
            out.append(time.perf_counter() - t0)
            assert response.status_code == 201, response.text
            client.delete(f"/_mock/districts/{body['appName']}")
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        port = free_port()
        proc, first = start_server(db_url, port, Path(tmp))
        stop(proc)
        warm = []
        for _ in range(3):
            proc, t = start_server(db_url, port, Path(tmp))
            warm.append(t)
            stop(proc)
        proc, _t = start_server(db_url, port, Path(tmp))
        base = f"http://127.0.0.1:{port}"
        try:
            minimal = json.loads((ROOT / "src" / "boi_mock" / "seed" / "minimal.json").read_text())
            demo = json.loads((ROOT / "src" / "boi_mock" / "seed" / "demo-7634-MO.json").read_text())
            small = time_create(base, minimal, 20)
            large = time_create(base, demo, 3)
        finally:
            stop(proc)
    print("| figure | value |")
    print("|---|---|")
    print(f"| first start (migrate + seed 3,000-person demo) to healthy | {first:.2f} s |")
    print(f"| cold start on an existing database to healthy (median of 3) | {statistics.median(warm):.2f} s |")
    print(f"| create district `minimal` (median of 20) | {statistics.median(small) * 1000:.1f} ms |")
    print(f"| create district demo 7634-MO, {len(demo['persons'])} persons (median of 3) | "
          f"{statistics.median(large):.2f} s |")


if __name__ == "__main__":
    main()
