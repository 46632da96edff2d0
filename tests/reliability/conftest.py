"""Reliability fixtures: fresh databases of the suite's kind and `boi-mock serve` subprocesses on them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.support import LiveServer, drop_database, fresh_database_url


@pytest.fixture
def live_db_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database (SQLite file or PostgreSQL database on the suite's cluster), dropped afterwards."""
    url = fresh_database_url(database_url, tmp_path)
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start `boi-mock serve` subprocesses: `live_server(database_url, **env)`; all killed at teardown."""
    started: list[LiveServer] = []

    def start(database_url: str, **env: str) -> LiveServer:
        server = LiveServer(database_url, tmp_path / f"server-{len(started)}.log", env=env)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.kill()
