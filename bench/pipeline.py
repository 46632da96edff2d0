"""What the per-call machinery costs: BOI calls against the health floor, one client (issue 12's ratios).

    .venv/bin/python bench/pipeline.py [--n 1500] [--clients 1] [--rounds 3] [--database-url URL]

Starts `boi-mock serve` on a fresh SQLite database with the district of boi_mock/seed/minimal.json, then
alternates, for `rounds` rounds: GET /_mock/health (the floor: no token, no journal), GET
/attributes/genders (the cheapest authenticated, journalled BOI call) and POST /staffMembers (a full
staff member). Prints each p50 and the ratios issue 12 targets: genders ÷ health ≤ 1.5, POST ÷ health ≤ 3.
Rounds are interleaved so a noisy neighbour slows every operation alike; compare ratios, not milliseconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BOI, ROOT, Step, boi_mock, district_token, median, run_load
from peers import staff_body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="boi-pipeline-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/pipeline.db"
        with boi_mock(url, Path(tmp)) as server, httpx.Client(base_url=server.url, timeout=60) as http:
            scenario = json.loads((ROOT / "src" / "boi_mock" / "seed" / "minimal.json").read_text(encoding="utf-8"))
            scenario.pop("clientSecret", None)
            created = http.post("/_mock/districts", json={**scenario, "appName": "pipeline"})
            created.raise_for_status()
            auth = {"Authorization": f"Bearer {district_token(http, created.json())}"}
            samples: dict[str, list[float]] = {"health": [], "genders": [], "post": []}
            unexpected = 0
            for r in range(args.rounds):
                offset = r * args.n

                def post(h: httpx.Client, i: int, o: int = offset) -> httpx.Response:
                    return h.post(f"{BOI}/staffMembers", json=staff_body(o + i))

                runs: dict[str, Step] = {
                    "health": ("health", 200, lambda h, i: h.get("/_mock/health")),
                    "genders": ("genders", 200, lambda h, i: h.get(f"{BOI}/attributes/genders")),
                    "post": ("post", 201, post),
                }
                for name, step in runs.items():
                    load = run_load(server.url, [step], args.n, args.clients, headers=auth, warmup="/_mock/health")
                    samples[name] += load.latencies[name]
                    unexpected += load.unexpected
                    if load.errors:
                        print(f"{name}: {load.errors[0]}", file=sys.stderr)
    p50 = {name: median(values) * 1000 for name, values in samples.items()}
    print(f"pipeline: {args.rounds} rounds x {args.n} requests, {args.clients} client(s), {url}")
    for name, value in p50.items():
        print(f"  {name:<8} p50 {value:7.3f} ms")
    print(f"  genders / health p50 = {p50['genders'] / p50['health']:.2f}  (target <= 1.5)")
    print(f"  POST    / health p50 = {p50['post'] / p50['health']:.2f}  (target <= 3)")
    return 1 if unexpected else 0


if __name__ == "__main__":
    raise SystemExit(main())
