"""Run every benchmark, print a summary table and write a results file (`make bench`).

    .venv/bin/python bench/run_all.py                    # all, full size → bench/results.md
    .venv/bin/python bench/run_all.py --quick            # all, small sizes → bench/out/results.md
    .venv/bin/python bench/run_all.py peers scale        # a subset → bench/out/results.md
    .venv/bin/python bench/run_all.py --list             # the benchmarks and their arguments
    make bench ARGS="--quick --skip sync"

Each benchmark runs in its own subprocess (own process group) with a time limit; its stdout and
stderr go to bench/out/<name>.{stdout,stderr}. A benchmark that fails or runs out of time is
reported as such and the others go on. Figures are parsed from each benchmark's output (the
benchmarks in this folder that were written for it, peers, scale and plugin_startup, write JSON),
and the raw output is kept in the results file too, so nothing is lost when a format changes.

Only a full run (every benchmark, no --quick) writes bench/results.md unless --output says
otherwise, so a quick or partial run never overwrites the committed figures. The machine is
shared and noisy: compare the ratios taken within one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import operator
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PY = sys.executable


@dataclass
class Target:
    """A target from the issues/docs: `met` is None when the figure was not produced."""

    bench: str
    what: str
    target: str
    source: str
    measured: str = "—"
    met: bool | None = None
    first_round: str = "—"  # issue 12's "today" column: the figure before its work began
    vs_target: str = "—"  # measured ÷ the target's number


# Issue 12's table: its targets' figures when the issue was filed ("today"), by (benchmark, what) prefix.
FIRST_ROUND = {
    ("peers", "create-then-read req/s, boi-mock ÷ moto"): "0.29 to 0.37x",
    ("pipeline", "GET /attributes/genders p50 ÷ GET /_mock/health p50"): "2.1 to 3.1x",
    ("pipeline", "POST /staffMembers (full staff member) p50 ÷ GET /_mock/health p50"): "4.9 to 6.4x",
    ("plugin_startup", "first `boi_district` use"): "4 to 12 s",
    ("plugin_startup", "import of the app"): "2 to 4 s (part of the first use)",
    ("foundation", "`boi-mock serve` → healthy on an existing database (issue 12)"): "1.0 to 3.0 s",
    ("scale", "STAFF-3 name search p50, 100k ÷ 1k persons"): "8.9x",
    ("sync", "sync commit (job) (first sync"): "not measured",
}


@dataclass
class Parsed:
    figures: list[tuple[str, str]] = field(default_factory=list)
    ratios: list[tuple[str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)  # the figures as a Markdown table (rows and columns)


@dataclass
class Bench:
    name: str
    title: str
    argv: list[str]  # after the interpreter
    quick_argv: list[str]
    timeout: float
    quick_timeout: float
    parse: Callable[[str, dict[str, Any] | None], Parsed]
    json_flag: bool = False  # the benchmark takes --json FILE


@dataclass
class Outcome:
    bench: Bench
    status: str  # ok | failed (exit N) | timeout | error
    seconds: float
    command: str
    stdout: str
    stderr: str
    parsed: Parsed
    load: str = "?"  # load averages (1, 5, 15 min) when it started


# --- helpers ---------------------------------------------------------------------------------------------

NUM = r"([-\d.,]+|nan|inf)"


def num(text: str) -> float:
    return float(text.replace(",", ""))


def fmt(value: float, digits: int = 2) -> str:
    if value != value:  # nan
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def target(bench: str, what: str, goal: str, source: str, value: float | None, unit: str,
           ok: Callable[[float], bool], digits: int = 2) -> Target:
    if value is None or value != value:
        return Target(bench, what, goal, source)
    shown = f"{value:,}" if isinstance(value, int) else fmt(value, digits)
    measured = f"{shown}{unit}" if unit == "x" else f"{shown} {unit}".strip()
    goal_number = re.search(r"[\d,.]+", goal.replace("≈", ""))
    vs = "—"
    if goal_number and num(goal_number.group(0).rstrip(".")):
        vs = f"{value / num(goal_number.group(0).rstrip('.')):.2f}"
    return Target(bench, what, goal, source, measured, ok(value), vs_target=vs)


# --- parsers (one per benchmark; tolerant: a missing line just leaves a figure out) ---------------------


def parse_foundation(out: str, _data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    for label, value in re.findall(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|$", out, re.M):
        if label in ("figure", "---") or set(label) <= {"-"}:
            continue
        p.figures.append((label, value))
    cold = re.search(r"cold start on an existing database[^|]*\|\s*" + NUM + r"\s*s", out)
    p.targets.append(target("foundation", "`boi-mock serve` cold start on an existing database",
                            "≈ 1 s (read as ≤ 1.5 s)", "README: \"starts in about a second\"",
                            num(cold.group(1)) if cold else None, "s", lambda v: v <= 1.5))
    p.targets.append(target("foundation", "`boi-mock serve` → healthy on an existing database (issue 12)",
                            "≤ 1.0 s", "issue 12 (targets)", num(cold.group(1)) if cold else None, "s",
                            lambda v: v <= 1.0))
    return p


def parse_plugin(_out: str, data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    if not data:
        return p
    p.notes.append(f"whole `python -m pytest` processes, median of {data.get('repeat')} runs per variant; "
                   "first use = a one-test run using `boi_district` minus the same run without it (wall and CPU)")
    p.figures.append(("one trivial test, no fixture", f"{fmt(data['plain_s'])} s (CPU {fmt(data['plain_cpu_s'])} s)"))
    for mode in ("in_process", "socket"):
        if f"first_use_{mode}_s" not in data:
            continue
        shown = mode.replace("_", "-")
        p.figures += [
            (f"first use of `boi_district`, {shown}", f"+{fmt(data[f'first_use_{mode}_s'])} s "
                                                       f"(CPU +{fmt(data[f'first_use_{mode}_cpu_s'])} s)"),
            (f"each further `boi_district`, {shown}", f"{fmt(data[f'per_district_{mode}_ms'], 1)} ms median"),
        ]
    p.figures.append(("`python -X importtime -c 'import boi_mock.main'`",
                      f"{fmt(data['import_s'])} s median, best {fmt(data['import_best_s'])} s"))
    if "import_bytecode_s" in data:
        p.figures += [
            ("as installed (bytecode): first use of `boi_district`, in-process",
             f"+{fmt(data['first_use_in_process_bytecode_s'])} s "
             f"(CPU +{fmt(data['first_use_in_process_bytecode_cpu_s'])} s)"),
            ("as installed (bytecode): `python -X importtime -c 'import boi_mock.main'`",
             f"{fmt(data['import_bytecode_s'])} s median, best {fmt(data['import_bytecode_best_s'])} s "
             f"(process CPU {fmt(data['import_bytecode_process_cpu_s'])} s)")]
    source = "issue 12 item 4"
    p.targets += [
        target("plugin_startup", "first `boi_district` use, in-process (pytest process, wall)", "≤ 1.0 s", source,
               data.get("first_use_in_process_s"), "s", lambda v: v <= 1.0),
        target("plugin_startup", "first `boi_district` use, in-process, as installed (bytecode; pytest process, wall)",
               "≤ 1.0 s", source, data.get("first_use_in_process_bytecode_s"), "s", lambda v: v <= 1.0),
        target("plugin_startup", "each `boi_district`, in-process", "≤ 30 ms", source,
               data.get("per_district_in_process_ms"), "ms", lambda v: v <= 30, 1),
        target("plugin_startup", "import of the app (`-X importtime`, median)", "≤ 0.8 s", source,
               data.get("import_s"), "s", lambda v: v <= 0.8),
        target("plugin_startup", "import of the app, as installed (bytecode; `-X importtime`, median)", "≤ 0.8 s",
               source, data.get("import_bytecode_s"), "s", lambda v: v <= 0.8),
    ]
    return p


def parse_pipeline(out: str, _data: dict[str, Any] | None) -> Parsed:
    """bench/pipeline.py: one client, health / genders / POST interleaved over rounds; issue 12's two ratios."""
    p = Parsed()
    head = re.search(r"^pipeline: (.*?), sqlite", out, re.M)
    if head:
        p.notes.append(head.group(1) + ", SQLite, the district of src/boi_mock/seed/minimal.json")
    for name, value in re.findall(r"^\s+(health|genders|post)\s+p50\s+" + NUM + " ms", out, re.M):
        label = {"health": "GET /_mock/health (floor) p50", "genders": "GET /attributes/genders p50",
                 "post": "POST /staffMembers (full staff member) p50"}[name]
        p.figures.append((label, f"{value} ms"))
    for kind, goal in (("genders", 1.5), ("POST", 3.0)):
        found = re.search(rf"^\s+{kind}\s+/ health p50 = " + NUM, out, re.M)
        what = ("GET /attributes/genders p50 ÷ GET /_mock/health p50, 1 client" if kind == "genders" else
                "POST /staffMembers (full staff member) p50 ÷ GET /_mock/health p50, 1 client")
        if found:
            p.ratios.append((what, f"{found.group(1)}x"))
        p.targets.append(target("pipeline", what, f"≤ {goal}x", "issue 12 (targets)",
                                num(found.group(1)) if found else None, "x", functools.partial(operator.ge, goal)))
    return p


