"""The control API is open on loopback; with BOI_MOCK_ADMIN_TOKEN set, every call needs that Bearer token."""

from __future__ import annotations

import hmac

from fastapi import Request

from boi_mock.errors import Unauthorized


def require_admin(request: Request) -> None:
    expected: str | None = request.app.state.settings.admin_token
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Unauthorized("The control API needs 'Authorization: Bearer <BOI_MOCK_ADMIN_TOKEN>'",
                           code="admin_token_required")
