"""boi-mock for a test or a benchmark: in this process without a socket, uvicorn in a thread, or a child process.

The one place that starts a live server (the plugin, the test suite and bench/ all use it):

* `InProcessServer` runs the app on an event loop thread of the test process and clients reach it
  through an httpx transport (`boi_mock.testing.inprocess`): no port, no HTTP parsing, nothing to
  wait for (the plugin's default).
* `ThreadedServer` is real uvicorn in a background thread, for tests that need a socket (code under
  test that opens its own connections, a subprocess, a browser). Its listening socket is bound before
  uvicorn starts (port 0, no race between picking a port and binding it) and handed to uvicorn.
* `BoiMockProcess` is `boi-mock serve` as a child process, for what only a real process shows: kill -9
  mid-request, several replicas on one database, the command line's own output, memory figures.
  `ServerProcess` is the same for any other server command (bench/'s peers).

Readiness is always `/_mock/health` answering 200 (MOCK-1).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

import httpx

from boi_mock.client.control import MockControl

if TYPE_CHECKING:
    from typing import Self

    import uvicorn

    from boi_mock.settings import Settings
    from boi_mock.testing.inprocess import InProcessApp

Mode = Literal["in-process", "socket", "external"]
# The in-process server's URL: `.invalid` never resolves (RFC 6761), so code that tries to open a
# connection of its own to it fails at once instead of reaching something else.
IN_PROCESS_URL = "http://boi-mock.invalid"


class ServerStartError(RuntimeError):
    pass


class SharedTransport(httpx.BaseTransport):
    """The server's transport lent to one more client: that client's `close()` does not close it."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self.transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport.handle_request(request)

    def close(self) -> None:
        pass


@dataclass
class BoiServer:
    """A boi-mock to test against: `url` (server root), `base_url` (the vendor's …/campus), `control`.

    `transport` is how to reach it: give it to your own httpx clients (`httpx.Client(transport=…)`)
    and they work in every mode. In-process it is the only way in (`url` has no socket behind it).
    """

    url: str
    admin_token: str | None = None
    transport: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    mode: Mode = "external"
    control: MockControl = field(init=False)
    started_in: float | None = None  # seconds it took to start (None: an external server)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/").removesuffix("/campus")
        self.control = MockControl(self.url, admin_token=self.admin_token, transport=self.borrow_transport())

    @property
    def base_url(self) -> str:
        return self.url + "/campus"

    @property
    def has_socket(self) -> bool:
        return self.mode != "in-process"

    def borrow_transport(self) -> httpx.BaseTransport:
        """The server's transport (its connection pool, or the in-process app) for one more client to use."""
        return SharedTransport(self.transport)

    def close(self) -> None:
        self.control.close()
        self.transport.close()


