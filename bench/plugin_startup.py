"""What the pytest plugin's fixtures add to a test run (boi_mock/testing/plugin.py), and the app's import time.

    .venv/bin/python bench/plugin_startup.py [--repeat 5] [--districts 30] [--json FILE]

Times whole `python -m pytest` subprocesses on a scratch directory, interleaved, median of `--repeat`:

  plain         one test, `def test_plain(): pass` (pytest and every installed plugin, boi-mock's, load)
  in-process    one test asking for `boi_district`: the app in this process (the default), a new
                SQLite database, one small district created and deleted
  socket        the same with `--boi-mock-transport=socket`: uvicorn in a thread on a loopback port

"first use" = that run minus `plain` of the same round (median over rounds): everything the first test
that uses the plugin pays (importing the app, building the database, starting, one district, stopping at
exit), as a suite sees it; in wall time and in CPU time (user + system of the pytest process), which other
load on the machine disturbs less.

Per district: in each round, a run of `--districts` tests that each ask for `boi_district`; each test's
fixture setup plus teardown, the first and last tests left out (they start and stop the server); the
median over all rounds.

Import: `python -X importtime -c "import boi_mock.main"`, the cumulative time of `boi_mock.main`
(median and best of `--repeat`), and that process's CPU time (user + system; less sensitive to other
load on the machine than the wall clock).

Bytecode: where PYTHONDONTWRITEBYTECODE is set (this machine), every process above compiles boi-mock's
own modules from source, which an installed boi-mock (pip writes .pyc files) never does. So the import
and the in-process first use are also measured "as installed": bytecode compiled once into a private
PYTHONPYCACHEPREFIX in the scratch directory, PYTHONDONTWRITEBYTECODE removed, the same runs interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import exit_on_sigterm, median, note, write_json

ONE_TEST = {
    "plain": "def test_plain():\n    assert True\n",
    "district": (
        "import json, os\n\n"
        "def test_district(boi_server, boi_district):\n"
        "    assert boi_district.client_id\n"
        "    with open(os.environ['BENCH_STARTED_IN'], 'w') as f:\n"
        "        json.dump(boi_server.started_in, f)\n"
    ),
}
MANY_TEMPLATE = (
    "import pytest\n\n"
    "@pytest.mark.parametrize('n', range({n}))\n"
    "def test_district(n, boi_district):\n"
    "    assert boi_district.client_id\n"
)
# Each test's setup and teardown time at full precision (pytest --durations rounds to 10 ms).
DURATIONS_CONFTEST = (
    "import json, os\n\n"
    "def pytest_runtest_logreport(report):\n"
    "    path = os.environ.get('BENCH_DURATIONS')\n"
    "    if path and report.when in ('setup', 'teardown'):\n"
    "        with open(path, 'a') as f:\n"
    "            f.write(json.dumps([report.nodeid, report.when, report.duration]) + '\\n')\n"
)
MODES = {"in-process": [], "socket": ["--boi-mock-transport=socket"]}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bytecode_env(tmp: Path) -> dict[str, str]:
    """The environment of a process that reads (and, the first time, writes) bytecode, as an installed boi-mock."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def pytest_run(tmp: Path, test_file: str, extra: list[str], *, bytecode: bool = False,
               **env_extra: str) -> tuple[float, float, str]:
    """One pytest process: its wall time, its CPU time (user + system), its output."""
    base = bytecode_env(tmp) if bytecode else dict(os.environ)
    env = {k: v for k, v in base.items() if not k.startswith(("BOI_MOCK_", "PYTEST_"))}
    env.update(env_extra)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp),
           "-c", str(tmp / "pytest.ini"), "--durations=0", "--durations-min=0", *extra, str(tmp / test_file)]
    began, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=600)
    elapsed, cpu = time.perf_counter() - began, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"pytest {test_file} {extra} failed ({done.returncode}):\n"
                         f"{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return elapsed, cpu, done.stdout


