"""The in-process transport answers like uvicorn on a socket would, as far as an httpx client can tell."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from starlette.types import Receive, Scope, Send

from boi_mock.testing.district import BoiDistrict
from boi_mock.testing.inprocess import InProcessApp, LifespanError


class Demo:
    """A bare ASGI app whose paths misbehave in the ways a server has to deal with."""

    def __init__(self) -> None:
        self.finished: list[str] = []
        self.started = threading.Event()
        self.state_seen: dict[str, Any] = {}
        self.rendezvous: anyio.Event | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        path = scope["path"]
        request = await receive()
        if path == "/raise-before":
            raise RuntimeError("boom")
        if path == "/raise-after":
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"partial", "more_body": True})
            raise RuntimeError("boom")
        if path == "/unwritable":
            try:
                await send({"type": "http.response.start", "status": 599, "headers": [(b"x-drop", b"\r\n")]})
            except RuntimeError:
                raise ConnectionAbortedError("dropped") from None
        if path == "/forever":
            await anyio.sleep_forever()
        if path == "/slow":
            await anyio.sleep(0.5)
            self.finished.append(path)
        if path in ("/first", "/second"):
            # /first can only finish once /second has arrived: only concurrent requests get there.
            if self.rendezvous is None:
                self.rendezvous = anyio.Event()
            if path == "/second":
                self.rendezvous.set()
            await self.rendezvous.wait()
        self.state_seen = dict(scope["state"])
        body = b"|".join([scope["method"].encode(), scope["path"].encode(), scope["query_string"],
                          dict(scope["headers"]).get(b"x-test", b""), request["body"]])
        await send({"type": "http.response.start", "status": 201, "headers": [(b"x-answer", b"yes")]})
        await send({"type": "http.response.body", "body": body})

    async def lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert (await receive())["type"] == "lifespan.startup"
        scope["state"]["greeting"] = "hello"
        await send({"type": "lifespan.startup.complete"})
        assert (await receive())["type"] == "lifespan.shutdown"
        self.finished.append("lifespan")
        await send({"type": "lifespan.shutdown.complete"})


@pytest.fixture
def demo() -> Iterator[tuple[Demo, httpx.Client]]:
    app = Demo()
    server = InProcessApp(app)
    server.start()
    try:
        with httpx.Client(base_url="http://demo.invalid", transport=server.transport()) as http:
            yield app, http
    finally:
        server.stop()
    assert app.finished[-1] == "lifespan", "the lifespan's shutdown ran"


def test_request_and_answer_pass_through_whole(demo: tuple[Demo, httpx.Client]) -> None:
    app, http = demo
    response = http.post("/a%20b/c", params={"q": "1 2"}, headers={"X-Test": "t"}, content=b"body")
    assert response.status_code == 201 and response.headers["x-answer"] == "yes"
    assert response.content == b"POST|/a b/c|q=1+2|t|body"
    assert app.state_seen == {"greeting": "hello"}, "the lifespan's state reaches every request"


def test_an_error_before_the_answer_is_a_plain_500(demo: tuple[Demo, httpx.Client]) -> None:
    response = demo[1].get("/raise-before")
    assert (response.status_code, response.text) == (500, "Internal Server Error")


def test_an_error_mid_answer_hangs_up(demo: tuple[Demo, httpx.Client]) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"):
        demo[1].get("/raise-after")


def test_an_answer_no_server_could_write_is_a_dropped_connection(demo: tuple[Demo, httpx.Client]) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        demo[1].get("/unwritable")
    assert demo[1].get("/after").status_code == 201, "the transport keeps working"


def test_the_read_timeout_holds_and_the_server_goes_on(demo: tuple[Demo, httpx.Client]) -> None:
    app, http = demo
    with pytest.raises(httpx.ReadTimeout):
        http.get("/slow", timeout=0.05)
    assert http.get("/slow", timeout=10).status_code == 201
    assert app.finished.count("/slow") >= 1


def test_stopping_cancels_a_request_its_client_gave_up_on() -> None:
    app = Demo()
    server = InProcessApp(app)
    server.start()
    with httpx.Client(base_url="http://demo.invalid", transport=server.transport()) as http, \
            pytest.raises(httpx.ReadTimeout):
        http.get("/forever", timeout=0.05)
    stopping = threading.Thread(target=server.stop)
    stopping.start()
    stopping.join(60)  # a liveness bound, not a speed check: without the cancel it never ends
    assert not stopping.is_alive()
    assert app.finished == ["lifespan"]


def test_requests_from_several_threads_run_concurrently(demo: tuple[Demo, httpx.Client]) -> None:
    http = demo[1]
    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(http.get("/first", timeout=30).status_code))
    first.start()
    answers.append(http.get("/second", timeout=30).status_code)
    first.join()
    assert answers == [201, 201]


def test_a_failed_startup_is_reported() -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})

    with pytest.raises(LifespanError, match="startup failed: no database"):
        InProcessApp(broken).start()


def _drop_and_recover(district: BoiDistrict) -> None:
    district.add_fault(method="GET", path="/schools", drop_connection=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        district.client.schools()
    assert district.client.schools()
    assert [entry.status for entry in district.calls("GET", "/schools")] == [0, 200]


@pytest.mark.parametrize("mode", ["in-process", pytest.param("socket", marks=pytest.mark.boi_live_server)])
def test_a_dropped_connection_looks_the_same_in_both_modes(mode: str, boi_district: BoiDistrict) -> None:
    assert ("invalid" in boi_district.base_url) == (mode == "in-process")
    _drop_and_recover(boi_district)


@pytest.mark.parametrize("mode", ["in-process", pytest.param("socket", marks=pytest.mark.boi_live_server)])
def test_a_delay_beyond_the_timeout_is_a_timeout_in_both_modes(mode: str, boi_district: BoiDistrict) -> None:
    boi_district.add_fault(method="GET", path="/schools", delay_ms=1000, times=1)
    with pytest.raises(httpx.ReadTimeout):
        boi_district.http.get("/schools", timeout=0.1)
    assert boi_district.http.get("/schools").status_code == 200
