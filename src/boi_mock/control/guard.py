"""Who may call /_mock, checked in this order (MOCK-16; threat model in docs/reliability.md, "Security"):

1. `ControlRoute`, before the body is read: a state change (POST, PUT, PATCH, DELETE) a browser marks as
   cross-origin is 403 `cross_site_request` (boi_mock/security.py); one whose body (or declared content type)
   is not JSON is 415 `unsupported_media_type`. A form or `text/plain` post, the only kinds another site can
   send without a CORS preflight, is thus refused twice over; no CORS header is ever sent, so a preflight
   always fails. A call with no body and no content type (`curl -X POST …/reset`) is accepted: browsers mark
   theirs with `Origin`.
2. `require_admin` (a dependency of every control router): with BOI_MOCK_ADMIN_TOKEN set, every call needs
   that Bearer token (401); unset, the control API is open to this machine only: a caller from another IP
   address is 403 unless BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN says otherwise.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from boi_mock.errors import DomainError, Unauthorized, UnsupportedMediaType
from boi_mock.security import SAFE_METHODS, CrossSiteRequest, cross_site_refusal, is_remote_peer
from boi_mock.settings import Settings
from boi_mock.web.json_body import parse_json


class RemoteCallerRefused(DomainError):
    status = 403
    default_code = "admin_token_required"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    maintype, _, subtype = media.partition("/")
    return maintype == "application" and (subtype == "json" or subtype.endswith("+json"))


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "chunked" in request.headers.get("transfer-encoding", "").lower()


def check_state_change(request: Request) -> None:
    """Refuse a cross-site state change (403) and a body that is not JSON (415); reads pass."""
    if request.method in SAFE_METHODS:
        return
    reason = cross_site_refusal(request, _settings(request).public_url)
    if reason is not None:
        raise CrossSiteRequest(f"{reason} The control API accepts no state change from another site; nothing "
                               "was changed.")
    content_type = request.headers.get("content-type")
    if content_type is not None and not _is_json(content_type):
        raise UnsupportedMediaType(f"The control API takes application/json, not {content_type[:100]!r}.",
                                   code="unsupported_media_type")
    if content_type is None and _has_body(request):
        raise UnsupportedMediaType("A request body needs 'Content-Type: application/json'.",
                                   code="unsupported_media_type")


_REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"description": "cross_site_request: a browser sent this from another origin (MOCK-16); nothing changed"},
    415: {"description": "unsupported_media_type: the body (or its declared content type) is not JSON"},
}


async def _parse_body(request: Request) -> None:
    """The JSON body parsed once (a key given twice: 400); FastAPI reuses it. Malformed JSON is left to FastAPI."""
    if request.method not in ("POST", "PUT", "PATCH") or not _is_json(request.headers.get("content-type", "")):
        return
    body = await request.body()
    if not body.strip():
        return
    try:
        request._json = parse_json(body)
    except (ValueError, RecursionError):
        return


class ControlRoute(APIRoute):
    """Every /_mock route: `check_state_change` before FastAPI reads the body; answers are never cached."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if {method.upper() for method in kwargs.get("methods") or ()} - SAFE_METHODS:
            kwargs["responses"] = {**_REFUSALS, **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            check_state_change(request)
            await _parse_body(request)
            response = await handler(request)
            response.headers.setdefault("Cache-Control", "no-store")  # answers hold client secrets
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            return response

        return guarded


def require_admin(request: Request) -> None:
    settings = _settings(request)
    expected = settings.admin_token
    if not expected:
        if is_remote_peer(request) and not settings.allow_public_without_admin_token:
            raise RemoteCallerRefused(
                "The control API is open to this machine only while BOI_MOCK_ADMIN_TOKEN is unset. Set "
                "BOI_MOCK_ADMIN_TOKEN on the server and send 'Authorization: Bearer <token>'.")
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthorized("The control API needs 'Authorization: Bearer <BOI_MOCK_ADMIN_TOKEN>'",
                           code="admin_token_required")