def one_test(tmp: Path, variant: str, mode: str, *, bytecode: bool = False) -> dict[str, float]:
    marker = tmp / "started-in.json"
    marker.unlink(missing_ok=True)
    wall, cpu, out = pytest_run(tmp, f"test_{variant}.py", MODES[mode], bytecode=bytecode,
                                BENCH_STARTED_IN=str(marker))
    figures = {"wall": wall, "cpu": cpu}
    session = re.search(r" in ([\d.]+)s", out)
    figures["session"] = float(session.group(1)) if session else float("nan")
    setup = re.search(r"^([\d.]+)s setup ", out, re.M)
    figures["setup"] = float(setup.group(1)) if setup else 0.0
    if marker.exists():
        figures["started_in"] = float(json.loads(marker.read_text()))
    return figures


def per_district_ms(tmp: Path, mode: str) -> list[float]:
    """setup + teardown of each boi_district but the first and the last (which start and stop the server), in ms."""
    log = tmp / f"durations-{mode}.jsonl"
    log.unlink(missing_ok=True)
    pytest_run(tmp, "test_many.py", MODES[mode], BENCH_DURATIONS=str(log))
    costs: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        nodeid, _when, seconds = json.loads(line)
        costs[nodeid] = costs.get(nodeid, 0.0) + seconds * 1000
    return list(costs.values())[1:-1]