def parse_addresses_parse(out: str, _data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    head = re.search(r"(\d+) addresses, (\d+) unparseable, best of (\d+): " + NUM + "s", out)
    rate = re.search(NUM + r" addresses/s", out)
    if head:
        p.figures.append(("street lines parsed + keyed", f"{head.group(1)} ({head.group(2)} unparseable), "
                                                         f"best of {head.group(3)}: {head.group(4)} s"))
    if rate:
        p.figures.append(("throughput (parse + Pub 28 normalise + match key)", f"{rate.group(1)} addresses/s"))
    return p


def parse_addresses(out: str, _data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    for block in re.split(r"\n== ", "\n" + out)[1:]:
        backend = block.split(":", 1)[0].strip()
        header = re.search(r"^operation\s+(.*)$", block, re.M)
        sizes = re.findall(r"([\d,]+) p50/p99 ms", header.group(1)) if header else []
        for kind, rest in re.findall(r"^(key lookup|exact hit|full-line hit|search miss|create)\s+(.*)$",
                                     block, re.M):
            pairs = re.findall(NUM + r" / " + NUM, rest)
            ratio = re.search(NUM + r"x\s*$", rest)
            values = ", ".join(f"{s}: {a} / {b}" for s, (a, b) in zip(sizes, pairs, strict=False))
            p.figures.append((f"{backend}: {kind} p50 / p99 ms", values))
            if ratio:
                p.ratios.append((f"address {kind} p50, {sizes[-1] if sizes else 'largest'} ÷ "
                                 f"{sizes[0] if sizes else 'smallest'} addresses ({backend})", f"{ratio.group(1)}x"))
        worst = re.search(r"worst p50 ratio " + NUM + "x", block)
        p.targets.append(target("addresses", f"address match p50, 100k ÷ 1k addresses, worst operation ({backend})",
                                "≤ 1.5x", "bench/addresses.py (ADDR-4/5 use an index)",
                                num(worst.group(1)) if worst else None, "x", lambda v: v <= 1.5))
    return p


def parse_staff_api(out: str, _data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    head = re.search(r"staff API benchmark: (\d+) requests each, (\d+) concurrent clients", out)
    if head:
        p.notes.append(f"{head.group(1)} requests per operation, {head.group(2)} concurrent clients, "
                       "the 3,000-person demo district")
    for name, p50, p99, rps, r50, r99, errors in re.findall(
            r"^(\S.*?)\s+" + r"\s+".join([NUM] * 5) + r"\s+(\d+)$", out, re.M):
        p.figures.append((name, f"p50 {p50} ms, p99 {p99} ms, {rps} req/s, errors {errors}"))
        if "floor" not in name:
            p.ratios.append((f"{name} ÷ GET /_mock/health (p50 / p99)", f"{r50}x / {r99}x"))
        goal = STAFF_API_TARGETS.get(name)
        if goal is not None:
            p.targets.append(target("staff_api", f"{name} p50 ÷ GET /_mock/health p50 (8 clients)", f"≤ {goal}x",
                                    "issue 3", float(r50), "x", functools.partial(operator.ge, goal)))
    return p


# Issue 3: POST p50 at most 4x the framework floor p50, GET at most 2x.
STAFF_API_TARGETS = {"POST /staffMembers": 4.0, "GET /staffMembers/{n}": 2.0}


SYNC_TARGETS = {"transfer": ("≥ 2,000 staff/s", lambda v: v >= 2000, "staff/s"),
                "validate": ("≤ 5 s", lambda v: v <= 5, "s"), "commit": ("≤ 60 s", lambda v: v <= 60, "s")}
SYNC_CASES = {"unchanged": "mostly unchanged", "first": "first sync, all new"}


def parse_sync(out: str, _data: dict[str, Any] | None) -> Parsed:
    """bench/sync.py prints one block per case (`== unchanged: …`, `== first: …`)."""
    p = Parsed()
    for block in re.split(r"^== ", out, flags=re.M)[1:]:
        case, _, head = block.partition(":")
        head = head.splitlines()[0].strip() if head else ""
        p.notes.append(f"{case}: {head}")
        hr = re.search(r"([\d,]+) HR staff", head)
        size = f" ({SYNC_CASES.get(case, case)}, {int(hr.group(1).replace(',', '')):,} HR staff)" if hr else ""
        setup = re.search(r"^setup: (.*)$", block, re.M)
        if setup:
            p.figures.append((f"{case}: setup", setup.group(1)))
        phases: dict[str, tuple[float, float]] = {}
        for phase, seconds, rows in re.findall(r"^(transfer|validate|commit \(job\)|commit \(synchronous\))\s+"
                                               + NUM + r"\s+" + NUM, block, re.M):
            phases[phase] = (num(seconds), num(rows))
            p.figures.append((f"{case}: {phase}", f"{seconds} s ({rows} rows/s)"))
        rss = re.search(r"^peak RSS\s+" + NUM + r" MB.*?(\(district creation.*\))$", block, re.M)
        if rss:
            p.figures.append((f"{case}: server peak RSS", f"{rss.group(1)} MB {rss.group(2)}"))
        floor = re.search(r"floor: (.*?); commit ÷ floor = " + NUM, block)
        if floor:
            p.figures.append((f"{case}: floor", floor.group(1)))
            p.ratios.append((f"sync commit ÷ one executemany of the same staff rows ({case})", f"{floor.group(2)}x"))
        for line in ("job", "report summary"):
            found = re.search(rf"^{line}: (.*)$", block, re.M)
            if found:
                p.figures.append((f"{case}: {line}", found.group(1)))
        for phase in ("transfer", "validate", "commit (job)", "commit (synchronous)"):
            goal, ok, unit = SYNC_TARGETS[phase.split(" ")[0]]
            value = phases.get(phase)
            if value is None and phase == "commit (synchronous)":
                continue  # only the first sync times it (and --no-inline skips it)
            measured = None if value is None else (value[1] if phase == "transfer" else value[0])
            p.targets.append(target("sync", f"sync {phase}{size}", goal, "issue 12 item 8; bench/sync.py", measured,
                                    unit, ok, digits=0 if phase == "transfer" else 2))
        p.targets.append(target("sync", f"sync server peak RSS, district creation included{size}", "≤ 500 MB",
                                "issue 12 item 8; bench/sync.py", num(rss.group(1)) if rss else None, "MB",
                                lambda v: v <= 500, digits=0))
    return p


def parse_lifecycle(out: str, _data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    head = re.search(r"^district create \+ delete, (.*)$", out, re.M)
    if head:
        p.notes.append(head.group(1))
    small = None
    for name, med, p95, low, create in re.findall(
            r"^\s+(\w+)\s+median\s+" + NUM + r" ms\s+p95\s+" + NUM + r" ms\s+min\s+" + NUM
            + r" ms\s+\(create alone: median " + NUM + r" ms\)", out, re.M):
        p.figures.append((f"create + delete, {name} district",
                          f"median {med} ms, p95 {p95} ms, min {low} ms (create alone: median {create} ms)"))
        if name == "small":
            small = num(med)
    p.targets.append(target("district_lifecycle", "create + delete of the plugin's small district (median)",
                            "≤ 50 ms", "bench/district_lifecycle.py (MOCK-2)", small, "ms", lambda v: v <= 50))
    return p


def parse_peers(_out: str, data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    if not data:
        return p
    p.notes.append(f"{data['iterations']} create+read iterations ({2 * data['iterations']} requests) per server, "
                   f"{data['clients']} concurrent clients, servers run one after the other")
    p.table = ["| server | workload | req/s | create p50 / p99 ms | read p50 / p99 ms | start s | RSS MB | "
               "unexpected answers |", "|---|---|---|---|---|---|---|---|"]
    for name, r in data["results"].items():
        if r.get("status") != "ok":
            p.table.append(f"| {name} | **{r.get('status')}**: {r.get('reason', '')} | | | | | | |")
            continue
        version = f" {r['version']}" if r.get("version") else ""
        c, rd = r["steps"]["create"], r["steps"]["read"]
        p.table.append(f"| {name}{version} | {r.get('workload', '')} | {fmt(r['rps'], 0)} | {fmt(c['p50_ms'])} / "
                       f"{fmt(c['p99_ms'])} | {fmt(rd['p50_ms'])} / {fmt(rd['p99_ms'])} | {fmt(r['started_in_s'])} | "
                       f"{fmt(r['rss_mb'], 0)} | {r['unexpected']} |")
    for peer, q in data.get("ratios", {}).items():
        p.ratios.append((f"boi-mock ÷ {peer}: requests/s (above 1: boi-mock faster)", f"{fmt(q['rps'])}x"))
        if peer == "moto":
            p.targets.append(target("peers", f"create-then-read req/s, boi-mock ÷ moto, {data['clients']} clients",
                                    "≥ 1.0x (aim 1.5x)", "issue 12 (targets)", q["rps"], "x", lambda v: v >= 1.0))
        p.ratios.append((f"boi-mock ÷ {peer}: create p50 / p99 (above 1: boi-mock slower)",
                         f"{fmt(q['create_p50'])}x / {fmt(q['create_p99'])}x"))
        p.ratios.append((f"boi-mock ÷ {peer}: read p50 / p99 (above 1: boi-mock slower)",
                         f"{fmt(q['read_p50'])}x / {fmt(q['read_p99'])}x"))
    return p


def parse_replicas(_out: str, data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    if not data:
        return p
    p.notes.append(f"{data['iterations']} create+read iterations per configuration, {data['clients']} clients spread "
                   f"over the replicas, one district, {data['cores']} cores (servers, clients and PostgreSQL share "
                   "them); a fresh database each")
    p.table = ["| database | replicas | req/s | create p50 / p99 ms | read p50 / p99 ms | server CPU ms/req | "
               "server CPU share of cores | backends waiting on a lock (mean) | connections (max) |",
               "|---|---|---|---|---|---|---|---|---|"]
    base = None
    for r in data["results"]:
        pg = r["backend"] == "postgresql"
        p.table.append(f"| {r['backend']} | {r['replicas']} | {fmt(r['rps'], 0)} | {fmt(r['create_p50_ms'])} / "
                       f"{fmt(r['create_p99_ms'])} | {fmt(r['read_p50_ms'])} / {fmt(r['read_p99_ms'])} | "
                       f"{fmt(r['server_cpu_ms_per_request'])} | {fmt(100 * r['server_cpu_share_of_cores'], 0)}% | "
                       f"{fmt(r['lock_waiting_backends_mean']) if pg else '—'} | "
                       f"{r['connections_max'] if pg else '—'} |")
        if pg and r["replicas"] == 1:
            base = r["rps"]
        elif pg and base:
            p.ratios.append((f"PostgreSQL, {r['replicas']} replicas ÷ 1 replica: req/s", f"{fmt(r['rps'] / base)}x"))
    return p


def parse_scale(_out: str, data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    if not data:
        return p
    results = data.get("results", [])
    p.notes.append(f"HR export of {data['hr']:,} staff at every size; {data['creates']} creates and "
                   f"{data['reads']} reads/searches per size, single client, sizes interleaved; "
                   f"transfer and validate: median of {data.get('validations', 1)} rounds")
    p.notes.append("staff = max(HR export, 10% of persons), the others are students and parents in households of "
                   "three; the staff made by the create test (creates + 10 warm-up) are Campus staff the HR export "
                   "does not hold, hence campusStaffNotInHr")
    p.table = ["| persons | staff | build s | DB MB | serve cold start s | staff create p50 / p99 ms | "
               "staff read p50 ms | name search p50 ms | sync transfer s | sync validate s | report kB "
               "(campusStaffNotInHr) | server peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rep = r.get("report", {})
        p.table.append(
            f"| {r['persons']:,} | {r['staff']:,} | {fmt(r['build_s'], 1)} | {fmt(r['db_mb'], 0)} | "
            f"{fmt(r['cold_start_s'])} | {fmt(r['create']['p50_ms'], 1)} / {fmt(r['create']['p99_ms'], 1)} | "
            f"{fmt(r['read']['p50_ms'], 1)} | {fmt(r['search']['p50_ms'], 1)} | {fmt(r['transfer_s'])} | "
            f"{fmt(r['validate_s'])} | {fmt(r['report_kb'], 0)} ({rep.get('campusStaffNotInHr', '?')}) | "
            f"{fmt(r['peak_rss_mb'], 0)} |")
    for q in data.get("ratios", [])[1:]:
        label = f"{q['persons']:,} ÷ {results[0]['persons']:,} persons ({fmt(q['size_ratio'], 0)}x)"
        p.ratios.append((f"{label}: staff create p50", f"{fmt(q['create_p50'])}x"))
        p.ratios.append((f"{label}: staff read p50 / name search p50",
                         f"{fmt(q['read_p50'])}x / {fmt(q['search_p50'])}x"))
        p.ratios.append((f"{label}: sync transfer / validate ({data['hr']:,} HR staff)",
                         f"{fmt(q['transfer'])}x / {fmt(q['validate'])}x"))
        p.ratios.append((f"{label}: `boi-mock serve` cold start", f"{fmt(q['cold_start'])}x"))
    flat = [q for q in data.get("ratios", [])[1:] if q["persons"] >= 100_000]
    p.targets.append(target("scale", "STAFF-3 name search p50, 100k ÷ 1k persons", "≤ 1.5x", "issue 12 item 6",
                            flat[-1]["search_p50"] if flat else None, "x", lambda v: v <= 1.5))
    largest = max((r["persons"] for r in results), default=0)
    total = data.get("total_s")
    measured = f"largest {largest:,} persons, whole run {fmt((total or 0) / 60, 1)} min"
    met: bool | None = largest >= 100_000 and (total or 1e9) <= 600
    if largest < 100_000 and not data.get("failure"):
        measured, met = measured + " (100k not asked for: --quick or --sizes)", None
    p.targets.append(Target("scale", "a 100k-person district is built and measured", "in minutes (≤ 10 min)",
                            "issue 8", measured, met))
    if data.get("failure"):
        p.notes.append(f"stopped: {data['failure']}")
    return p


def parse_soak(_out: str, data: dict[str, Any] | None) -> Parsed:
    p = Parsed()
    if not data:
        return p
    args = data.get("args", {})
    p.notes.append(f"{args.get('seconds', '?')} s of mixed BOI load at {args.get('rate', '?')} req/s from "
                   f"{args.get('clients', '?')} clients; one row per {args.get('bucket', '?')} s")
    p.table = ["| until s | requests | req/s | p50 ms | p99 ms | RSS MB | 5xx | no answer |",
               "|---|---|---|---|---|---|---|---|"]
    bucket = float(args.get("bucket", 60))
    for r in data.get("minutes", []):
        p.table.append(f"| {r['minute'] * bucket:.0f} | {r['requests']} | {fmt(r['rps'], 1)} | {fmt(r['p50_ms'], 1)} | "
                       f"{fmt(r['p99_ms'], 1)} | {fmt(r['rss_mb'], 1)} | {r['server_errors']} | "
                       f"{r['transport_errors']} |")
    p.figures.append(("RSS after the first interval → at the end",
                      f"{fmt(data['rss_start_mb'], 1)} → {fmt(data['rss_end_mb'], 1)} MB "
                      f"(growth {fmt(data['rss_growth_mb'], 1)} MB)"))
    p.figures.append(("requests; 5xx; without answer",
                      f"{data['requests']}; {data['server_errors']}; {data['transport_errors']}"))
    p.ratios.append(("soak p99, last interval ÷ first", f"{fmt(data['p99_drift'])}x"))
    p.ratios.append(("soak RSS, end ÷ after the first interval",
                     f"{fmt(data['rss_end_mb'] / data['rss_start_mb'])}x" if data["rss_start_mb"] else "n/a"))
    failures = data["server_errors"] + data["transport_errors"]
    p.targets.append(target("soak", "5xx answers or requests without an answer under steady load", "0",
                            "CONTRACT §1 (\"a 5xx is always a defect\")", failures, "", lambda v: v == 0))
    return p


def _postgres_binaries() -> bool:
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))) or shutil.which("initdb") is not None


# bench/addresses.py also measures a throwaway PostgreSQL cluster when the server binaries are here.
PG = ["--postgresql"] if _postgres_binaries() else []

BENCHES = [
    Bench("foundation", "Cold start and district creation (bench/foundation.py)", ["bench/foundation.py"],
          ["bench/foundation.py"], 1200, 900, parse_foundation),
    Bench("plugin_startup", "pytest plugin start-up (bench/plugin_startup.py)", ["bench/plugin_startup.py",
          "--repeat", "3"], ["bench/plugin_startup.py", "--repeat", "1"], 900, 400, parse_plugin, json_flag=True),
    Bench("district_lifecycle", "District create + delete (bench/district_lifecycle.py)",
          ["bench/district_lifecycle.py", "--rounds", "50"], ["bench/district_lifecycle.py", "--rounds", "15"],
          600, 300, parse_lifecycle),
    Bench("addresses_parse", "Address parsing throughput (bench/addresses_parse.py)",
          ["bench/addresses_parse.py", "--count", "10000", "--repeat", "3"],
          ["bench/addresses_parse.py", "--count", "2000", "--repeat", "1"], 900, 300, parse_addresses_parse),
    Bench("addresses", "Address match latency, 1k vs 100k addresses (bench/addresses.py)",
          ["-m", "bench.addresses", "--sizes", "1000", "100000", "--ops", "500", *PG],
          ["-m", "bench.addresses", "--sizes", "1000", "100000", "--ops", "100", *PG], 1800, 900, parse_addresses),
    Bench("pipeline", "Per-call machinery: BOI calls ÷ the health floor, 1 client (bench/pipeline.py)",
          ["bench/pipeline.py", "--n", "1000", "--rounds", "3"], ["bench/pipeline.py", "--n", "300", "--rounds", "2"],
          900, 300, parse_pipeline),
    Bench("staff_api", "Staff member API (bench/staff_api.py)", ["bench/staff_api.py", "--n", "2000"],
          ["bench/staff_api.py", "--n", "300"], 1500, 600, parse_staff_api),
    Bench("sync", "Staff synchronization: mostly unchanged, and a first sync of all-new staff (bench/sync.py)",
          ["bench/sync.py", "--staff", "20000"], ["bench/sync.py", "--staff", "2000"], 3600, 900, parse_sync),
    Bench("soak", "Soak: steady mixed load, memory and latency drift (bench/soak.py)",
          ["bench/soak.py", "--seconds", "600"], ["bench/soak.py", "--seconds", "60", "--bucket", "15"], 1200, 300,
          parse_soak, json_flag=True),
    Bench("peers", "Peers: boi-mock vs moto vs Prism (bench/peers.py)",
          ["bench/peers.py", "--iterations", "1000", "--clients", "4"],
          ["bench/peers.py", "--iterations", "200", "--clients", "4"], 1500, 600, parse_peers, json_flag=True),
    *([Bench("replicas", "Replicas: 1, 2, 3 on PostgreSQL beside 1 on SQLite (bench/replicas.py)",
             ["bench/replicas.py", "--iterations", "600"], ["bench/replicas.py", "--iterations", "150"], 1200, 600,
             parse_replicas, json_flag=True)] if PG else []),
    Bench("scale", "Scale: 1k / 10k / 100k Campus persons (bench/scale.py)", ["bench/scale.py"],
          ["bench/scale.py", "--sizes", "1000", "10000", "--creates", "50", "--reads", "30", "--validations", "1"],
          2400, 900, parse_scale, json_flag=True),
]

# Targets whose benchmark was not run (or failed) are still listed, as "not measured".
NOT_MEASURED = [
    ("MOCK-3 reset of a small district", "well under 100 ms", "CONTRACT MOCK-3",
     "no benchmark times POST /_mock/districts/{app}/reset; district_lifecycle times create + delete"),
]


# --- running ---------------------------------------------------------------------------------------------


def run_bench(bench: Bench, quick: bool, timeout_factor: float, extra_env: dict[str, str]) -> Outcome:
    argv = list(bench.quick_argv if quick else bench.argv)
    json_path = OUT / f"{bench.name}.json"
    json_path.unlink(missing_ok=True)
    if bench.json_flag:
        argv += ["--json", str(json_path)]
    cmd = [PY, *argv]
    shown = " ".join([".venv/bin/python", *argv]).replace(str(OUT) + "/", "bench/out/")
    limit = (bench.quick_timeout if quick else bench.timeout) * timeout_factor
    print(f"\n=== {bench.name}: {shown}  (time limit {limit:.0f}s)", flush=True)
    stdout_path, stderr_path = OUT / f"{bench.name}.stdout", OUT / f"{bench.name}.stderr"
    load = load_average()
    began = time.perf_counter()
    with open(stdout_path, "wb") as so, open(stderr_path, "wb") as se:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=so, stderr=se, stdin=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **extra_env}, start_new_session=True)
        try:
            rc = proc.wait(limit)
            status = "ok" if rc == 0 else f"failed (exit {rc})"
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            status = f"timeout ({limit:.0f}s)"
        except KeyboardInterrupt:
            _kill_group(proc)
            raise
    seconds = time.perf_counter() - began
    stdout = stdout_path.read_text(errors="replace")
    stderr = stderr_path.read_text(errors="replace")
    data = None
    if json_path.exists():
        try:
            data = json.loads(json_path.read_text())
        except ValueError:
            data = None
    try:
        parsed = bench.parse(stdout, data)
    except Exception as exc:  # a format change in a benchmark must not lose the others' results
        parsed = Parsed(notes=[f"could not parse the output: {type(exc).__name__}: {exc}"])
    print(stdout.rstrip()[-4000:])
    if status != "ok":
        print(f"--- {bench.name} {status}; stderr tail:\n{stderr.rstrip()[-2000:]}")
    print(f"=== {bench.name}: {status} in {seconds:.0f}s", flush=True)
    return Outcome(bench, status, seconds, shown, stdout, stderr, parsed, load)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """The benchmark and every server it started (they share its process group, unless they made their own)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(15)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the machine -----------------------------------------------------------------------------------------


def _first_line(cmd: list[str]) -> str | None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if done.returncode == 0 and text else None


def _postgres_version() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), reverse=True)
    for cmd in ([str(candidates[0]), "--version"] if candidates else None, ["postgres", "--version"],
                ["pg_config", "--version"]):
        if cmd and (cmd[0].startswith("/") or shutil.which(cmd[0])):
            found = _first_line(cmd)
            if found:
                used = "addresses also runs on it" if PG else "not used"
                return f"{found} (server binaries; {used}; everything else runs on SQLite)"
    return "not installed"


def _dist_version(name: str) -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpu = "unknown"
    mem_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    prism = BENCH / ".node" / "node_modules" / ".bin" / "prism"
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain"], capture_output=True, text=True,
                           cwd=ROOT, check=False).stdout.strip()
    return {
        "CPU": f"{cpu} ({platform.machine()})",
        "cores": str(os.cpu_count()),
        "RAM": f"{mem_kb / 2**20:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": _postgres_version(),
        "SQLAlchemy / FastAPI / uvicorn": " / ".join(_dist_version(n) for n in ("sqlalchemy", "fastapi", "uvicorn")),
        "Node.js": _first_line(["node", "--version"]) or "not installed",
        "moto": _dist_version("moto"),
        "Prism": (_first_line([str(prism), "--version"]) if prism.exists() else None) or "not installed",
        "commit": commit + (" + uncommitted changes" if dirty else ""),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "unset"),
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- the report ------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(outcomes: list[Outcome], info: dict[str, str], meta: dict[str, str]) -> str:
    lines = ["# boi-mock benchmark results", "",
             f"Written by `{meta['command']}` on {meta['date']} in {meta['duration']}"
             f" ({meta['mode']}). Every figure below comes from this one run; the benchmarks ran one after",
             "another, each in its own process, on a machine shared with other work (load average "
             f"{meta['load_before']} before, {meta['load_after']} after, on {info['cores']} cores), so absolute",
             "figures are noisy: the ratios, taken within one benchmark and one run, are the meaningful part.",
             "How to run and what each benchmark does: [bench/README.md](README.md)."]
    if info.get("PYTHONDONTWRITEBYTECODE", "unset") not in ("", "unset", "0"):
        lines += ["", "PYTHONDONTWRITEBYTECODE is set here, so every Python process compiles boi-mock's own modules "
                  "from source (the installed packages have .pyc files from pip): every cold start below "
                  "(serve, the pytest plugin) includes that."]
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in info.items()]
    lines += ["", "## Targets", "",
              "\"first round\": the figure issue 12 gave when it was filed (its \"today\" column), for its targets; "
              "\"÷ target\": this run's figure divided by the target's number (a ≤ target is met at 1.00 or less, "
              "a ≥ target at 1.00 or more).", "",
              "| benchmark | what | target | source | first round | measured | ÷ target | met |",
              "|---|---|---|---|---|---|---|---|"]
    ran = {o.bench.name for o in outcomes}
    for o in outcomes:
        for t in o.parsed.targets:
            verdict = {True: "met", False: "**not met**",
                       None: "not measured" + ("" if o.status == "ok" else f" ({o.status})")}[t.met]
            first = t.first_round if t.first_round != "—" else next(
                (v for (b, w), v in FIRST_ROUND.items() if b == t.bench and t.what.startswith(w)), "—")
            lines.append(f"| {t.bench} | {_cell(t.what)} | {_cell(t.target)} | {_cell(t.source)} | {_cell(first)} | "
                         f"{_cell(t.measured)} | {t.vs_target} | {verdict} |")
    for what, goal, source, why in NOT_MEASURED:
        lines.append(f"| — | {what} | {goal} | {source} | — | — | — | not measured: {why} |")
    lines += ["", "## Ratios", "", "| benchmark | ratio | value |", "|---|---|---|"]
    for o in outcomes:
        lines += [f"| {o.bench.name} | {_cell(label)} | {_cell(value)} |" for label, value in o.parsed.ratios]
    lines += ["", "## Benchmarks", "", "| benchmark | status | seconds | load average at its start | command |",
              "|---|---|---|---|---|"]
    lines += [f"| {o.bench.name} | {o.status} | {o.seconds:.0f} | {o.load} | `{o.command}` |" for o in outcomes]
    skipped = [b.name for b in BENCHES if b.name not in ran]
    if skipped:
        lines += ["", f"Not run this time (not selected): {', '.join(skipped)}."]
    for o in outcomes:
        lines += ["", f"### {o.bench.title}", "", f"Status: **{o.status}** ({o.seconds:.0f} s). `{o.command}`"]
        lines += [""] + [f"* {_cell(n)}" for n in o.parsed.notes] if o.parsed.notes else []
        if o.parsed.table:
            lines += ["", *o.parsed.table]
        if o.parsed.figures:
            lines += ["", "| figure | value |", "|---|---|"]
            lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in o.parsed.figures]
        if o.status != "ok":
            lines += ["", "Last lines of its stderr:", "", "```", o.stderr.rstrip()[-3000:] or "(empty)", "```"]
    lines += ["", "## Raw output", "", "Each benchmark's stdout as printed (also in bench/out/ after a run)."]
    for o in outcomes:
        lines += ["", f"<details><summary>{o.bench.name}</summary>", "", "```",
                  o.stdout.rstrip()[-12000:] or "(no output)", "```", "", "</details>"]
    return "\n".join(lines) + "\n"


def print_summary(outcomes: list[Outcome]) -> None:
    print("\n" + "=" * 100)
    print(f"{'benchmark':<20}{'status':<18}{'seconds':>8}  figures")
    print("-" * 100)
    for o in outcomes:
        first = o.parsed.ratios[:2] or o.parsed.figures[:2] or [("status", o.status)]
        text = "; ".join(f"{k}: {v}" for k, v in first)
        print(f"{o.bench.name:<20}{o.status:<18}{o.seconds:>8.0f}  {text[:160]}")
    targets = [t for o in outcomes for t in o.parsed.targets]
    if targets:
        print("\ntargets:")
        for t in targets:
            verdict = {True: "met", False: "NOT MET", None: "not measured"}[t.met]
            print(f"  {verdict:<13} {t.bench}: {t.what}: {t.measured} (target {t.target})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all); see --list")
    parser.add_argument("--skip", action="append", default=[], help="a benchmark not to run (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small sizes: about 6 minutes instead of about 20")
    parser.add_argument("--output", default=None,
                        help="results file (default: bench/results.md for a full run, else bench/out/results.md)")
    parser.add_argument("--timeout-factor", type=float, default=1.0, help="multiply every time limit")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for b in BENCHES:
            print(f"{b.name:<20}{' '.join(b.argv)}\n{'':<20}quick: {' '.join(b.quick_argv)}")
        return 0
    known = {b.name for b in BENCHES}
    unknown = [n for n in [*args.names, *args.skip] if n not in known]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    selected = [b for b in BENCHES if (not args.names or b.name in args.names) and b.name not in args.skip]
    full = not args.quick and len(selected) == len(BENCHES)
    output = Path(args.output) if args.output else (BENCH / "results.md" if full else OUT / "results.md")
    OUT.mkdir(parents=True, exist_ok=True)
    # A SIGTERM (e.g. `kill` of make) ends the running benchmark's process group too, like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    info = machine()
    load_before = load_average()
    started_at = datetime.now(UTC)
    began = time.perf_counter()
    outcomes = []
    for bench in selected:
        try:
            outcomes.append(run_bench(bench, args.quick, args.timeout_factor, {}))
        except OSError as exc:
            outcomes.append(Outcome(bench, "error", 0.0, bench.name, "", str(exc), Parsed()))
        except KeyboardInterrupt:
            print(f"\ninterrupted during {bench.name} (stopped it); no results file written", file=sys.stderr)
            return 130
    duration = time.perf_counter() - began
    meta = {
        "command": "bench/run_all.py" + ("" if argv is None and len(sys.argv) == 1 else
                                         " " + " ".join(argv if argv is not None else sys.argv[1:])),
        "date": started_at.strftime("%Y-%m-%d %H:%M UTC"), "duration": f"{duration / 60:.1f} min",
        "mode": ("quick: small sizes" if args.quick else "full sizes")
                + ("" if len(selected) == len(BENCHES) else f"; subset: {', '.join(b.name for b in selected)}"),
        "load_before": load_before, "load_after": load_average(),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(outcomes, info, meta), encoding="utf-8")
    print_summary(outcomes)
    print(f"\nwrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
