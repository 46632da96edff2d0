"""Fault injection (toolkit), step 3 of `boi_mock.api.pipeline`: delays, error answers, dropped connections.

For a BOI call the pipeline decides after authentication (faults are a test double for the network
and the server, not a way around AUTH-3) and only for a district that has fault rules. An injected
error is a problem+json answer journalled and written to the Error Log like a real one. A dropped
connection sends nothing at all: the journal records it with status 0 ("no response").
Token requests are faulted by `TokenRoute` (rules whose path names `/oauth2/token`).

How a connection is dropped without a byte — and why it is tied to uvicorn: ASGI has no message that
closes a connection without an answer. An app that raises before `http.response.start` gets a 500 (from
Starlette's error middleware, else from the server: uvicorn's `run_asgi` sends one). Only once a response
has started does uvicorn close the transport on an error. uvicorn (0.54, both its httptools and h11
protocols) marks the response started *before* it validates the status line and headers; so
`DropConnection` sends a start message it refuses (status 599, a CR LF header value: it raises before
writing anything) and raises `ConnectionDropped`. Starlette's error middleware then sends no 500 (the
response has "started"), and log filters keep the tracebacks of this deliberate failure out of the logs.
Another ASGI server may write the 599 or answer 500 instead: boi-mock is served by uvicorn only
(`boi-mock serve`), and `tests/toolkit/test_faults.py::test_drop_connection_closes_without_an_answer_on_a_real_server`
fails if a uvicorn upgrade changes this. In-process test clients, which do not validate, see
`ConnectionDropped` raised (or, with raise_server_exceptions=False, an empty 599).
"""

from __future__ import annotations

import http
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from boi_mock.api.pipeline import BoiCall
from boi_mock.db import Database
from boi_mock.domain import tokens
from boi_mock.errors import PROBLEM_BASE, problem_body
from boi_mock.services import faults as fault_service

log = logging.getLogger("boi_mock")

INJECTED_CODE = "injected_fault"
DROPPED_STATUS = 0
# A start message no HTTP/1.1 server will write: uvicorn raises on it before sending anything.
_UNWRITABLE_STATUS = 599
_UNWRITABLE_HEADER = (b"x-boi-mock-drop", b"\r\n")


class ConnectionDropped(Exception):
    """Raised to make the server close the connection without an answer (dropConnection)."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped) and not isinstance(
            getattr(exc, "__context__", None), ConnectionDropped)


_QUIET = _QuietDrops()


def install_log_filter() -> None:
    for name in ("uvicorn.error", "boi_mock"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


def injected_problem(decision: fault_service.Decision) -> dict[str, Any]:
    status = decision.status or 500
    try:
        title = http.HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = problem_body(status, INJECTED_CODE,
                        f"Fault injected by boi-mock (fault rule {decision.rule_id}): HTTP {status}")
    body["title"] = title
    if decision.problem:
        body.update(decision.problem)
        if "type" not in decision.problem:
            body["type"] = PROBLEM_BASE + str(body.get("code") or INJECTED_CODE)
    body["status"] = status
    return body


class DropConnection(Response):
    """A "response" that makes the server hang up without a byte (see the module docstring)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": _UNWRITABLE_STATUS, "headers": [_UNWRITABLE_HEADER]})
        except Exception as exc:  # the server refused it and wrote nothing: now make it hang up
            raise ConnectionDropped(self.message) from exc
        raise ConnectionDropped(self.message)


def answer(decision: fault_service.Decision, call: BoiCall | None = None) -> Response:
    """The injected problem+json answer (the call, when there is one, is told what the Error Log should say)."""
    body = injected_problem(decision)
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if decision.status == 401 else {}
    headers.update(decision.headers)
    if call is not None:
        call.error_detail, call.error_code = body.get("detail"), body.get("code")
        call.rules[:] = [f"fault {decision.rule_id}: HTTP {decision.status} injected"]
    return JSONResponse(body, status_code=decision.status or 500, headers=headers,
                        media_type="application/problem+json")


async def apply(decision: fault_service.Decision, call: BoiCall | None = None) -> Response | None:
    """Wait the rule's delay, then: the answer to send instead of the real one, or None (go on)."""
    if decision.delay_ms:
        await anyio.sleep(decision.delay_ms / 1000)
    if decision.drop_connection:
        return DropConnection(f"fault rule {decision.rule_id}: connection dropped")
    if decision.status is not None:
        return answer(decision, call)
    if call is not None:
        call.rules.insert(0, f"fault {decision.rule_id}: {decision.delay_ms} ms delay injected")
    return None


def decide_token(db: Database, *, method: str, path: str, app_name: str | None) -> fault_service.Decision | None:
    """The fault for a token request (`/oauth2/token` rules) of the district named by `?appName=`: a read, then
    the hit counts in a write transaction of their own (they stand whatever the request does next)."""
    if not app_name or not tokens.APP_NAME.fullmatch(app_name):  # never a query with junk (NUL fails on PostgreSQL)
        return None
    with db.unit_of_work(write=False) as session:
        district, armed = fault_service.district_and_armed(session, app_name)
    if district is None or not armed:
        return None
    with db.unit_of_work(write=True) as session:
        return fault_service.decide_for(session, district.id, method=method, path=path)


class TokenRoute(APIRoute):
    """The token endpoint, faulted by rules whose path names it (the district comes from `?appName=`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        install_log_filter()

        async def handler(request: Request) -> Response:
            app_name = request.query_params.get("appName")
            db = request.app.state.db
            decision = await anyio.to_thread.run_sync(lambda: decide_token(
                db, method=request.method, path=request.url.path, app_name=app_name))
            if decision is not None and (injected := await apply(decision)) is not None:
                return injected
            return await original(request)

        return handler