def import_time(bytecode_in: Path | None = None) -> dict[str, float]:
    """`python -X importtime -c "import boi_mock.main"`: boi_mock.main's cumulative µs, and the process's CPU.

    `bytecode_in`: the scratch directory whose private bytecode cache the process uses (`bytecode_env`)."""
    cpu = children_cpu()
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import boi_mock.main"],
                          capture_output=True, text=True, timeout=120, check=True,
                          env=None if bytecode_in is None else bytecode_env(bytecode_in))
    cpu = children_cpu() - cpu
    line = [ln for ln in done.stderr.splitlines() if ln.rstrip().endswith("| boi_mock.main")][-1]
    cumulative_us = int(line.split("|")[1])
    return {"import_s": cumulative_us / 1e6, "process_cpu_s": cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--districts", type=int, default=30, help="tests in the per-district run")
    parser.add_argument("--modes", default=",".join(MODES),
                        help="comma-separated: in-process,socket (a version without the option: in-process only)")
    parser.add_argument("--json", default=None, help="write the figures as JSON to FILE ('-': stdout)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    modes = [mode for mode in args.modes.split(",") if mode]
    runs: dict[str, list[dict[str, float]]] = {"plain": [], **{f"district {mode}": [] for mode in modes},
                                               "plain bytecode": [], "district in-process bytecode": []}
    imports: list[dict[str, float]] = []
    imports_bytecode: list[dict[str, float]] = []
    districts: dict[str, list[float]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory(prefix="boi-plugin-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (tmp / "conftest.py").write_text(DURATIONS_CONFTEST, encoding="utf-8")
        for variant, source in ONE_TEST.items():
            (tmp / f"test_{variant}.py").write_text(source, encoding="utf-8")
        (tmp / "test_many.py").write_text(MANY_TEMPLATE.format(n=args.districts), encoding="utf-8")
        one_test(tmp, "plain", "in-process")  # warm the file system cache; not counted
        import_time()
        one_test(tmp, "district", "in-process", bytecode=True)  # writes the bytecode; not counted
        import_time(tmp)
        for round_no in range(args.repeat):
            note(f"plugin_startup: round {round_no + 1}/{args.repeat}")
            runs["plain"].append(one_test(tmp, "plain", "in-process"))
            for mode in modes:
                runs[f"district {mode}"].append(one_test(tmp, "district", mode))
                districts[mode] += per_district_ms(tmp, mode)
            imports.append(import_time())
            runs["plain bytecode"].append(one_test(tmp, "plain", "in-process", bytecode=True))
            runs["district in-process bytecode"].append(one_test(tmp, "district", "in-process", bytecode=True))
            imports_bytecode.append(import_time(tmp))

    def med(variant: str, key: str) -> float:
        return median([r[key] for r in runs[variant] if key in r])

    def paired(variant: str, key: str, plain_variant: str = "plain") -> float:
        """Median of each round's difference to that round's plain run (the load drifts between rounds)."""
        return median([r[key] - plain[key] for r, plain in zip(runs[variant], runs[plain_variant], strict=True)])

    figures: dict[str, Any] = {"repeat": args.repeat, "plain_s": med("plain", "wall"),
                               "plain_cpu_s": med("plain", "cpu")}
    for mode in modes:
        key = mode.replace("-", "_")
        figures[f"district_{key}_s"] = med(f"district {mode}", "wall")
        figures[f"first_use_{key}_s"] = paired(f"district {mode}", "wall")
        figures[f"district_{key}_cpu_s"] = med(f"district {mode}", "cpu")
        figures[f"first_use_{key}_cpu_s"] = paired(f"district {mode}", "cpu")
        figures[f"started_in_{key}_s"] = med(f"district {mode}", "started_in")
        figures[f"setup_{key}_s"] = med(f"district {mode}", "setup")
        figures[f"per_district_{key}_ms"] = statistics.median(districts[mode])
        figures[f"per_district_{key}_p90_ms"] = statistics.quantiles(districts[mode], n=10)[-1]
    figures["first_use_in_process_bytecode_s"] = paired("district in-process bytecode", "wall", "plain bytecode")
    figures["first_use_in_process_bytecode_cpu_s"] = paired("district in-process bytecode", "cpu", "plain bytecode")
    figures["plain_bytecode_s"] = med("plain bytecode", "wall")
    figures["import_bytecode_s"] = median([i["import_s"] for i in imports_bytecode])
    figures["import_bytecode_best_s"] = min(i["import_s"] for i in imports_bytecode)
    figures["import_bytecode_process_cpu_s"] = median([i["process_cpu_s"] for i in imports_bytecode])
    figures["import_s"] = median([i["import_s"] for i in imports])
    figures["import_best_s"] = min(i["import_s"] for i in imports)
    figures["import_process_cpu_s"] = median([i["process_cpu_s"] for i in imports])
    figures["load"] = os.getloadavg()
    figures["runs"] = runs
    figures["districts_ms"] = districts

    print(f"pytest run of one test (whole process, wall clock), median of {args.repeat}; "
          f"load average at the end {figures['load'][0]:.2f}:")
    print(f"  plain test                                 {figures['plain_s']:.2f} s   "
          f"(CPU {figures['plain_cpu_s']:.2f} s)")
    for mode in modes:
        key = mode.replace("-", "_")
        print(f"  test using boi_district, {mode:<10}        {figures[f'district_{key}_s']:.2f} s   first use "
              f"+{figures[f'first_use_{key}_s']:.2f} s, CPU +{figures[f'first_use_{key}_cpu_s']:.2f} s "
              f"(fixture setup {figures[f'setup_{key}_s']:.2f} s, server start {figures[f'started_in_{key}_s']:.2f} s)")
    for mode in modes:
        key = mode.replace("-", "_")
        print(f"  each further boi_district, {mode:<10}      {figures[f'per_district_{key}_ms']:.1f} ms median, "
              f"p90 {figures[f'per_district_{key}_p90_ms']:.1f} ms ({len(districts[mode])} districts)")
    print(f"  python -X importtime -c 'import boi_mock.main': {figures['import_s']:.2f} s median, "
          f"best {figures['import_best_s']:.2f} s (process CPU {figures['import_process_cpu_s']:.2f} s)")
    f = figures
    print("  as installed (bytecode compiled once): first use in-process "
          f"+{f['first_use_in_process_bytecode_s']:.2f} s, "
          f"CPU +{f['first_use_in_process_bytecode_cpu_s']:.2f} s; import {f['import_bytecode_s']:.2f} s median, "
          f"best {f['import_bytecode_best_s']:.2f} s (process CPU {f['import_bytecode_process_cpu_s']:.2f} s)")
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
