"""boi-mock in a background thread of the test process: real uvicorn on a free loopback port.

The listening socket is bound before uvicorn starts (port 0, no race between picking a port and
binding it) and handed to uvicorn; readiness is `/_mock/health` answering 200 (MOCK-1).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from boi_mock.client.control import MockControl

if TYPE_CHECKING:
    import uvicorn

    from boi_mock.settings import Settings


class ServerStartError(RuntimeError):
    pass


@dataclass
class BoiServer:
    """A boi-mock to test against: `url` (server root), `base_url` (the vendor's …/campus), `control`."""

    url: str
    admin_token: str | None = None
    control: MockControl = field(init=False)
    started_in: float | None = None  # seconds it took to start (None: an external server)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/").removesuffix("/campus")
        self.control = MockControl(self.url, admin_token=self.admin_token)

    @property
    def base_url(self) -> str:
        return self.url + "/campus"

    def close(self) -> None:
        self.control.close()


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

        from boi_mock.main import create_app

        began = time.perf_counter()
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
        self.server = BoiServer(url, admin_token=settings.admin_token,
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
