"""The wheel, as a vendor gets it (issue 11 item 6): built from this repository, installed (not editable)
into a fresh virtualenv outside the repository, then used the two ways a vendor uses it:

* `boi-mock serve` from an empty folder: the demo district 7634-MO is seeded from the packaged scenario,
  the Campus UI renders its packaged templates and static files, and nothing lands in the folder (the
  SQLite file goes to the per-user data directory);
* the pytest plugin (entry point `pytest11`), from a vendor project with a package of its own named
  `app` (tests/vendor-project, copied out of the repository so none of its conftest.py or settings
  leak in).

Slow (the install pulls the runtime dependencies, 25-40 s): one virtualenv per session, and only in the
SQLite pass of `make test` (the PostgreSQL pass skips it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from boi_mock.testing.server import ServerProcess, ServerStartError, free_port

pytestmark = [
    pytest.mark.slow,
    # Nothing here touches the test database: `make test` checks the package once, in its SQLite pass.
    pytest.mark.skipif(os.environ.get("BOI_MOCK_TEST_DATABASE") == "postgresql",
                       reason="independent of the database backend; runs in the SQLite pass"),
]

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
VENDOR_PROJECT = Path(__file__).resolve().parent / "vendor-project"
DEMO_DISTRICT = "7634-MO"

# Not part of the source tree: never copied into the build folder (a stale build/lib would otherwise
# leak old files into the wheel, and the build would write build/ and *.egg-info into the repository).
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "var", "*.db",
                                    "*.db-wal", "*.db-shm", "node_modules", ".node")
BUILD_TIMEOUT = 300
INSTALL_TIMEOUT = 900
START_TIMEOUT = 120
VENDOR_TIMEOUT = 300


def _run(argv: Sequence[str | Path], *, timeout: float, cwd: Path | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; on a non-zero exit or a timeout, fail with its whole output."""
    command = " ".join(str(a) for a in argv)
    try:
        done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"`{command}` did not finish in {timeout:.0f} s\n--- stdout ---\n{_text(expired.stdout)}"
                    f"\n--- stderr ---\n{_text(expired.stderr)}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"`{command}` (cwd {cwd}) exited {done.returncode}\n--- stdout ---\n{done.stdout}"
                    f"\n--- stderr ---\n{done.stderr}", pytrace=False)
    return done


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def _du(path: Path) -> str:
    """`du -sh`, or the sum of the file sizes where there is no du."""
    if shutil.which("du"):
        return subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return f"{total / 1e6:.1f}M"


@dataclass(frozen=True)
class Wheel:
    path: Path
    names: frozenset[str]

    @property
    def version(self) -> str:
        return self.path.name.split("-")[1]


@dataclass(frozen=True)
class RuntimeVenv:
    root: Path
    bin: Path

    def env(self, home: Path) -> dict[str, str]:
        """The environment of a vendor's shell with this venv activated: a HOME of its own, nothing of ours."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("BOI_MOCK_", "PYTEST_", "PYTHON", "COV_CORE_", "XDG_"))
               and k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PIP_REQUIRE_VIRTUALENV")}
        env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"),
                    "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
                    "VIRTUAL_ENV": str(self.root), "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
                    "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"})
        return env


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Wheel:
    """`pip wheel` of a copy of this repository's source tree."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "boi-mock"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    out = work / "dist"
    started = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "--progress-bar", "off",
          "-w", out, source], timeout=BUILD_TIMEOUT)
    built = sorted(out.glob("boi_mock-*.whl"))
    assert len(built) == 1, f"expected one boi_mock wheel in {out}, found {[p.name for p in out.iterdir()]}"
    with zipfile.ZipFile(built[0]) as archive:
        names = frozenset(archive.namelist())
    print(f"\n[package] wheel {built[0].name}: {built[0].stat().st_size / 1024:.0f} KiB "
          f"({built[0].stat().st_size} bytes, {len(names)} entries), built in {time.perf_counter() - started:.1f} s")
    return Wheel(built[0], names)


