"""The Campus UI's defences against other web pages (MOCK-16; threat model in docs/reliability.md, "Security").

* **CSRF.** Every state-changing request (every POST of the UI) passes `csrf_protect`: a browser's
  cross-origin request is refused outright (`Sec-Fetch-Site`, `Origin`: boi_mock/security.py), and the form
  must carry the token of this browser's session. The session is a random cookie (`boi_csrf`, HttpOnly,
  SameSite=Lax); the form token is an HMAC of it under the server's signing key, so a page on another port of
  127.0.0.1 that plants a cookie of its own (cookies do not tell ports apart) still cannot forge the token.
  A refusal is a 403 page, and nothing changed: the check runs before the handler and its unit of work.
* **Headers** (`SecurityHeaders`, around the whole UI): framing denied (X-Frame-Options and CSP
  `frame-ancestors 'none'`), `nosniff`, a CSP that the pages satisfy (no inline script or style), referrers
  to this origin only, and `Cache-Control: no-store` on every page (pages show client secrets and SSNs).
  `HEAD` is answered like `GET`, without the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boi_mock.security import SAFE_METHODS, cross_site_refusal

CSRF_COOKIE = "boi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_PROCESS_KEY = secrets.token_bytes(32)  # only when the app has no signing key (never in a started server)

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # not no-referrer: that makes a same-origin form's Origin "null"
    "cross-origin-opener-policy": "same-origin",
}


class CsrfRefused(Exception):
    """A state change this UI did not ask for (another site's page, or a form without this session's token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _key(request: Request) -> bytes:
    key = getattr(request.app.state, "signing_key", None)
    return key.encode() if isinstance(key, str) and key else _PROCESS_KEY


def _token_for(request: Request, session: str) -> str:
    digest = hmac.new(_key(request), b"boi-mock csrf\x00" + session.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(request: Request) -> str:
    """This browser's form token; starts a session (a cookie `render` sets) when the browser has none."""
    session = request.cookies.get(CSRF_COOKIE, "")
    if len(session) < 32:
        session = getattr(request.state, "csrf_new_session", None) or secrets.token_urlsafe(32)
        request.state.csrf_new_session = session
    return _token_for(request, session)


def new_csrf_session(request: Request) -> str | None:
    """The session cookie `csrf_token` started for this request (to be set on the response), if any."""
    session = getattr(request.state, "csrf_new_session", None)
    return session if isinstance(session, str) else None


async def csrf_protect(request: Request) -> None:
    """A dependency of every UI route: state changes must come from this UI's own pages."""
    if request.method in SAFE_METHODS:
        return
    reason = cross_site_refusal(request, request.app.state.settings.public_url)
    if reason is not None:
        raise CsrfRefused(reason)
    form = await request.form()  # parsed once: FastAPI's own Form() parameters reuse it
    given = form.get(CSRF_FIELD)
    if not isinstance(given, str):
        given = request.headers.get(CSRF_HEADER, "")
    session = request.cookies.get(CSRF_COOKIE, "")
    if len(session) < 32 or not given:
        raise CsrfRefused("The form carries no security token of this browser's session (cookies off, or a page "
                          "from elsewhere).")
    if not hmac.compare_digest(given.encode(), _token_for(request, session).encode()):
        raise CsrfRefused("The form's security token does not match this browser's session.")


class SecurityHeaders:
    """Pure ASGI middleware for the UI: the headers above on every answer; HEAD served as GET without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        path, root = str(scope.get("path", "")), str(scope.get("root_path", "")).rstrip("/")
        static = path.removeprefix(root).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers["cache-control"] = "no-store"
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
