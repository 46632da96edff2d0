"""Fault injection for a district's BOI calls (toolkit): delays, error answers, dropped connections.

Sits inside `BoiObserver` (which reads the body, and journals whatever this middleware answers),
so an injected error is a problem+json response that lands in the request journal and the Error
Log like a real one. A dropped connection sends nothing at all: the journal records it with
status 0 ("no response"), written here because the observer never sees an answer.

How a connection is dropped without a byte: uvicorn marks the response started *before* it
validates the status line (h11) or the headers (httptools), and closes the transport when the app
then fails. So we send a start message it refuses (status 599, a CR LF header value: it raises
before writing anything) and raise `ConnectionDropped`. Starlette's error middleware then sends no
500 (the response has "started"), and log filters keep the tracebacks of this deliberate failure
out of the logs. In-process test clients, which do not validate, see `ConnectionDropped` raised
(or, with raise_server_exceptions=False, an empty 599).
"""

from __future__ import annotations

import http
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

import anyio

from boi_mock.api.asgi import ASGIApp, Receive, Scope, Send
from boi_mock.api.observer import is_boi_path
from boi_mock.domain import faults as rules
from boi_mock.domain.masking import mask_body, mask_text
from boi_mock.errors import PROBLEM_BASE, problem_body
from boi_mock.services import faults as fault_service
from boi_mock.services import observability

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


def _install_log_filter() -> None:
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


class FaultInjector:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        _install_log_filter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or rules.relative_path(scope["path"]) is None or not _is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        app = scope["app"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        method, path = scope["method"], scope["path"]
        decision = await anyio.to_thread.run_sync(lambda: fault_service.decide(
            app.state.db, app.state.signing_key, method=method, path=path,
            authorization=headers.get("authorization"), query_app_name=(query.get("appName") or [None])[0]))
        if decision is None:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["district_id"] = decision.district_id
        if decision.delay_ms:
            await anyio.sleep(decision.delay_ms / 1000)
        if decision.drop_connection:
            await self._drop(scope, receive, send, decision, started)
        elif decision.status is not None:
            state["rules"] = [f"fault {decision.rule_id}: HTTP {decision.status} injected"]
            await self._answer(scope, send, decision)
        else:
            note = f"fault {decision.rule_id}: {decision.delay_ms} ms delay injected"
            try:
                await self.app(scope, receive, send)
            finally:
                # The route sets state["rules"] to its own list; the observer reads it after we return.
                state["rules"] = [note, *state.get("rules", [])]

    async def _answer(self, scope: Scope, send: Send, decision: fault_service.Decision) -> None:
        body = injected_problem(decision)
        state = scope["state"]
        state["error_detail"] = body.get("detail")
        state["error_code"] = body.get("code")
        raw = json.dumps(body).encode()
        headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(raw)).encode())]
        if decision.status == 401:
            headers.append((b"www-authenticate", b'Bearer error="invalid_token"'))
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in decision.headers.items()]
        await send({"type": "http.response.start", "status": decision.status, "headers": headers})
        await send({"type": "http.response.body", "body": raw})

    async def _drop(self, scope: Scope, receive: Receive, send: Send, decision: fault_service.Decision,
                    started: float) -> None:
        if rules.relative_path(scope["path"]) != rules.TOKEN_PATH:
            request = await receive()  # the observer replays the whole body in one message
            await self._journal_drop(scope, decision, started, request.get("body", b""))
        message = f"fault rule {decision.rule_id}: connection dropped"
        try:
            await send({"type": "http.response.start", "status": _UNWRITABLE_STATUS, "headers": [_UNWRITABLE_HEADER]})
        except Exception as exc:  # the server refused it and wrote nothing: now make it hang up
            raise ConnectionDropped(message) from exc
        raise ConnectionDropped(message)

    async def _journal_drop(self, scope: Scope, decision: fault_service.Decision, started: float,
                            body: bytes) -> None:
        app = scope["app"]
        query = scope.get("query_string", b"").decode("latin-1") or None
        entry: dict[str, Any] = {
            "district_id": decision.district_id, "method": scope["method"], "path": scope["path"],
            "query": mask_text(query) if query else None, "status": DROPPED_STATUS,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3), "request_body": mask_body(body),
            "response_body": None, "rules": [f"fault {decision.rule_id}: connection dropped"],
            "error_message": "connection dropped", "error_code": None,
        }
        try:
            await anyio.to_thread.run_sync(lambda: observability.record_call(app, entry))
        except Exception:
            log.exception("Could not journal a dropped connection")


def _is_api_path(path: str) -> bool:
    """BOI operations and the token endpoint; never the documentation pages."""
    return rules.relative_path(path) == rules.TOKEN_PATH or is_boi_path(path)