class InProcessServer:
    """The app with its lifespan on an event loop thread of this process; `start()` / `stop()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._app: InProcessApp | None = None
        self.server: BoiServer | None = None

    def start(self) -> BoiServer:
        from boi_mock import migrate
        from boi_mock.main import create_app
        from boi_mock.testing.inprocess import InProcessApp

        began = time.perf_counter()
        settings = self.settings.model_copy(update={"public_url": IN_PROCESS_URL})
        migrate.ensure_head(settings.database_url)  # a new SQLite file: built at once, not migration by migration
        self._app = InProcessApp(create_app(settings))
        try:
            self._app.start()
        except Exception as exc:
            raise ServerStartError(f"boi-mock did not start: {exc!r}") from exc
        self.server = BoiServer(IN_PROCESS_URL, admin_token=settings.admin_token, transport=self._app.transport(),
                                mode="in-process", started_in=time.perf_counter() - began)
        return self.server

    def stop(self, timeout: float = 10.0) -> None:
        if self.server is not None:
            self.server.close()
        if self._app is not None:
            self._app.stop(timeout)


class ThreadedServer:
    """Start with `start()`, stop with `stop()`; `server.url` is where it listens."""

    def __init__(self, settings: Settings, *, host: str = "127.0.0.1", startup_timeout: float = 60.0) -> None:
        self.settings = settings
        self.host = host
        self.startup_timeout = startup_timeout
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.server: BoiServer | None = None

    def start(self) -> BoiServer:
        import uvicorn

        from boi_mock import migrate
        from boi_mock.main import create_app

        began = time.perf_counter()
        migrate.ensure_head(self.settings.database_url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        port = sock.getsockname()[1]
        url = f"http://{self.host}:{port}"
        settings = self.settings.model_copy(update={"host": self.host, "port": port, "public_url": url})
        # log_config=None: uvicorn's records go to the root logger (pytest captures and shows them),
        # instead of to a stderr handler fixed at start, which pytest's capture may have closed since.
        # ensure_head above brought the database to the head revision: the lifespan need not migrate again.
        config = uvicorn.Config(create_app(settings, run_migrations=False), log_config=None, log_level="warning",
                                access_log=False, timeout_graceful_shutdown=2, lifespan="on")
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sock,), name=f"boi-mock:{port}", daemon=True)
        self._thread.start()
        self._wait_ready(url)
        self.server = BoiServer(url, admin_token=settings.admin_token, mode="socket",
                                started_in=time.perf_counter() - began)
        return self.server

    def _run(self, sock: socket.socket) -> None:
        assert self._uvicorn is not None
        try:
            self._uvicorn.run(sockets=[sock])
        except BaseException as exc:  # reported by start() instead of dying silently in the thread
            self._error = exc
        finally:
            sock.close()

    def _wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + self.startup_timeout
        headers = {"Authorization": f"Bearer {self.settings.admin_token}"} if self.settings.admin_token else {}
        with httpx.Client(timeout=2.0) as probe:
            while time.monotonic() < deadline:
                assert self._thread is not None and self._uvicorn is not None
                if not self._thread.is_alive():
                    raise ServerStartError(f"boi-mock did not start: {self._error!r}") from self._error
                if self._uvicorn.started:
                    try:
                        if probe.get(url + "/_mock/health", headers=headers).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                time.sleep(0.01)
        self.stop()
        raise ServerStartError(f"boi-mock did not answer {url}/_mock/health within {self.startup_timeout}s")

    def stop(self, timeout: float = 10.0) -> None:
        if self.server is not None:
            self.server.close()
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)


# --- child processes ----------------------------------------------------------------------------


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (on `host`); a child process binds it a moment later."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def boi_mock_command() -> list[str]:
    """`boi-mock` beside this interpreter (the venv's script), else `python -m boi_mock.cli`."""
    script = Path(sys.executable).parent / "boi-mock"
    return [str(script)] if script.exists() else [sys.executable, "-m", "boi_mock.cli"]


def _answers_200(response: httpx.Response) -> bool:
    return response.status_code == 200


class ServerProcess:
    """A server command as a child process: `start()` (spawn, then poll `health_url` until `ok`), `stop()`
    (SIGINT as Ctrl+C, SIGKILL if it hangs), `kill()` (SIGKILL: no shutdown at all). Its output, stdout and
    stderr, goes to `log_path` (appended: a restart adds to it). Only this process is ever signalled, by its id.

    `new_session`: its own process group (a test's kill -9 reaches it alone); without it the server stays in
    this process's group, so whoever stops the group (bench/run_all.py's time limit) stops the server too.
    """

    def __init__(self, argv: Sequence[str], health_url: str, log_path: Path, *,
                 env: Mapping[str, str] | None = None, cwd: Path | None = None, new_session: bool = False,
                 ok: Callable[[httpx.Response], bool] = _answers_200) -> None:
        self.argv = list(argv)
        self.health_url = health_url
        self.log_path = log_path
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.new_session = new_session
        self.ok = ok
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.started_in: float | None = None  # seconds from spawn to the first healthy answer
        self._spawned = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def launch(self) -> None:
        """Spawn and return at once (several servers starting together); `wait_healthy()` next."""
        self.starts += 1
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {self.starts}: {' '.join(self.argv)}\n".encode())
            log.flush()
            self._spawned = time.perf_counter()
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=self.new_session)

    def wait_healthy(self, timeout: float = 60.0) -> Self:
        """Poll until the health URL answers `ok`; ServerStartError (with the log's tail) when the process
        exits first or `timeout` passes (then it is killed)."""
        assert self.proc is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise ServerStartError(f"{self.argv[0]} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.ok(httpx.get(self.health_url, timeout=1.0)):
                    self.started_in = time.perf_counter() - self._spawned
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise ServerStartError(f"{self.health_url} did not answer within {timeout:.0f}s:\n{self.log_tail()}")
            time.sleep(0.02)

    def start(self, timeout: float = 60.0) -> Self:
        self.launch()
        return self.wait_healthy(timeout)

    def kill(self) -> None:
        """kill -9: no shutdown hook, no flush, no graceful stop of the job worker."""
        if self.running():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(10)

    def stop(self, grace: float = 15.0) -> None:
        """A graceful stop (SIGINT, as Ctrl+C: uvicorn finishes what it serves), then SIGKILL after `grace`."""
        if not self.running():
            return
        assert self.proc is not None
        try:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


class BoiMockProcess(ServerProcess):
    """`boi-mock serve` on `database_url` as a child process (it migrates the database first, as serve does).

    `env` is added to this process's environment (a None value removes a variable); the server logs at
    `log_level` and seeds nothing unless `seed`. Each start picks a free port unless `port` is given;
    `url` is where it listens (loopback when it binds every interface).
    """

    def __init__(self, database_url: str, log_path: Path, *, env: Mapping[str, str | None] | None = None,
                 args: Sequence[str] = (), host: str = "127.0.0.1", port: int | None = None, seed: bool = False,
                 log_level: str = "warning", base_env: Mapping[str, str] | None = None,
                 cwd: Path | None = None, new_session: bool = True) -> None:
        merged: dict[str, str | None] = {**(os.environ if base_env is None else base_env),
                                         "BOI_MOCK_LOG_LEVEL": log_level,
                                         "BOI_MOCK_SEED_ON_START": "true" if seed else "false",
                                         "PYTHONUNBUFFERED": "1", **(env or {})}
        super().__init__([], "", log_path, env={k: v for k, v in merged.items() if v is not None}, cwd=cwd,
                         new_session=new_session)
        self.database_url = database_url
        self.args = list(args)
        self.host = host
        self.fixed_port = port
        self.port = port or 0

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"

    def launch(self, *args: str) -> None:
        """Spawn and return at once; `args`: extra `serve` arguments for this start (`--workers 3`)."""
        if args:
            self.args = list(args)
        self.port = self.fixed_port or free_port("0.0.0.0" if self.host in ("0.0.0.0", "") else "127.0.0.1")
        self.argv = [*boi_mock_command(), "serve", "--host", self.host, "--port", str(self.port),
                     "--database-url", self.database_url, *self.args]
        self.health_url = self.url + "/_mock/health"
        super().launch()

    def start(self, timeout: float = 60.0) -> Self:
        """Start and wait until healthy; on a free port another process took meanwhile, try another (3 tries)."""
        for attempt in range(3):
            self.launch()
            try:
                return self.wait_healthy(timeout)
            except ServerStartError:
                lost_race = "address already in use" in self.log_tail(5).lower()
                if attempt == 2 or self.fixed_port is not None or not lost_race:
                    raise
        raise AssertionError("unreachable")

    def restart(self, timeout: float = 60.0) -> Self:
        """kill -9, then start again on the same database."""
        self.kill()
        return self.start(timeout)
