"""The boi-mock pytest plugin (entry point `pytest11: boi_mock`): a mock BOI server and a fresh district per test.

Fixtures (nothing starts unless a test asks for one):

* `boi_server` (session): boi-mock running inside the test process without a socket (its
  lifespan on an event loop thread, clients through an httpx transport: `boi_server.transport`),
  on a temporary SQLite database, no seed data unless configured; with `boi_mock_transport =
  socket` (ini) or `--boi-mock-transport=socket` it is `boi_live_server`; with `--boi-mock-url` /
  `BOI_MOCK_URL` the server given there (e.g. docker compose). Under pytest-xdist every worker has
  its own.
* `boi_live_server` (session): boi-mock behind a real loopback socket (uvicorn in a thread), for
  code that opens its own connections, subprocesses, browsers; the same database as `boi_server`.
* `boi_district` (function): a new district made from `boi_scenario`, deleted after the test:
  `.client` (typed BoiClient), `.http` (httpx with the Bearer token handled), credentials, and
  the district's controls (journal, error log, faults, clock, reset, secret). On `boi_live_server`
  when the test is marked `@pytest.mark.boi_live_server`.
* `boi_scenario` (function): the scenario document; the plugin's small one unless the test is
  marked `@pytest.mark.boi_scenario(dict_or_path)` or the fixture is overridden.
* `boi_server_settings` (session): the servers' Settings, to override.

`--boi-coverage` prints, at the end of the session, the contract coverage (MOCK-11) of every `boi_district`
it created, added up (also under xdist); `--boi-coverage-json FILE` writes it (`boi_mock.testing.coverage`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from boi_mock.settings import Settings
    from boi_mock.testing.district import BoiDistrict
    from boi_mock.testing.server import BoiServer, InProcessServer, ThreadedServer

URL_ENV = "BOI_MOCK_URL"
ADMIN_TOKEN_ENV = "BOI_MOCK_ADMIN_TOKEN"
TRANSPORTS = ("in-process", "socket")
LIVE_MARKER = "boi_live_server"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("boi-mock", "boi-mock: Infinite Campus BOI API mock")
    group.addoption("--boi-mock-url", default=None,
                    help=f"test against this running boi-mock instead of starting one (env {URL_ENV})")
    group.addoption("--boi-mock-transport", default=None, choices=TRANSPORTS,
                    help="how boi_server runs: in-process (default, no socket) or socket (uvicorn on loopback)")
    group.addoption("--boi-coverage", action="store_true", default=False,
                    help="print which contract rules (MOCK-11) the session's boi_district calls exercised")
    group.addoption("--boi-coverage-json", default=None, metavar="FILE",
                    help="write the session's contract coverage (MOCK-11) as JSON to FILE")
    group.addoption("--boi-mock-database-url", default=None,
                    help="database of the in-process boi-mock (default: a temporary SQLite file)")
    parser.addini("boi_mock_url", "URL of a running boi-mock to test against", default="")
    parser.addini("boi_mock_transport", "how boi_server runs: in-process (default) or socket", default="in-process")
    parser.addini("boi_mock_freeze_heap", "after starting a server, leave what is alive out of later garbage "
                  "collections (gc.freeze)", type="bool", default=True)
    parser.addini("boi_mock_seed_files", "scenario files (or globs) the in-process boi-mock loads at start",
                  type="linelist", default=[])
    parser.addini("boi_mock_seed_dir",
                  "directory of boi_mock_seed_files, relative to the rootdir (default: the scenarios boi-mock ships)",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    from boi_mock.testing import coverage

    coverage.configure(config)  # --boi-coverage: reads each boi_district's coverage before deleting it
    _transport(config)  # a wrong value fails the run at once, not the first test that asks for a server
    config.addinivalue_line(
        "markers", "boi_scenario(scenario): scenario document (dict or JSON file path) for the boi_district fixture")
    config.addinivalue_line(
        "markers", f"{LIVE_MARKER}: the test's boi_district is on boi_live_server (a real socket)")


def _external_url(config: pytest.Config) -> str | None:
    url = config.getoption("--boi-mock-url") or os.environ.get(URL_ENV) or config.getini("boi_mock_url")
    return str(url) if url else None


def _transport(config: pytest.Config) -> str:
    transport = str(config.getoption("--boi-mock-transport") or config.getini("boi_mock_transport") or "in-process")
    if transport not in TRANSPORTS:
        raise pytest.UsageError(f"boi_mock_transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    return transport


def _settle_heap(config: pytest.Config) -> None:
    """After the app's start, what is alive (pytest, the app, their modules) lives as long as the session.

    Collected once, then frozen out of later collections: the session's full collections, and pytest's
    at exit, then scan what the tests allocate instead of the app's million objects (about half a second
    of a run's CPU on a 2-core machine). The collection first means nothing already dead is frozen.
    """
    if config.getini("boi_mock_freeze_heap"):
        gc.collect()
        gc.freeze()


def _serving(config: pytest.Config, runner: InProcessServer | ThreadedServer) -> Iterator[BoiServer]:
    """The session's server from `runner`, started (its heap settled), and stopped after the session."""
    try:
        server = runner.start()
        _settle_heap(config)
        yield server
    finally:
        runner.stop()


