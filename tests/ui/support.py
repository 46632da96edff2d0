"""Helpers for the Campus UI tests: a district handle with its UI paths, reading a page, a live server, Chromium."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.support import SEED, District

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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
        """Submit a form as the browser would from one of the UI's pages: with the page's CSRF token, Origin."""
        client = self.district.client
        form = {**(data or {}), "csrf_token": csrf_token(client, self.path())}
        headers = {**BROWSER_SAME_ORIGIN, **kw.pop("headers", {})}
        response: httpx.Response = client.post(self.path(sub), data=form, headers=headers, **kw)
        return response

    def staff(self, staff_number: str) -> dict[str, Any]:
        """MOCK-4: everything Campus holds for the staff member."""
        response = self.district.mock("GET", f"/staff/{staff_number}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def person_id(self, staff_number: str) -> int:
        return int(self.staff(staff_number)["personID"])


BROWSER_SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


_TOKENS: dict[str, str] = {}  # session cookie → its form token (a page read once per browser session)


def csrf_token(client: httpx.Client, page: str) -> str:
    """The form token of this client's UI session, read from a page as a browser has it (starts the session)."""
    session = client.cookies.get("boi_csrf")
    if session in _TOKENS:
        return _TOKENS[session]
    response = client.get(page)
    match = CSRF_INPUT.search(response.text)
    assert match, f"no csrf_token on {page} ({response.status_code})"
    _TOKENS[client.cookies["boi_csrf"]] = match.group(1)
    return match.group(1)


def _no_wbr(markup: str) -> str:
    """A <wbr> is a line-break opportunity, not a space: the text reads on without it."""
    return markup.replace("<wbr>", "")


def text(response: httpx.Response) -> str:
    """The page as plain text (tags dropped, entities decoded, whitespace collapsed)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _no_wbr(body))).split())


def flash(response: httpx.Response) -> str:
    """The one-time message the page shows after a redirect ("" when none)."""
    match = re.search(r'<div class="flash flash-(?:notice|error)"[^>]*>(.*?)</div>', response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _no_wbr(match.group(1)))).split()) if match else ""


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
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _no_wbr(inner))).split())


@contextmanager
def live_server(directory: Path, scenarios: tuple[str, ...] = ("minimal.json",), **settings: Any) -> Iterator[str]:
    """boi-mock on a real socket (the plugin's ThreadedServer) over a new SQLite file in `directory`, with the
    seed scenarios as districts: its URL. `settings` override Settings fields (admin_token, run_worker, …)."""
    from boi_mock.settings import Settings
    from boi_mock.testing.server import ThreadedServer

    options: dict[str, Any] = {"seed_on_start": False, "run_worker": False, **settings}
    threaded = ThreadedServer(Settings(database_url=f"sqlite:///{directory / 'boi.db'}", **options))
    server = threaded.start()
    try:
        token = options.get("admin_token")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with httpx.Client(base_url=server.url, timeout=120, headers=headers) as client:
            for name in scenarios:
                response = client.post("/_mock/districts", json=json.loads((SEED / name).read_text()))
                assert response.status_code == 201, response.text
        yield server.url
    finally:
        threaded.stop()


def vendor_auth(http: httpx.Client, app: str) -> dict[str, str]:
    """A vendor's Authorization header for district `app` on a live server (`http` has its base URL): the
    district's credentials read from /_mock, exchanged for a token."""
    creds = http.get(f"/_mock/districts/{app}").json()
    response = http.post(f"/campus/oauth2/token?appName={app}", data={
        "grant_type": "client_credentials", "client_id": creds["clientId"], "client_secret": creds["clientSecret"]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# --- Chromium (Playwright) ------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# A browser test module's `pytestmark`: marked `browser`, skipped with a reason where Debian's Chromium is missing.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need Debian's Chromium at /usr/bin/chromium "
                                                     "(apt-get install chromium, or make deps-system)"),
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_tab(browser: Browser, *, timeout_ms: int = 20_000, **context: Any) -> Iterator[Page]:
    """A page in a browser context of its own (its cookies, `context` options such as the viewport); closed after."""
    opened = browser.new_context(**context)
    tab = opened.new_page()
    tab.set_default_timeout(timeout_ms)
    try:
        yield tab
    finally:
        opened.close()
