"""The layers of docs/architecture.md, checked on the source: imports only point down, and units of work are
opened only where the transaction rule says.

Both rules are data below (`ALLOWED`, `TYPE_ONLY`, `OPENERS`): changing the architecture means changing them
here, in one reviewed place, and in docs/architecture.md.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

import boi_mock

SRC = Path(boi_mock.__file__).parent

# Each unit of boi_mock (a sub-package, or a top-level module) and the units it may import. A unit not named on
# the right is out of bounds; the graph below has no cycle (checked). `boi_mock` itself is the package root
# (`__version__`).
ALLOWED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    # Entry points and composition roots: they wire everything, nothing imports them (but each other).
    "cli": {"boi_mock", "main", "sync_cli", "migrate", "services", "db", "settings", "security"},
    "sync_cli": {"settings"},
    "main": {"api", "admin", "control", "web", "services", "jobs", "migrate", "db", "settings"},
    "testing": {"client", "wire", "main", "migrate", "settings"},  # the public pytest plugin
    "migrations": {"db", "models", "settings"},
    # The three HTTP faces: they call services, share the web layer, never query (no repositories, no models
    # but row types under TYPE_CHECKING, see TYPE_ONLY). A `Database` is only handed to a named
    # multi-transaction use case (the transaction rule).
    "api": {"web", "services", "schemas", "domain", "errors", "inputs", "settings", "db", "clock"},
    "control": {"web", "services", "schemas", "wire", "domain", "errors", "inputs", "security", "settings",
                "clock"},
    "admin": {"web", "services", "schemas", "domain", "errors", "inputs", "security", "settings", "clock", "db"},
    # The web layer the three faces share: the request's unit of work, problem+json, the JSON parser.
    "web": {"services", "domain", "errors", "inputs", "settings", "db"},
    # Use cases: load, apply domain rules, flush; enqueue jobs through jobs.queue.
    "services": {"jobs", "repositories", "models", "db", "schemas", "domain", "errors", "clock", "inputs",
                 "settings"},
    # Durable jobs: the queue and the worker. The worker runs handlers the app hands it (main.JOB_HANDLERS).
    "jobs": {"models", "db", "clock", "settings"},
    "repositories": {"models", "db", "errors"},
    "migrate": {"db", "models"},
    "models": {"db", "clock"},
    "schemas": {"domain", "errors"},
    "domain": {"errors"},
    # The kernel: plain modules every layer may use; they import (almost) nothing of the app.
    "inputs": {"errors"},
    "security": {"errors"},
    "db": set(),
    "settings": set(),
    "clock": set(),
    "errors": set(),
    "boi_mock": set(),
    # The vendor-facing client: nothing of the server (it is installed and used without it), only the wire
    # models it shares with the control API.
    "client": {"wire"},
    "wire": set(),
}.items()}

# Imports allowed only for type annotations (under `if TYPE_CHECKING:`): the HTTP faces name the ORM rows
# services hand them (a district, a person to render), but never query or build one.
TYPE_ONLY: dict[str, frozenset[str]] = {
    "api": frozenset({"models"}),
    "admin": frozenset({"models"}),
    "control": frozenset({"models"}),
}

# Who opens a unit of work (`Database.unit_of_work()` or `Database.session()`), module by module. Everything
# else takes a session (or a DistrictContext) and flushes. docs/architecture.md, "Transactions and locking".
OPENERS: dict[str, str] = {
    "boi_mock/db.py": "the Database itself",
    # 1. The request.
    "boi_mock/web/deps.py": "the request's unit of work (control, Campus UI, OAuth token)",
    "boi_mock/api/routing.py": "a BOI call's one session (a write's authentication reads in its own); fault hit counts",
    "boi_mock/api/faults.py": "the token request's fault decision (its hit counts commit on their own)",
    "boi_mock/admin/deps.py": "a Campus UI request's short read before a multi-transaction use case",
    # 2. A job step.
    "boi_mock/jobs/queue.py": "each queue operation (claim, finish, renew, recover)",
    "boi_mock/jobs/worker.py": "the worker reading the kind of the job it claimed",
    # 3. The process and its commands.
    "boi_mock/main.py": "start-up: the signing key",
    "boi_mock/cli.py": "a CLI command",
    "boi_mock/services/seeding.py": "start-up seeding: one district per transaction (a race lost costs one)",
    # 4. Named multi-transaction use cases (they take a Database, not a session).
    "boi_mock/services/sync/commit.py": "the sync commit loop (SYNC-6/7): a chunk of staff per transaction",
    "boi_mock/services/sync/report.py": "sync validate (SYNC-4): a read snapshot, then a short locked write",
    "boi_mock/services/observability.py": "the journal writer's batches (its own thread)",
}


@dataclass(frozen=True)
class Edge:
    source: str  # the importing module, as a path under src/
    target: str  # the imported module
    type_only: bool


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "boi_mock"


def _module_name(path: Path) -> tuple[str, bool]:
    rel = path.relative_to(SRC.parent).with_suffix("")
    is_package = rel.name == "__init__"
    parts = rel.parts[:-1] if is_package else rel.parts
    return ".".join(parts), is_package


def _is_unit(name: str) -> bool:
    return (SRC / name).is_dir() or (SRC / f"{name}.py").is_file()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool, type_only: bool = False) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                found += _imports(ast.Module(body=[child], type_ignores=[]), module, is_package, True)
            for child in node.orelse:
                found += _imports(ast.Module(body=[child], type_ignores=[]), module, is_package, type_only)
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, type_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from boi_mock import models` imports boi_mock.models; `import __version__`, the package root.
            found += [(f"{target}.{alias.name}" if target == "boi_mock" and _is_unit(alias.name) else target,
                       type_only) for alias in node.names]
        else:
            found += _imports(node, module, is_package, type_only)  # function bodies: lazy imports count too
    return found


def _edges() -> list[Edge]:
    edges = []
    for path in sorted(SRC.rglob("*.py")):
        module, is_package = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, type_only in _imports(tree, module, is_package):
            if target == "boi_mock" or target.startswith("boi_mock."):
                edges.append(Edge(str(path.relative_to(SRC.parent)), target, type_only))
    return edges


EDGES = _edges()


def _source_unit(edge: Edge) -> str:
    return _unit(edge.source.removesuffix(".py").replace("/", "."))


def test_every_unit_of_the_package_has_a_place_in_the_layers() -> None:
    units = {_unit(_module_name(path)[0]) for path in SRC.rglob("*.py")}
    assert units - ALLOWED.keys() == set(), "a new package or top-level module: give it a place in ALLOWED"
    for allowed in ALLOWED.values():
        assert allowed <= ALLOWED.keys()


def test_imports_only_point_down() -> None:
    """docs/architecture.md, "Layers": every import between units is an edge ALLOWED names."""
    leaks = sorted({
        f"{edge.source} imports {edge.target}" for edge in EDGES
        if (source := _source_unit(edge)) != (target := _unit(edge.target))
        and target not in ALLOWED[source]
        and not (edge.type_only and target in TYPE_ONLY.get(source, frozenset()))
    })
    assert leaks == []


def test_the_allowed_layers_have_no_cycle() -> None:
    """No two units may import each other, through any path (services and jobs: services → jobs only)."""
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(unit: str, path: list[str]) -> None:
        if state.get(unit) == 1:
            pytest.fail("cycle: " + " → ".join([*path, unit]))
        if state.get(unit) == 2:
            return
        state[unit] = 1
        for below in sorted(ALLOWED[unit] - {unit}):
            visit(below, [*path, unit])
        state[unit] = 2
        order.append(unit)

    for unit in sorted(ALLOWED):
        visit(unit, [])
    assert len(order) == len(ALLOWED)


def test_the_used_imports_have_no_cycle_between_units() -> None:
    """The same on what the code really imports (type-only imports included)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for edge in EDGES:
        source, target = _source_unit(edge), _unit(edge.target)
        if source != target:
            graph[source].add(target)
    for source, targets in graph.items():
        for target in targets:
            assert source not in _reachable(graph, target), f"{source} and {target} import each other"


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        unit = todo.pop()
        for nxt in graph.get(unit, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_client_imports_nothing_of_the_server() -> None:
    assert [edge for edge in EDGES if edge.source.startswith(("boi_mock/client/", "boi_mock/wire/"))
            and not edge.target.startswith(("boi_mock.client", "boi_mock.wire"))] == []


def test_the_domain_is_pure() -> None:
    """domain/ holds rules on plain values: no FastAPI, no SQLAlchemy, nothing of the app but errors."""
    for path in sorted((SRC / "domain").rglob("*.py")):
        module, is_package = _module_name(path)
        for target, _ in _imports(ast.parse(path.read_text(encoding="utf-8")), module, is_package):
            root = target.split(".")[0]
            assert root not in {"fastapi", "starlette", "sqlalchemy"}, f"{path.name} imports {target}"


# What the HTTP faces and the web layer may take from SQLAlchemy: the session type they pass on, and the unique-key
# error the request's unit of work turns into the contract's 409. Nothing to build a query with.
FACE_SQLALCHEMY = frozenset({("sqlalchemy.orm", "Session"), ("sqlalchemy.exc", "IntegrityError")})


def test_the_http_faces_build_no_queries() -> None:
    found = set()
    for face in ("api", "admin", "control", "web"):
        for path in sorted((SRC / face).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
                    found |= {(f"{face}/{path.name}", node.module or "", alias.name) for alias in node.names}
                elif isinstance(node, ast.Import):
                    found |= {(f"{face}/{path.name}", alias.name, "*") for alias in node.names
                              if alias.name.split(".")[0] == "sqlalchemy"}
    assert {f for f in found if (f[1], f[2]) not in FACE_SQLALCHEMY} == set()


def _openers() -> dict[str, list[int]]:
    """Every call of `.unit_of_work(…)` or `.session(write=…)` (a Database's two ways to start a transaction)."""
    found: dict[str, list[int]] = defaultdict(list)
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "unit_of_work" or (
                    node.func.attr == "session" and any(k.arg == "write" for k in node.keywords)):
                found[str(path.relative_to(SRC.parent))].append(node.lineno)
    return found


def test_units_of_work_are_opened_only_where_the_transaction_rule_says() -> None:
    """docs/architecture.md, "Transactions and locking": the request, a job step, the process and its
    commands, and the named multi-transaction use cases open units of work; every other service takes a
    session."""
    found = _openers()
    assert {path: lines for path, lines in found.items() if path not in OPENERS} == {}
    assert set(OPENERS) - set(found) - {"boi_mock/db.py"} == set(), "an opener listed that opens nothing"


def test_services_never_commit() -> None:
    """A service flushes; the unit of work commits (a savepoint's commit/rollback is the only exception)."""
    offenders = []
    for path in sorted((SRC / "services").rglob("*.py")):
        rel = str(path.relative_to(SRC.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("commit", "rollback")
                    and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "savepoint")):
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
