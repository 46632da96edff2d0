"""boi_mock.testing.server's child processes: the one helper the tests and benchmarks start `boi-mock serve` with.

Started and polled until /_mock/health answers (MOCK-1), restarted after kill -9 on the same database,
stopped; a server that exits or never answers is reported with its output and left running nowhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from boi_mock.testing.server import BoiMockProcess, ServerProcess, ServerStartError, free_port

pytestmark = pytest.mark.slow  # real `boi-mock serve` processes


def test_boi_mock_process_starts_survives_kill_9_by_restart_and_stops(tmp_path: Path) -> None:
    server = BoiMockProcess(f"sqlite:///{tmp_path / 'boi.db'}", tmp_path / "serve.log")
    with server:
        assert httpx.get(server.url + "/_mock/health").json() == {"status": "ok"}
        created = httpx.post(server.url + "/_mock/districts", json={"appName": "kept", "schools": [], "genders": [],
                                                                    "assignmentCodes": [], "titles": [],
                                                                    "persons": [], "households": []})
        assert created.status_code == 201, created.text
        first_pid = server.pid
        server.restart()  # kill -9, then a new process on the same database
        assert server.pid != first_pid and server.starts == 2
        names = [d["appName"] for d in httpx.get(server.url + "/_mock/districts").json()]
        assert names == ["kept"]
        assert server.started_in is not None and server.started_in > 0
    assert server.proc is not None and server.proc.returncode is not None  # stopped
    assert server.log_text().count("--- start ") == 2


def test_a_server_that_exits_at_start_raises_with_its_output(tmp_path: Path) -> None:
    server = BoiMockProcess("sqlite:////proc/no-such-dir/boi.db", tmp_path / "serve.log")
    with pytest.raises(ServerStartError) as raised:
        server.start(60)
    assert "exited with" in str(raised.value) and "/proc/no-such-dir" in str(raised.value)
    assert not server.running()


def test_a_server_that_never_answers_is_killed_after_the_timeout(tmp_path: Path) -> None:
    silent = ServerProcess([sys.executable, "-c", "import time; time.sleep(120)"],
                           f"http://127.0.0.1:{free_port()}/_mock/health", tmp_path / "silent.log", new_session=True)
    with pytest.raises(ServerStartError, match="did not answer within 1s"):
        silent.start(1)
    assert silent.proc is not None and silent.proc.returncode is not None  # killed, not left behind
