"""The boi-mock pytest plugin (entry point `pytest11: boi_mock`): a mock BOI server and a fresh district per test.

Fixtures (nothing starts unless a test asks for one):

* `boi_server` (session): boi-mock running in this process (uvicorn in a thread, free port,
  temporary SQLite database, migrations run, no seed data unless configured), or the server given
  by `--boi-mock-url` / `BOI_MOCK_URL` (e.g. docker compose). Under pytest-xdist every worker has
  its own server.
* `boi_district` (function): a new district made from `boi_scenario`, deleted after the test:
  `.client` (typed BoiClient), `.http` (httpx with the Bearer token handled), credentials, and
  the district's controls (journal, error log, faults, clock, reset, secret).
* `boi_scenario` (function): the scenario document; the plugin's small one unless the test is
  marked `@pytest.mark.boi_scenario(dict_or_path)` or the fixture is overridden.
* `boi_server_settings` (session): the in-process server's Settings, to override.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from boi_mock.settings import Settings
    from boi_mock.testing.district import BoiDistrict
    from boi_mock.testing.server import BoiServer

URL_ENV = "BOI_MOCK_URL"
ADMIN_TOKEN_ENV = "BOI_MOCK_ADMIN_TOKEN"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("boi-mock", "boi-mock: Infinite Campus BOI API mock")
    group.addoption("--boi-mock-url", default=None,
                    help=f"test against this running boi-mock instead of starting one (env {URL_ENV})")
    group.addoption("--boi-mock-database-url", default=None,
                    help="database of the in-process boi-mock (default: a temporary SQLite file)")
    parser.addini("boi_mock_url", "URL of a running boi-mock to test against", default="")
    parser.addini("boi_mock_seed_files", "scenario files (or globs) the in-process boi-mock loads at start",
                  type="linelist", default=[])
    parser.addini("boi_mock_seed_dir",
                  "directory of boi_mock_seed_files, relative to the rootdir (default: the scenarios boi-mock ships)",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "boi_scenario(scenario): scenario document (dict or JSON file path) for the boi_district fixture")


def _external_url(config: pytest.Config) -> str | None:
    url = config.getoption("--boi-mock-url") or os.environ.get(URL_ENV) or config.getini("boi_mock_url")
    return str(url) if url else None


@pytest.fixture(scope="session")
def boi_server_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the in-process boi-mock; override this fixture to change any of them."""
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
    """A running boi-mock for this test session (this xdist worker)."""
    from boi_mock.testing.server import BoiServer, ThreadedServer

    url = _external_url(request.config)
    if url:
        server = BoiServer(url, admin_token=os.environ.get(ADMIN_TOKEN_ENV) or None)
        if not server.control.health():
            server.close()
            pytest.fail(f"boi-mock at {url} does not answer /_mock/health", pytrace=False)
        yield server
        server.close()
        return
    settings: Settings = request.getfixturevalue("boi_server_settings")
    threaded = ThreadedServer(settings)
    server = threaded.start()
    try:
        yield server
    finally:
        threaded.stop()


@pytest.fixture
def boi_scenario(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The scenario document `boi_district` is made from (marker `boi_scenario`, else the plugin's small one)."""
    from boi_mock.testing.district import default_scenario, load_scenario

    marker = request.node.get_closest_marker("boi_scenario")
    if marker is not None and marker.args:
        return load_scenario(marker.args[0])
    return default_scenario()


@pytest.fixture
def boi_district(boi_server: BoiServer, boi_scenario: dict[str, Any]) -> Iterator[BoiDistrict]:
    """A fresh district for this test, deleted afterwards (isolation without resetting a shared server)."""
    from boi_mock.testing.district import BoiDistrict, unique_app_name

    scenario = {**boi_scenario, "appName": unique_app_name(boi_scenario)}
    credentials = boi_server.control.create_district(scenario)
    district = BoiDistrict(boi_server.control, credentials)
    try:
        yield district
    finally:
        district.close()
        district.delete()