@pytest.fixture(scope="session")
def runtime_venv(wheel: Wheel, tmp_path_factory: pytest.TempPathFactory) -> RuntimeVenv:
    """A fresh virtualenv outside the repository with the wheel (not editable) and pytest installed."""
    root = tmp_path_factory.mktemp("runtime") / "venv"
    _run([sys.executable, "-m", "venv", root], timeout=120)
    bin_dir = root / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    started = time.perf_counter()
    _run([python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
          "-c", CONSTRAINTS, wheel.path, "pytest"], timeout=INSTALL_TIMEOUT, cwd=root.parent)
    installed_in = time.perf_counter() - started
    print(f"\n[package] installed the wheel + runtime dependencies + pytest into a fresh venv in {installed_in:.1f} s; "
          f"venv size {_du(root)}")
    return RuntimeVenv(root, bin_dir)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    path = tmp_path / "empty"
    path.mkdir()
    return path


# --- the wheel ------------------------------------------------------------------------------------


def test_wheel_holds_only_the_boi_mock_package(wheel: Wheel) -> None:
    top_level = {PurePosixPath(name).parts[0] for name in wheel.names}
    dist_info = {t for t in top_level if t.endswith(".dist-info")}
    assert len(dist_info) == 1, top_level
    assert top_level - dist_info == {"boi_mock"}, f"top-level entries besides boi_mock: {sorted(top_level)}"
    for stray in ("app", "migrations", "seed", "tests", "bench", "tools", "examples", "docs"):
        assert not any(name.startswith(f"{stray}/") for name in wheel.names), f"the wheel ships a top-level {stray}/"


def test_wheel_holds_the_package_data(wheel: Wheel) -> None:
    names = wheel.names

    def under(prefix: str, suffix: str) -> list[str]:
        return sorted(n for n in names if n.startswith(prefix) and n.endswith(suffix) and "/" not in n[len(prefix):])

    source = ROOT / "src" / "boi_mock"
    expected = {
        "boi_mock/migrations/versions/": ".py",
        "boi_mock/admin/templates/": ".html",
        "boi_mock/admin/static/": "",
        "boi_mock/seed/": ".json",
    }
    for prefix, suffix in expected.items():
        found = under(prefix, suffix)
        on_disk = sorted(f"{prefix}{p.name}" for p in (source / prefix.removeprefix("boi_mock/")).iterdir()
                         if p.is_file() and p.name.endswith(suffix) and p.suffix not in (".pyc", ".md"))
        assert found, f"the wheel has no {prefix}*{suffix}"
        assert set(on_disk) <= set(found), f"missing from the wheel: {sorted(set(on_disk) - set(found))}"
    for required in ("boi_mock/py.typed", "boi_mock/migrations/env.py", "boi_mock/migrations/script.py.mako",
                     f"boi_mock/seed/demo-{DEMO_DISTRICT}.json", "boi_mock/seed/minimal.json",
                     "boi_mock/seed/hr-export-demo.json", "boi_mock/testing/scenarios/minimal.json",
                     "boi_mock/admin/static/campus.css", "boi_mock/admin/static/campus.js",
                     "boi_mock/admin/templates/base.html"):
        assert required in names, f"{required} is not in the wheel"


def test_wheel_declares_the_console_script_and_the_pytest_plugin(wheel: Wheel) -> None:
    with zipfile.ZipFile(wheel.path) as archive:
        entry_points = next(archive.read(n).decode() for n in wheel.names if n.endswith(".dist-info/entry_points.txt"))
    assert re.search(r"^\[console_scripts\]\s*\nboi-mock = boi_mock\.cli:main$", entry_points, re.MULTILINE)
    assert re.search(r"^\[pytest11\]\s*\nboi_mock = boi_mock\.testing\.plugin$", entry_points, re.MULTILINE)


# --- the installed command ------------------------------------------------------------------------


