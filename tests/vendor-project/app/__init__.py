"""A vendor's HR integration (a stand-in): pushes staff members from the HR system to Campus over BOI.

It is named `app`, as many vendors' packages are: boi-mock's wheel must not ship a top-level
package that would shadow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class CampusError(Exception):
    """Campus refused a call; `code` is the problem+json `code` when it had one."""

    def __init__(self, status: int, code: str | None, detail: str) -> None:
        super().__init__(f"HTTP {status} {code or ''}: {detail}")
        self.status = status
        self.code = code


def _json(response: httpx.Response) -> Any:
    if response.is_success:
        return response.json()
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    raise CampusError(response.status_code, body.get("code"), str(body.get("detail") or response.text))


def school_numbers(http: httpx.Client) -> list[str]:
    """The district's school numbers (`GET /schools`)."""
    return [str(school["schoolNumber"]) for school in _json(http.get("schools"))]


def push_staff(http: httpx.Client, member: Mapping[str, Any]) -> dict[str, Any]:
    """Create the staff member, or update them when Campus already has their staff number.

    `http` sends relative paths to the district's BOI base URL with a Bearer token.
    """
    try:
        created: dict[str, Any] = _json(http.post("staffMembers", json=dict(member)))
        return created
    except CampusError as error:
        if error.code != "staff_exists":
            raise
    updated: dict[str, Any] = _json(http.put(f"staffMembers/{member['staffNumber']}", json=dict(member)))
    return updated
