"""What the pytest plugin's `boi_server` fixture adds to a test run (boi_mock/testing/plugin.py).

    .venv/bin/python bench/plugin_startup.py [--repeat 3] [--json FILE]

Times a whole `python -m pytest` subprocess on a scratch directory holding one trivial test, in
three variants, interleaved, median of `--repeat`:

  plain       `def test_plain(): pass` (pytest and every installed plugin, boi-mock's included, load)
  boi_server  the test asks for `boi_server`: uvicorn in a thread, temporary SQLite, migrations
  boi_district  the test asks for `boi_district`: the above plus one small district created and deleted

The difference boi_server - plain is the plugin's start-up cost as a test suite sees it (the
process also pays for importing the app and for shutting the server thread down at exit, which
pytest's own "passed in Ns" leaves out). The fixture's setup time (pytest --durations) and the
server's own start (`BoiServer.started_in`, measured inside the fixture) are shown too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import exit_on_sigterm, median, note, write_json

TESTS = {
    "plain": "def test_plain():\n    assert True\n",
    "boi_server": (
        "import json, os\n\n"
        "def test_server(boi_server):\n"
        "    assert boi_server.control.health()\n"
        "    with open(os.environ['BENCH_STARTED_IN'], 'w') as f:\n"
        "        json.dump(boi_server.started_in, f)\n"
    ),
    "boi_district": "def test_district(boi_district):\n    assert boi_district.client_id\n",
}


def run_once(tmp: Path, variant: str) -> dict[str, float]:
    """One pytest run of the variant's test: wall time, pytest's own session time, fixture setup/teardown."""
    marker = tmp / f"started-{variant}.json"
    marker.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOI_MOCK_", "PYTEST_"))}
    env["BENCH_STARTED_IN"] = str(marker)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp),
           "-c", str(tmp / "pytest.ini"), "--durations=0", "--durations-min=0", str(tmp / f"test_{variant}.py")]
    began = time.perf_counter()
    done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"pytest {variant} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    out: dict[str, float] = {"wall": elapsed}
    for phase in ("setup", "teardown"):
        found = re.search(rf"^([\d.]+)s {phase} ", done.stdout, re.M)
        out[phase] = float(found.group(1)) if found else 0.0
    session = re.search(r" in ([\d.]+)s", done.stdout)
    out["session"] = float(session.group(1)) if session else float("nan")
    if marker.exists():
        out["started_in"] = float(json.loads(marker.read_text()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None, help="write the figures as JSON to FILE ('-': stdout)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    runs: dict[str, list[dict[str, float]]] = {v: [] for v in TESTS}
    with tempfile.TemporaryDirectory(prefix="boi-plugin-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        for variant, source in TESTS.items():
            (tmp / f"test_{variant}.py").write_text(source, encoding="utf-8")
        run_once(tmp, "plain")  # warm the file system cache; not counted
        for round_no in range(args.repeat):
            for variant in TESTS:
                note(f"plugin_startup: round {round_no + 1}/{args.repeat}: {variant}")
                runs[variant].append(run_once(tmp, variant))

    def med(variant: str, key: str) -> float:
        return median([r[key] for r in runs[variant] if key in r])

    figures: dict[str, Any] = {f"{v}_s": med(v, "wall") for v in TESTS}
    figures.update({f"{v}_session_s": med(v, "session") for v in TESTS})
    figures["server_overhead_s"] = figures["boi_server_s"] - figures["plain_s"]
    figures["district_overhead_s"] = figures["boi_district_s"] - figures["boi_server_s"]
    figures["server_setup_s"] = med("boi_server", "setup")
    figures["server_teardown_s"] = med("boi_server", "teardown")
    figures["district_setup_s"] = med("boi_district", "setup")
    figures["server_started_in_s"] = med("boi_server", "started_in")
    figures["ratio_boi_server_to_plain"] = figures["boi_server_s"] / figures["plain_s"]
    figures["repeat"] = args.repeat
    figures["runs"] = runs
    print(f"pytest run of one trivial test (whole process, wall clock; pytest's own session time), "
          f"median of {args.repeat}:")
    print(f"  plain test                     {figures['plain_s']:.2f} s   session {figures['plain_session_s']:.2f} s")
    print(f"  test using boi_server          {figures['boi_server_s']:.2f} s   session "
          f"{figures['boi_server_session_s']:.2f} s  (+{figures['server_overhead_s']:.2f} s, "
          f"{figures['ratio_boi_server_to_plain']:.2f}x)")
    print(f"  test using boi_district        {figures['boi_district_s']:.2f} s   session "
          f"{figures['boi_district_session_s']:.2f} s")
    print(f"  boi_server fixture setup {figures['server_setup_s']:.2f} s (of which the server start, "
          f"BoiServer.started_in: {figures['server_started_in_s']:.2f} s), "
          f"teardown {figures['server_teardown_s']:.2f} s; "
          f"boi_district setup (server + district) {figures['district_setup_s']:.2f} s")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
