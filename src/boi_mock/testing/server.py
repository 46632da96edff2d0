"""boi-mock for a test session: in this process without a socket (the default), or uvicorn on a loopback port.

`InProcessServer` runs the app on an event loop thread of the test process and clients reach it
through an httpx transport (`boi_mock.testing.inprocess`): no port, no HTTP parsing, nothing to wait
for. `ThreadedServer` is real uvicorn in a background thread, for tests that need a socket (code
under test that opens its own connections, a subprocess, a browser). Its listening socket is bound
before uvicorn starts (port 0, no race between picking a port and binding it) and handed to uvicorn;
readiness is `/_mock/health` answering 200 (MOCK-1).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import httpx

from boi_mock.client.control import MockControl

if TYPE_CHECKING:
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
        config = uvicorn.Config(create_app(settings), log_config=None, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2, lifespan="on")
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
