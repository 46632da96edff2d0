"""Helpers for the Campus UI tests: a district handle with its UI paths, and reading a page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support import District

UI = "/campus/ui"


@dataclass
class Campus:
    """A district seen through the Campus UI (and, for setting things up, the BOI API like a vendor)."""

    district: District

    @property
    def app(self) -> str:
        return self.district.app_name

    def path(self, sub: str = "") -> str:
        return f"{UI}/{self.app}/{sub}"

    def get(self, sub: str = "", **kw: Any) -> httpx.Response:
        response: httpx.Response = self.district.client.get(self.path(sub), **kw)
        return response

    def post(self, sub: str, data: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        response: httpx.Response = self.district.client.post(self.path(sub), data=data, **kw)
        return response

    def staff(self, staff_number: str) -> dict[str, Any]:
        """MOCK-4: everything Campus holds for the staff member."""
        response = self.district.mock("GET", f"/staff/{staff_number}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def person_id(self, staff_number: str) -> int:
        return int(self.staff(staff_number)["personID"])


def text(response: httpx.Response) -> str:
    """The page as plain text (tags dropped, entities decoded, whitespace collapsed)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def flash(response: httpx.Response) -> str:
    """The one-time message the page shows after a redirect ("" when none)."""
    match = re.search(r'<div class="flash flash-(?:notice|error)"[^>]*>(.*?)</div>', response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def element(response: httpx.Response, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag of the same name)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>', response.text)
    assert match, f"no element #{element_id}"
    tag = match.group(1)
    start = match.end()
    depth, pos, end = 1, start, start
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    while depth:
        found = pattern.search(response.text, pos)
        assert found, f"unclosed #{element_id}"
        depth += -1 if found.group(1) else 1
        pos, end = found.end(), found.start()
    inner = response.text[start:end]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
