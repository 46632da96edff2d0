"""Domain errors: each carries its HTTP status and a stable code; one handler renders problem+json.

DomainError
├── BadRequest (400)            invalid_request, invalid_value, unknown_property, unknown_gender, …
├── Unauthorized (401)          invalid_token (BOI calls), admin token (control API)
├── NotFound (404)              staff_not_found, position_not_found, district_not_found, …
├── Conflict (409)              staff_exists, position_in_use, sync_state_conflict, validation_stale, …
├── PayloadTooLarge (413)       payload_too_large
└── UnsupportedMediaType (415)  unsupported_media_type
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    # Machine-readable members of this code, kept wherever the error travels (a staff member's address,
    # a sync transfer item): `unparseable_address` carries `parserView` (ADDR-3).
    members: dict[str, Any] = dataclass_field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message, **self.members}

    def prefixed(self, prefix: str) -> FieldError:
        """The same error under a parent path: `positions[1]` + `schoolNumber`."""
        if not self.field:
            return replace(self, field=prefix)
        sep = "" if self.field.startswith("[") else "."
        return replace(self, field=f"{prefix}{sep}{self.field}")


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


class DomainError(Exception):
    status = 400
    default_code = "invalid_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        self.errors = errors or []
        self.extra = extra or {}

    @classmethod
    def field(cls, field: str, code: str, message: str) -> DomainError:
        """An error about one field: the top-level code is the field's code."""
        return cls(message, code=code, errors=[FieldError(field, code, message)])

    def problem(self) -> dict[str, Any]:
        return problem_body(self.status, self.code, self.detail, self.errors, self.extra)


class BadRequest(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401
    default_code = "invalid_token"
    # The district whose token this genuinely was (expired, pre-rotation): its Error Log records the call.
    district_id: int | None = None


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"


class PayloadTooLarge(DomainError):
    status = 413
    default_code = "payload_too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    default_code = "unsupported_media_type"


PROBLEM_BASE = "https://boi-mock.dev/problems/"


def problem_body(
    status: int,
    code: str,
    detail: str,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "errors": [e.as_dict() for e in (errors or [])],
    }
    if extra:
        body.update(extra)
    return body
