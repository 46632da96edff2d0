"""ASGI middleware around the BOI API: body limits (413), content type (415), Error Log (ERR-1), journal (MOCK-9).

It reads the body once (bounded), replays it to the app, watches the response, and afterwards
writes the journal entry and, for 4xx/5xx, the Error Log row — in their own transaction, because
the request's own transaction has been rolled back when it failed.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import anyio

from boi_mock.api.asgi import ASGIApp, Message, Receive, Scope, Send
from boi_mock.domain.masking import mask_body, mask_text
from boi_mock.errors import problem_body
from boi_mock.services import observability

log = logging.getLogger("boi_mock")

BOI_MARKER = "/api/businessOfficeIntegration"


def is_boi_path(path: str) -> bool:
    return BOI_MARKER in path and not path.rstrip("/").endswith(("/documentation", "/openapi.json")) \
        and "/documentation/" not in path


class _MaskedAccessLog(logging.Filter):
    """uvicorn's access log prints each request line with its query string, where a vendor may have put a
    client secret, an access token or an SSN: masked like the journal's (AUTH-5)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(mask_text(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


_ACCESS_LOG_MASK = _MaskedAccessLog()


def _install_access_log_mask() -> None:
    logger = logging.getLogger("uvicorn.access")
    if _ACCESS_LOG_MASK not in logger.filters:
        logger.addFilter(_ACCESS_LOG_MASK)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _control_characters_in_url(scope: Scope) -> str | None:
    """'path' or 'query' when the decoded URL holds a control character (a NUL would reach the database)."""
    if _CONTROL.search(scope["path"]):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if query and _CONTROL.search(unquote_plus(query)):
        return "query"
    return None


class BoiObserver:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, record: Callable[..., None] | None = None) -> None:
        _install_access_log_mask()
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.record = record or observability.record_call

    async def _reply(self, scope: Scope, send: Send, status: int, code: str, detail: str) -> bytes:
        body = json.dumps(problem_body(status, code, detail)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        scope.setdefault("state", {})["error_detail"] = detail
        scope["state"]["error_code"] = code
        return body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_boi_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        status_box = {"status": 500}
        response_chunks: list[bytes] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            elif message["type"] == "http.response.body" and sum(map(len, response_chunks)) < 300_000:
                response_chunks.append(message.get("body", b""))
            await send(message)

        body = b""
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            status_box["status"] = 413
            await self._reply(scope, send, 413, "payload_too_large",
                              f"Request body of {declared} bytes exceeds the limit of {self.max_body_bytes} bytes")
        else:
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size <= self.max_body_bytes:
                    chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if size > self.max_body_bytes:
                status_box["status"] = 413
                await self._reply(scope, send, 413, "payload_too_large",
                                  f"Request body exceeds the limit of {self.max_body_bytes} bytes")
            elif bad_url := _control_characters_in_url(scope):
                status_box["status"] = 400
                await self._reply(scope, send, 400, "invalid_value",
                                  f"The request {bad_url} holds a control character; percent-encoded "
                                  "control characters are not allowed in BOI paths or parameters")
            elif method in ("POST", "PUT", "PATCH") and body.strip() and not (
                ctype == "application/json" or ctype.endswith("+json")
            ):
                status_box["status"] = 415
                await self._reply(scope, send, 415, "unsupported_media_type",
                                  f"Content-Type must be application/json, got {ctype or 'none'!r}")
            else:
                replayed = False

                async def replay() -> Message:
                    nonlocal replayed
                    if not replayed:
                        replayed = True
                        return {"type": "http.request", "body": body, "more_body": False}
                    return await receive()

                await self.app(scope, replay, watch)
        state = scope.get("state", {})
        district_id = state.get("district_id")
        # Rejected before the district was known (413/415 here; malformed JSON or a too-big sync transfer
        # before authentication ran): the token still names the district whose Error Log gets the row (ERR-1).
        if district_id is None and status_box["status"] >= 400:
            district_id = await anyio.to_thread.run_sync(
                lambda: observability.district_for_authorization(scope["app"], headers.get("authorization")))
        if district_id is None:
            return
        duration_ms = (time.perf_counter() - started) * 1000
        status = status_box["status"]
        query = scope.get("query_string", b"").decode("latin-1") or None
        entry: dict[str, Any] = {
            "district_id": district_id, "method": method, "path": scope["path"],
            "query": mask_text(query) if query else None, "status": status,
            "duration_ms": round(duration_ms, 3), "request_body": mask_body(body),
            "response_body": mask_body(b"".join(response_chunks)), "rules": list(state.get("rules", [])),
            "error_message": mask_text(str(state.get("error_detail") or f"HTTP {status}")),
            "error_code": state.get("error_code"),
        }
        try:
            await anyio.to_thread.run_sync(lambda: self.record(scope["app"], entry))
        except Exception:  # the call itself was answered; never turn it into a crash
            log.exception("Could not write the journal/error log entry")
