"""Errors the client raises.

BoiError
├── BoiApiError        a BOI call answered 4xx/5xx (problem+json parsed: status, code, detail, field errors)
└── BoiAuthError       the token endpoint refused the credentials (RFC 6749 error, e.g. invalid_client)

Transport failures (timeouts, dropped connections) are httpx's own exceptions, unwrapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


class BoiError(Exception):
    """Anything the BOI server answered that is not success."""

    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response
        self.status = response.status_code


class BoiApiError(BoiError):
    """A problem+json answer (CONTRACT §1). `code` and each `errors[].code` are stable machine codes."""

    def __init__(self, response: httpx.Response) -> None:
        body = _json(response)
        self.body: dict[str, Any] = body if isinstance(body, dict) else {}
        self.code: str = str(self.body.get("code") or f"http_{response.status_code}")
        self.detail: str = str(self.body.get("detail") or response.reason_phrase or "")
        self.errors: list[FieldProblem] = [
            FieldProblem(str(e.get("field", "")), str(e.get("code", "")), str(e.get("message", "")))
            for e in self.body.get("errors") or [] if isinstance(e, dict)
        ]
        request = response.request
        super().__init__(f"{request.method} {request.url.path} → {response.status_code} {self.code}: {self.detail}",
                         response)

    def field_codes(self) -> dict[str, str]:
        """{field path: code}, handy in assertions: `{"positions[0].schoolNumber": "unknown_school"}`."""
        return {e.field: e.code for e in self.errors}


class BoiAuthError(BoiError):
    """The token endpoint said no (`error` is RFC 6749's code: invalid_client, invalid_request, …)."""

    def __init__(self, response: httpx.Response) -> None:
        body = _json(response)
        body = body if isinstance(body, dict) else {}
        self.error: str = str(body.get("error") or f"http_{response.status_code}")
        self.description: str = str(body.get("error_description") or "")
        super().__init__(f"token request → {response.status_code} {self.error}: {self.description}", response)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