def _external(url: str) -> Iterator[BoiServer]:
    from boi_mock.testing.server import BoiServer

    server = BoiServer(url, admin_token=os.environ.get(ADMIN_TOKEN_ENV) or None)
    if not server.control.health():
        server.close()
        pytest.fail(f"boi-mock at {url} does not answer /_mock/health", pytrace=False)
    yield server
    server.close()


@pytest.fixture(scope="session")
def boi_server_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the plugin's boi-mock (both `boi_server` and `boi_live_server`); override to change any of them."""
    from boi_mock.settings import PACKAGE_SEED_DIR, Settings

    config = request.config
    database_url = config.getoption("--boi-mock-database-url")
    if not database_url:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('boi-mock') / 'boi-mock.db'}"
    seed_files: list[str] = list(config.getini("boi_mock_seed_files"))
    seed_dir_ini = str(config.getini("boi_mock_seed_dir"))
    seed_dir = Path(config.rootpath) / seed_dir_ini if seed_dir_ini else PACKAGE_SEED_DIR
    return Settings(database_url=database_url, seed_files=seed_files, seed_dir=seed_dir,
                    seed_on_start=bool(seed_files), run_worker=True, worker_poll_seconds=0.05,
                    admin_token=os.environ.get(ADMIN_TOKEN_ENV) or None)


@pytest.fixture(scope="session")
def boi_server(request: pytest.FixtureRequest) -> Iterator[BoiServer]:
    """boi-mock for this test session (this xdist worker): in this process unless a socket was asked for."""
    if _external_url(request.config) or _transport(request.config) == "socket":
        server: BoiServer = request.getfixturevalue("boi_live_server")
        yield server
        return
    from boi_mock.testing.server import InProcessServer

    yield from _serving(request.config, InProcessServer(request.getfixturevalue("boi_server_settings")))


@pytest.fixture(scope="session")
def boi_live_server(request: pytest.FixtureRequest) -> Iterator[BoiServer]:
    """boi-mock behind a real loopback socket (uvicorn in a thread), or the external server if one is given."""
    url = _external_url(request.config)
    if url:
        yield from _external(url)
        return
    from boi_mock.testing.server import ThreadedServer

    yield from _serving(request.config, ThreadedServer(request.getfixturevalue("boi_server_settings")))


@pytest.fixture
def boi_scenario(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The scenario document `boi_district` is made from (marker `boi_scenario`, else the plugin's small one)."""
    from boi_mock.testing.district import default_scenario, load_scenario

    marker = request.node.get_closest_marker("boi_scenario")
    if marker is not None and marker.args:
        return load_scenario(marker.args[0])
    return default_scenario()


@pytest.fixture
def boi_district(request: pytest.FixtureRequest, boi_scenario: dict[str, Any]) -> Iterator[BoiDistrict]:
    """A fresh district for this test, deleted afterwards (isolation without resetting a shared server)."""
    from boi_mock.testing.district import BoiDistrict, unique_app_name

    live = request.node.get_closest_marker(LIVE_MARKER) is not None
    server: BoiServer = request.getfixturevalue("boi_live_server" if live else "boi_server")
    scenario = {**boi_scenario, "appName": unique_app_name(boi_scenario)}
    credentials = server.control.create_district(scenario)
    district = BoiDistrict(server.control, credentials, transport=server.borrow_transport())
    try:
        yield district
    finally:
        try:
            _collect_coverage(request.config, district)
        finally:
            district.close()
            district.delete()


def _collect_coverage(config: pytest.Config, district: BoiDistrict) -> None:
    from boi_mock.testing.coverage import collector_of

    collector = collector_of(config)
    if collector is None:
        return
    from boi_mock.client.errors import BoiApiError

    try:
        collector.add(district.coverage())
    except BoiApiError as error:
        if error.status != 404:  # a test that deleted its district (or reset the server) leaves nothing to read
            raise
