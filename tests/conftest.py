"""Test database (SQLite, or a real throwaway PostgreSQL with BOI_MOCK_TEST_DATABASE=postgresql), app, districts.

The schema is built by running the Alembic migrations; each test gets its own district (isolation).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boi_mock import migrate
from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.support import District, create_district

BACKEND = os.environ.get("BOI_MOCK_TEST_DATABASE", "sqlite")


def pytest_report_header() -> str:
    return f"boi-mock test database: {BACKEND}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that runs pytest inside pytest (the `pytester` fixture: a fresh session, often a subprocess with
    its own server) is `slow`: `make check` leaves it to `make test`, which runs everything."""
    for item in items:
        if "pytester" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "postgresql":
        from tests.pg_cluster import start_cluster

        cluster = start_cluster()
        try:
            yield cluster.create_database(f"boi_{uuid.uuid4().hex[:8]}")
        finally:
            cluster.stop()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "boi-test.db"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    migrate.upgrade(database_url)
    return Settings(database_url=database_url, seed_on_start=False, run_worker=True, worker_poll_seconds=0.05)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, run_migrations=False)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live_url(settings: Settings) -> Iterator[str]:
    """uvicorn on a loopback port over the suite's database (boi_mock.testing.server.ThreadedServer), for a test
    module that needs a real socket (races between connections): its URL. No job worker, no seeding."""
    from boi_mock.testing.server import ThreadedServer

    threaded = ThreadedServer(settings.model_copy(update={"run_worker": False, "seed_on_start": False}))
    try:
        yield threaded.start().url
    finally:
        threaded.stop()


@pytest.fixture
def district(client: TestClient) -> District:
    """A fresh district from boi_mock/seed/minimal.json with a unique appName."""
    return create_district(client)
