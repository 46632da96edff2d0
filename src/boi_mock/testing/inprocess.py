"""An ASGI app served inside the test process, without a socket: a sync httpx transport over an event loop thread.

`InProcessApp` runs the app's lifespan once on an anyio blocking portal (one event loop in one
background thread, as uvicorn would run it); `AsgiTransport` hands each httpx request to that loop
and waits for the answer. Unlike Starlette's TestClient transport it behaves like the socket server
a vendor's client really talks to, because that is what the tests are about:

* an exception after the app began its answer hangs up, as uvicorn does: the client gets
  `httpx.RemoteProtocolError` (a `dropConnection` fault included), never the server's exception;
  an exception before it is a plain 500 (and is logged to `uvicorn.error`, as uvicorn logs it);
* the request's read timeout holds: waiting longer raises `httpx.ReadTimeout` while the server
  goes on with the request, as a real one does after a client gave up;
* requests from several threads run concurrently on the one loop.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import unquote

import anyio
import httpx
from anyio.abc import TaskStatus
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp, Message, Scope

log = logging.getLogger("uvicorn.error")
CLIENT = ("127.0.0.1", 50000)


class LifespanError(RuntimeError):
    """The app's lifespan startup or shutdown failed."""


class _Answer:
    """What the app sent for one request."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.complete = False
        self.unwritable = False  # a start message no HTTP/1.1 server could write (nothing reached the client)


def _writable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    """What h11 checks before uvicorn writes a status line and headers."""
    if not 100 <= status <= 999:
        return False
    return not any(b"\r" in part or b"\n" in part or b"\0" in part for header in headers for part in header)


class InProcessApp:
    """`start()` runs the lifespan's startup on a new event loop thread; `stop()` its shutdown."""

    def __init__(self, app: ASGIApp, *, name: str = "boi-mock:in-process") -> None:
        self.app = app
        self.name = name
        self.state: dict[str, Any] = {}
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._lifespan: Future[None] | None = None
        self._shutdown: anyio.Event | None = None
        self._lock = threading.Lock()

    @property
    def portal(self) -> BlockingPortal:
        if self._portal is None:
            raise RuntimeError("the in-process app is not running")
        return self._portal

    def start(self) -> None:
        self._portal_cm = start_blocking_portal(name=self.name)
        self._portal = self._portal_cm.__enter__()
        try:
            self._lifespan, _ = self._portal.start_task(self._run_lifespan)
        except BaseException:
            self._close_portal()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            portal, self._portal = self._portal, None
        if portal is None:
            return
        try:
            if self._shutdown is not None and self._lifespan is not None:
                portal.call(self._shutdown.set)
                self._lifespan.result(timeout)
        finally:
            # Requests still running (a client gave up on a delayed one) are cancelled, as uvicorn cancels
            # them at shutdown, instead of holding up the end of the test session.
            with contextlib.suppress(RuntimeError):
                portal.call(portal.stop, True)
            self._portal = portal
            self._close_portal()

    def _close_portal(self) -> None:
        cm, self._portal_cm, self._portal = self._portal_cm, None, None
        if cm is not None:
            cm.__exit__(None, None, None)

    async def _run_lifespan(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        shutdown = self._shutdown = anyio.Event()
        started = anyio.Event()
        failures: list[str] = []
        raised: list[BaseException] = []
        steps = iter(("lifespan.startup", "lifespan.shutdown"))

        async def receive() -> Message:
            step = next(steps)
            if step == "lifespan.shutdown":
                await shutdown.wait()
            return {"type": step}

        async def send(message: Message) -> None:
            kind = str(message["type"])
            if kind.endswith(".failed"):
                failures.append(str(message.get("message", "")))
            if kind.startswith("lifespan.startup."):
                started.set()

        async def run() -> None:
            scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
            try:
                await self.app(scope, receive, send)
            except BaseException as exc:  # reported below, as uvicorn's lifespan "on" would stop the server
                raised.append(exc)
            finally:
                started.set()

        running = False
        async with anyio.create_task_group() as group:
            group.start_soon(run)
            await started.wait()
            if failures or raised:
                group.cancel_scope.cancel()
            else:
                running = True
                task_status.started()
        if failures or raised:
            step = "shutdown" if running else "startup"
            cause = raised[0] if raised else None
            reason = failures[0] if failures else repr(cause)
            raise LifespanError(f"{step} failed: {reason}") from cause

    def transport(self) -> AsgiTransport:
        return AsgiTransport(self)


class AsgiTransport(httpx.BaseTransport):
    """A sync httpx transport into an `InProcessApp`; closing it leaves the app running."""

    def __init__(self, server: InProcessApp) -> None:
        self.server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        answer = _Answer()
        future = self.server.portal.start_task_soon(self._serve, request, body, answer)
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            future.result(timeout)
        except FutureTimeout:
            # The server goes on (and may still apply the request); the client stops waiting.
            raise httpx.ReadTimeout("timed out", request=request) from None
        except Exception as exc:
            log.error("Exception in ASGI application", exc_info=exc)
        if answer.status is None:  # nothing sent: uvicorn answers 500 itself
            return httpx.Response(500, headers=[(b"content-type", b"text/plain; charset=utf-8")],
                                  content=b"Internal Server Error", request=request)
        if not answer.complete:
            raise self._hang_up(request, answer)
        return httpx.Response(answer.status, headers=answer.headers, stream=httpx.ByteStream(b"".join(answer.body)),
                              request=request, extensions={"http_version": b"HTTP/1.1"})

    @staticmethod
    def _hang_up(request: httpx.Request, answer: _Answer) -> httpx.RemoteProtocolError:
        """The connection closed: before a byte of answer (uvicorn refused the start), or mid-answer."""
        if answer.unwritable:
            return httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.RemoteProtocolError("peer closed connection without sending complete message body",
                                         request=request)

    async def _serve(self, request: httpx.Request, body: bytes, answer: _Answer) -> None:
        url = request.url
        raw_path = url.raw_path.split(b"?", 1)[0]
        port = url.port or (443 if url.scheme == "https" else 80)
        scope: Scope = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
            "method": request.method, "scheme": url.scheme, "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path, "query_string": url.query, "root_path": "",
            "headers": [(key.lower(), value) for key, value in request.headers.raw],
            "client": CLIENT, "server": (url.host, port), "state": dict(self.server.state), "extensions": {},
        }
        done = anyio.Event()
        received = False

        async def receive() -> Message:
            nonlocal received
            if not received:
                received = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                if answer.status is not None:
                    raise RuntimeError("the response has already started")
                headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
                answer.status, answer.headers = int(message["status"]), headers
                if not _writable(answer.status, headers):
                    answer.unwritable = True
                    raise RuntimeError("invalid status line or header (nothing written)")
            elif kind == "http.response.body":
                if answer.status is None or answer.complete:
                    raise RuntimeError(f"unexpected {kind}")
                answer.body.append(bytes(message.get("body", b"")))
                if not message.get("more_body", False):
                    answer.complete = True
                    done.set()

        try:
            await self.server.app(scope, receive, send)
        finally:
            done.set()

    def close(self) -> None:
        """The app belongs to its `InProcessApp` (stopped by `stop()`); a client's close leaves it alone."""
