"""MOCK-16 in a real browser: pages of another origin try to change a district through the user's Chromium.

A boi-mock serves on 127.0.0.1:P; an "attacker" HTTP server serves pages on 127.0.0.1:Q (another port: the
same *site*, so SameSite cookies are sent) and as http://localhost:Q (another site). Each page submits a form
(or a no-cors `fetch`) to the Campus UI or to /_mock the moment it loads, or frames a Campus page. Afterwards
the control API shows that nothing changed: same client secret, same preferences, the district's data not
reset. Then the pages themselves are checked against the Content-Security-Policy they are served with.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import SEED, staff_payload
from tests.ui.support import BROWSER_TESTS, browser_tab, chromium, live_server, vendor_auth

APP = "t-csrf-browser"
ADMIN_TOKEN = "browser-admin-token-0123456789"

pytestmark = BROWSER_TESTS

from playwright.sync_api import Browser, ConsoleMessage, Page  # noqa: E402


@contextmanager
def _boi_mock(tmp: Path, **settings: Any) -> Iterator[str]:
    with live_server(tmp, (), **settings) as base:
        yield base


class Attacker:
    """Another web server on this machine: serves the pages put in `pages` (path → HTML)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0], "<!doctype html><title>attacker</title><p>hello</p>")
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def origin(self, host: str) -> str:
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def auto_form(action: str, fields: dict[str, str] | None = None, enctype: str | None = None) -> str:
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in (fields or {}).items())
    kind = f' enctype="{enctype}"' if enctype else ""
    return (f'<!doctype html><title>win a prize</title><form id="f" method="post" action="{html.escape(action)}"'
            f"{kind}>{inputs}</form><script>document.getElementById('f').submit()</script>")