def test_version(runtime_venv: RuntimeVenv, wheel: Wheel, home: Path, empty_dir: Path) -> None:
    done = _run([runtime_venv.bin / "boi-mock", "--version"], cwd=empty_dir, env=runtime_venv.env(home), timeout=60)
    assert wheel.version in done.stdout + done.stderr, (done.stdout, done.stderr)


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status: int = response.status
            return status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    healthy_after: float

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def served(runtime_venv: RuntimeVenv, home: Path, empty_dir: Path, tmp_path: Path) -> Iterator[Served]:
    """`boi-mock serve --port N` of the wheel's venv, started from an empty folder (boi_mock.testing.server's
    ServerProcess); stopped (SIGINT, then SIGKILL) afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess([str(runtime_venv.bin / "boi-mock"), "serve", "--port", str(port)], f"{url}/_mock/health",
                           tmp_path / "serve.log", env=runtime_venv.env(home), cwd=empty_dir)
    try:
        try:
            server.start(START_TIMEOUT)
        except ServerStartError as error:
            pytest.fail(f"`boi-mock serve` did not become healthy: {error}\n--- output ---\n{server.log_text()}",
                        pytrace=False)
        assert server.proc is not None and server.started_in is not None
        ready = next((line.strip() for line in server.log_text().splitlines() if "ready in" in line), "")
        print(f"\n[package] `boi-mock serve` healthy {server.started_in:.2f} s after start ({ready})")
        yield Served(server.proc, url, server.log_path, server.started_in)
    finally:
        server.stop(20)


def _json_of(served: Served, path: str) -> Any:
    status, body = _get(served.url + path)
    assert status == 200, f"GET {path} → {status}: {body[:500]!r}\n--- server output ---\n{served.output()}"
    return json.loads(body)


def test_serve_from_an_empty_folder(served: Served, home: Path, empty_dir: Path) -> None:
    districts = _json_of(served, "/_mock/districts")
    assert DEMO_DISTRICT in [d["appName"] for d in districts], f"{districts}\n{served.output()}"
    demo = _json_of(served, f"/_mock/districts/{DEMO_DISTRICT}")
    assert demo["baseUrl"] == f"{served.url}/campus" and demo["clientId"]

    # Package data at work: the Campus UI's templates and static files, Swagger UI at the vendor's path.
    pages = ((f"/campus/ui/{DEMO_DISTRICT}/", DEMO_DISTRICT.encode()), ("/campus/ui/static/campus.css", b"{"),
             ("/campus/api/businessOfficeIntegration/documentation", b"swagger"))
    for path, marker in pages:
        status, body = _get(served.url + path)
        assert status == 200 and marker in body, f"GET {path} → {status}: {body[:300]!r}\n{served.output()}"

    served.process.terminate()
    try:
        code = served.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`boi-mock serve` did not stop within 20 s of SIGTERM\n{served.output()}", pytrace=False)
    # uvicorn shuts down gracefully, then re-raises the signal it caught: -SIGTERM is a clean stop too.
    assert code in (0, -signal.SIGTERM), f"`boi-mock serve` exited {code} on SIGTERM\n{served.output()}"
    assert "Application shutdown complete" in served.output(), served.output()

    assert sorted(p.name for p in empty_dir.iterdir()) == [], "`boi-mock serve` wrote into the current folder"
    database = home / ".local" / "share" / "boi-mock" / "boi-mock.db"
    assert database.is_file(), f"no SQLite file in the per-user data directory ({database})\n{served.output()}"


# --- the pytest plugin in a vendor's project ------------------------------------------------------


def test_vendor_project_with_its_own_app_package(runtime_venv: RuntimeVenv, wheel: Wheel, home: Path,
                                                 tmp_path: Path) -> None:
    project = tmp_path / "vendor"
    shutil.copytree(VENDOR_PROJECT, project, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache"))
    done = _run([runtime_venv.bin / "python", "-m", "pytest", "-p", "no:cacheprovider", "-v",
                 f"--basetemp={tmp_path / 'vendor-tmp'}"], cwd=project, env=runtime_venv.env(home),
                timeout=VENDOR_TIMEOUT)
    summary = done.stdout.strip().splitlines()[-1]
    assert re.search(r"\b4 passed\b", summary) and "failed" not in summary and "error" not in summary, done.stdout
    assert f"rootdir: {project}" in done.stdout, done.stdout
    assert re.search(rf"^plugins:.*\bboi-mock-{re.escape(wheel.version)}\b", done.stdout, re.MULTILINE), done.stdout
