"""The one ASGI middleware of the BOI API (steps 1 and 7 of `boi_mock.api.pipeline`).

It must see raw bytes: it reads the body once (bounded: 413), refuses a non-JSON body (415) and a
percent-encoded control character in the URL (400), and creates the call's `BoiCall`. It watches the
answer, and hands the call's record to the journal writer before the answer's last byte goes out
(so a journal read that starts after the answer always finds it queued, and waits for it).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from boi_mock.api.asgi import ASGIApp, Message, Receive, Scope, Send
from boi_mock.api.pipeline import STATE_KEY, BoiCall, is_boi_path
from boi_mock.domain.masking import mask_text
from boi_mock.errors import problem_body
from boi_mock.services.observability import JournalWriter

log = logging.getLogger("boi_mock")
RESPONSE_KEPT = 300_000  # bytes of an answer the journal keeps
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _MaskedAccessLog(logging.Filter):
    """uvicorn's access log prints each request line with its query string, where a vendor may have put a
    client secret, an access token or an SSN: masked like the journal's (AUTH-5)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_text(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


_ACCESS_LOG_MASK = _MaskedAccessLog()


def _install_access_log_mask() -> None:
    """uvicorn's access log, and boi-mock's own log (its messages name paths: `/staffMembers/587-21-4963`)."""
    for name in ("uvicorn.access", "boi_mock"):
        logger = logging.getLogger(name)
        if _ACCESS_LOG_MASK not in logger.filters:
            logger.addFilter(_ACCESS_LOG_MASK)


def _control_characters_in_url(scope: Scope) -> str | None:
    """'path' or 'query' when the decoded URL holds a control character (a NUL would reach the database)."""
    if _CONTROL.search(scope["path"]):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if query and _CONTROL.search(unquote_plus(query)):
        return "query"
    return None


def journal_writer(app: Any) -> JournalWriter:
    writer: JournalWriter = app.state.journal_writer
    return writer


def without_trailing_slash(scope: Scope) -> Scope:
    """`POST …/staffMembers/` is `POST …/staffMembers`: answered, never redirected (a 307 would make many HTTP
    clients drop the body or the Authorization header). Every BOI route, one rule."""
    raw = scope.get("raw_path")
    return {**scope, "path": scope["path"].rstrip("/") or "/",
            **({"raw_path": raw.rstrip(b"/") or b"/"} if isinstance(raw, bytes) else {})}


class BoiGate:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        _install_access_log_mask()
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_boi_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope["path"].endswith("/"):
            scope = without_trailing_slash(scope)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = scope.get("query_string", b"").decode("latin-1") or None
        call = BoiCall(method=scope["method"], path=scope["path"], query=query,
                       authorization=headers.get("authorization"))
        scope.setdefault("state", {})[STATE_KEY] = call
        writer = journal_writer(scope["app"])

        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(call, writer, send, 413, "payload_too_large",
                               f"Request body of {declared} bytes exceeds the limit of {self.max_body_bytes} bytes")
            return
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
        call.body = b"".join(chunks)
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if size > self.max_body_bytes:
            await self._refuse(call, writer, send, 413, "payload_too_large",
                               f"Request body exceeds the limit of {self.max_body_bytes} bytes")
            return
        if bad_url := _control_characters_in_url(scope):
            await self._refuse(call, writer, send, 400, "invalid_value",
                               f"The request {bad_url} holds a control character; percent-encoded "
                               "control characters are not allowed in BOI paths or parameters")
            return
        if call.method in ("POST", "PUT", "PATCH") and call.body.strip() and not (
            ctype == "application/json" or ctype.endswith("+json")
        ):
            await self._refuse(call, writer, send, 415, "unsupported_media_type",
                               f"Content-Type must be application/json, got {ctype or 'none'!r}")
            return

        replayed = False
        status = 500
        answer: list[bytes] = []
        kept = 0
        started = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": call.body, "more_body": False}
            return await receive()

        async def watch(message: Message) -> None:
            nonlocal status, kept, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            elif message["type"] == "http.response.body":
                if kept < RESPONSE_KEPT:
                    chunk = message.get("body", b"")
                    answer.append(chunk)
                    kept += len(chunk)
                if not message.get("more_body", False) and not call.journalled:
                    call.journalled = True
                    writer.submit(call.record(status, b"".join(answer)))
            await send(message)

        try:
            await self.app(scope, replay, watch)
        except Exception:
            if not call.journalled and not started:  # a crash: the 500 is rendered outside; journal it here
                call.journalled = True
                call.error_detail = call.error_detail or "Internal error; this is a boi-mock bug"
                writer.submit(call.record(500, None))
            raise

    async def _refuse(self, call: BoiCall, writer: JournalWriter, send: Send, status: int, code: str,
                      detail: str) -> None:
        body = json.dumps(problem_body(status, code, detail)).encode()
        call.error_detail, call.error_code = detail, code
        call.journalled = True
        writer.submit(call.record(status, body))
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