class Victim:
    """The district as seen by the control API (no browser headers: what a test harness sees)."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30, headers=headers or {})
        scenario = json.loads((SEED / "minimal.json").read_text())
        scenario.update(appName=APP)
        scenario.pop("clientSecret", None)
        assert self.http.post("/_mock/districts", json=scenario).status_code == 201
        # A staff member that a reset of the district would remove.
        created = self.http.post("/campus/api/businessOfficeIntegration/staffMembers", json=staff_payload("90777"),
                                 headers=vendor_auth(self.http, APP))
        assert created.status_code == 201, created.text

    def state(self) -> dict[str, Any]:
        summary = self.http.get(f"/_mock/districts/{APP}").json()
        staff = self.http.get(f"/_mock/districts/{APP}/staff/90777")
        return {"secret": summary["clientSecret"], "preferences": summary["preferences"],
                "clock": summary["clock"]["today"], "staff 90777": staff.status_code,
                "faults": self.http.get(f"/_mock/districts/{APP}/faults").json()}

    def ui(self, sub: str) -> str:
        return f"{self.base}/campus/ui/{APP}/{sub}"

    def mock(self, sub: str) -> str:
        return f"{self.base}/_mock/districts/{APP}{sub}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def attacker() -> Iterator[Attacker]:
    server = Attacker()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def open_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Victim]:
    """The default configuration: no admin token, loopback only."""
    with _boi_mock(tmp_path_factory.mktemp("open")) as base:
        victim = Victim(base)
        yield victim
        victim.http.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with browser_tab(browser, timeout_ms=15_000) as tab:
        yield tab


def _attack_pages(victim: Victim) -> dict[str, str]:
    """Every state change the issue names, as a page that sends it on load."""
    no_cors = ("<!doctype html><script>"
               "Promise.all(["
               f"fetch({json.dumps(victim.mock('/secret'))}, {{method: 'POST', mode: 'no-cors'}}),"
               f"fetch({json.dumps(victim.mock('/reset'))}, {{method: 'POST', mode: 'no-cors',"
               "  body: new Blob(['{}'])}),"  # a JSON body with no content type at all
               f"fetch({json.dumps(victim.mock('/faults'))}, {{method: 'POST', mode: 'no-cors',"
               "  headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({status: 503})}),"
               "]).finally(() => { document.title = 'sent'; });"
               "</script>")
    return {
        "/new-secret.html": auto_form(victim.ui("credentials/new-secret")),
        "/preferences.html": auto_form(victim.ui("preferences")),  # no fields: every lock off
        "/staff-edit.html": auto_form(victim.ui("staff/1/demographics"), {"lastName": "Pwned"}),
        "/reset.html": auto_form(victim.mock("/reset")),
        "/secret.html": auto_form(victim.mock("/secret"), {'{"a": "': '"}'}, enctype="text/plain"),
        "/clock.html": auto_form(victim.mock("/clock/advance"), {'{"seconds": 86400, "x": "': '"}'},
                                 enctype="text/plain"),
        "/no-cors.html": no_cors,
    }


def _visit_every_attack(page: Page, attacker: Attacker, victim: Victim, host: str) -> None:
    attacker.pages.update(_attack_pages(victim))
    for path in attacker.pages:
        if path == "/no-cors.html":
            page.goto(attacker.origin(host) + path)
            page.wait_for_function("document.title === 'sent'")
            continue
        with page.expect_navigation(url=lambda url: url.startswith(victim.base)) as navigation:
            page.goto(attacker.origin(host) + path)
        response = navigation.value
        assert response is not None and response.status == 403, (path, response and response.status)
        assert "Forbidden" in page.content() or "cross_site_request" in page.content(), path


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"], ids=["other-port-same-site", "cross-site"])
def test_mock16_pages_of_another_origin_change_nothing_through_the_browser(
        open_mock: Victim, attacker: Attacker, page: Page, host: str) -> None:
    page.goto(open_mock.ui(""))  # the user has used the Campus UI in this browser: it has a UI session cookie
    assert any(cookie["name"] == "boi_csrf" for cookie in page.context.cookies())
    before = open_mock.state()
    _visit_every_attack(page, attacker, open_mock, host)
    assert open_mock.state() == before


def test_mock16_same_site_page_is_refused_even_when_signed_in_with_the_admin_token(
        tmp_path: Path, attacker: Attacker, page: Page) -> None:
    """With BOI_MOCK_ADMIN_TOKEN, the UI's SameSite=Strict sign-in cookie is sent by pages on another port of
    127.0.0.1 (the same site): the CSRF checks, not the cookie, refuse them."""
    with _boi_mock(tmp_path, admin_token=ADMIN_TOKEN) as base:
        victim = Victim(base, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        page.goto(victim.ui("credentials"))
        page.get_by_label("Admin token").fill(ADMIN_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(victim.ui("credentials"))
        before = victim.state()
        _visit_every_attack(page, attacker, victim, "127.0.0.1")
        assert victim.state() == before
        victim.http.close()


def test_mock16_the_ui_itself_still_generates_a_new_secret(open_mock: Victim, page: Page) -> None:
    """The same request from the UI's own page goes through (the control for the tests above)."""
    before = open_mock.state()["secret"]
    page.goto(open_mock.ui("credentials/new-secret"))
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#confirm-new-secret").click()
    page.wait_for_url(open_mock.ui("credentials"))
    assert open_mock.state()["secret"] != before


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"], ids=["other-port-same-site", "cross-site"])
def test_campus_pages_cannot_be_framed_by_another_origin(
        open_mock: Victim, attacker: Attacker, page: Page, host: str) -> None:
    targets = [open_mock.ui("credentials/new-secret"), open_mock.ui("credentials?show=true")]
    frames = "".join(f'<iframe src="{html.escape(url)}" width="600" height="300"></iframe>' for url in targets)
    own = attacker.origin(host) + "/own.html"
    attacker.pages["/framer.html"] = f'<!doctype html><iframe src="{own}"></iframe>{frames}'
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "frame" in message.text.lower() else None)
    page.goto(attacker.origin(host) + "/framer.html")
    page.wait_for_load_state("load")
    children = page.main_frame.child_frames
    assert len(children) == 3
    assert "hello" in children[0].content()  # a frame of the attacker's own page loads: the check can see one
    for frame in children[1:]:
        assert frame.locator("#confirm-new-secret").count() == 0
        assert "Client Secret" not in frame.content() and "Generate New Secret" not in frame.content()
    assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in refused), refused


UI_PAGES = ["", "credentials", "credentials?show=true", "credentials/new-secret", "preferences", "staff",
            "staff?q=a", "sync", "sync/check", "error-log", "notifications", "notifications/new", "messages",
            "combine"]


def test_campus_pages_satisfy_their_content_security_policy(open_mock: Victim, page: Page) -> None:
    """No page needs inline script or style: Chromium reports no CSP violation, and campus.js runs."""
    violations: list[str] = []

    def _console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", _console)
    person_id = open_mock.http.get(f"/_mock/districts/{APP}/staff/90777").json()["personID"]
    for sub in [*UI_PAGES, f"staff/{person_id}"]:
        response = page.goto(open_mock.ui(sub))
        assert response is not None and response.status == 200, sub
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert page.evaluate("document.documentElement.classList.contains('js')"), f"campus.js did not run on {sub}"
    page.goto(f"{open_mock.base}/campus/ui/")
    assert violations == []
