"""Browser tests: Debian's Chromium (Playwright) clicks through every Campus UI page against a live server.

A uvicorn server runs in a thread on a free port over a temporary SQLite database with two districts:
`minimal` (boi_mock/seed/minimal.json) and the demo district `7634-MO` (for the full sync of
boi_mock/seed/hr-export-demo.json). Screenshots of each page go to a temporary folder, or to
$BOI_MOCK_SCREENSHOTS: `make screenshots` sets it to docs/screenshots/ to refresh the documentation's
pictures (tests/ui/test_screenshots.py checks, without a browser, that docs/ has one for every shot).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import SEED, staff_payload
from tests.ui.support import BROWSER_TESTS, browser_tab, chromium, live_server

SHOTS_ENV = "BOI_MOCK_SCREENSHOTS"  # where shot() writes; unset: a temporary folder of the test session
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MINIMAL = "minimal"
DEMO = "7634-MO"

pytestmark = BROWSER_TESTS

from playwright.sync_api import Browser, Dialog, Page, expect  # noqa: E402


class LiveServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=60)

    def ui(self, app: str, sub: str = "") -> str:
        return f"{self.base}/campus/ui/{app}/{sub}"

    def token(self, app: str) -> str:
        creds = self.http.get(f"/_mock/districts/{app}").json()
        secret = self.secret(app)
        response = self.http.post(f"/campus/oauth2/token?appName={app}",
                                  data={"grant_type": "client_credentials", "client_id": creds["clientId"],
                                        "client_secret": secret})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def secret(self, app: str) -> str:
        return str(self.http.get(f"/_mock/districts/{app}").json()["clientSecret"])

    def boi(self, app: str, method: str, path: str, body: Any = None) -> httpx.Response:
        return self.http.request(method, f"/campus/api/businessOfficeIntegration{path}", json=body,
                                 headers={"Authorization": f"Bearer {self.token(app)}"})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("browser"), ("minimal.json", "demo-7634-MO.json"),
                     run_worker=True, worker_poll_seconds=0.1) as base:
        live = LiveServer(base)
        try:
            yield live
        finally:
            live.http.close()


_shots: dict[str, Path] = {}  # "dir": where shot() writes (set by the `screenshots` fixture)


@pytest.fixture(scope="module", autouse=True)
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$BOI_MOCK_SCREENSHOTS (`make screenshots`: docs/screenshots/) or a new temporary folder."""
    configured = os.environ.get(SHOTS_ENV)
    folder = Path(configured).resolve() if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _shots["dir"] = folder
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with browser_tab(browser, viewport={"width": 1366, "height": 900}, accept_downloads=True) as tab:
        yield tab


def shot(page: Page, name: str, *, full_page: bool = True, max_height: int = 2400) -> None:
    """A PNG for docs/: the whole page, cut at `max_height` pixels (a long report would be megabytes).

    Checked as it is written (a PNG, not empty), in every run: serial, under xdist, in CI."""
    target = _shots["dir"] / f"{name}.png"
    target.unlink(missing_ok=True)
    path = str(target)
    height = int(page.evaluate("document.documentElement.scrollHeight"))
    if full_page and height > max_height:
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": max_height})
    else:
        page.screenshot(path=path, full_page=full_page)
    with target.open("rb") as png:
        assert png.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE, f"{target} is not a PNG"
    assert target.stat().st_size > 1000, f"{target} is nearly empty"


def accept_dialogs(page: Page) -> None:
    def _accept(dialog: Dialog) -> None:
        dialog.accept()
    page.on("dialog", _accept)


def test_picker_home_and_keyboard(server: LiveServer, page: Page) -> None:
    page.goto(f"{server.base}/campus/ui/")
    expect(page.get_by_role("heading", name="Choose a district")).to_be_visible()
    shot(page, "district-picker")
    page.get_by_role("link", name=DEMO).click()
    expect(page.get_by_role("heading", name=f"District {DEMO}")).to_be_visible()
    expect(page.locator(".figures")).to_contain_text("3039")
    shot(page, "home")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.get_by_text("Shared household ignored").click()
    expect(page.locator("#walk-shared-household")).to_have_attribute("open", "")
    page.locator("#walk-name-change").get_by_role("link", name="Staff page: identity history").click()
    expect(page.locator("#identity-timeline")).to_be_visible()


def test_staff_search_and_staff_page(server: LiveServer, page: Page) -> None:
    assert server.boi(MINIMAL, "POST", "/staffMembers",
                      staff_payload("90041", lastName="Nopos", positions=None)).status_code == 201
    page.goto(server.ui(MINIMAL, "staff"))
    page.get_by_label("Name or staff number").fill("90041")
    page.keyboard.press("Enter")
    expect(page.locator("#staff-count")).to_contain_text("0 staff found")  # STAFF-7
    page.get_by_label("Name or staff number").fill("pye")
    page.keyboard.press("Enter")
    expect(page.locator("#staff-results")).to_contain_text("Pye, Alma")
    shot(page, "staff-search")
    page.get_by_role("link", name="Pye, Alma L").click()
    expect(page.locator("#household-members")).to_contain_text("Pye, Jordan")
    expect(page.get_by_text("Shared: HR household data is ignored (HH-3)")).to_be_visible()
    shot(page, "staff-shared-household")


def test_staff_page_at_1024_px_shows_the_whole_household_table_and_assignment_names(
        server: LiveServer, page: Page) -> None:
    """Issue 17 item 9: at 1024 px the household locations table fits (its "Private" column is not cut off) and
    the assignment editor's school and assignment names are not truncated."""
    demo = json.loads((SEED / "demo-7634-MO.json").read_text())
    numbers = [p["staffNumber"] for p in demo["persons"] if p.get("staffNumber")]
    # A staff member holding the demo's longest assignment name (English Learner/Reading Specialist, or longer).
    number = next(p["staffNumber"] for p in demo["persons"] if p.get("staffNumber") and numbers.count(
        p["staffNumber"]) == 1 and any(pos.get("assignmentCode") in ("02", "22") for pos in p.get("positions", [])))
    page.set_viewport_size({"width": 1024, "height": 800})
    person_id = server.http.get(f"/_mock/districts/{DEMO}/staff/{number}").json()["personID"]
    page.goto(server.ui(DEMO, f"staff/{person_id}"))
    table = page.locator("#household-locations")
    expect(table.get_by_role("columnheader", name="Private")).to_be_visible()
    fits = table.evaluate("t => { const s = t.parentElement; return [s.scrollWidth, s.clientWidth]; }")
    assert fits[0] <= fits[1], f"the household table overflows its box: {fits}"
    private = table.get_by_role("columnheader", name="Private").bounding_box()
    assert private and private["x"] + private["width"] <= 1024
    editor = page.locator("#assignments-edit")
    expect(editor).to_be_visible()
    cut = editor.evaluate("""t => {
        const ctx = document.createElement('canvas').getContext('2d');
        return [...t.querySelectorAll('select')].filter(s => s.selectedIndex > 0).map(s => {
            ctx.font = getComputedStyle(s).font;
            const text = s.options[s.selectedIndex].text;
            return [text, ctx.measureText(text).width, s.clientWidth];
        }).filter(([, need, have]) => need + 16 > have);
    }""")
    assert cut == [], f"names cut off in the assignment editor: {cut}"


def test_locked_field_then_unlocked_edit_overwritten_by_the_api(server: LiveServer, page: Page) -> None:
    assert server.boi(MINIMAL, "PUT", "/staffMembers/10058", {"lastName": "Simpson"}).status_code == 200
    person_id = server.http.get(f"/_mock/districts/{MINIMAL}/staff/10058").json()["personID"]
    page.goto(server.ui(MINIMAL, f"staff/{person_id}"))
    expect(page.locator("#demographics-readonly")).to_be_visible()
    expect(page.locator("#save-demographics")).to_have_count(0)
    expect(page.locator("#identity-timeline li")).to_have_count(2)
    expect(page.locator("#identity-timeline li.current")).to_contain_text("Simpson, Allison Jo")
    shot(page, "staff-locked")
    page.goto(server.ui(MINIMAL, "preferences"))
    shot(page, "preferences")
    page.get_by_label("Staff Demographics").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-notice")).to_have_text("Preferences saved.")
    page.goto(server.ui(MINIMAL, f"staff/{person_id}"))
    overwritten = page.get_by_text("the next API call or sync from the HR system overwrites your change")
    expect(overwritten.first).to_be_visible()
    page.get_by_label("Work Phone").fill("(417) 555-7777")
    page.get_by_role("button", name="Save demographics").click()
    expect(page.locator(".flash-notice")).to_contain_text("Demographics saved by Postma, Madison")
    expect(page.get_by_label("Work Phone")).to_have_value("(417) 555-7777")
    shot(page, "staff")
    assert server.boi(MINIMAL, "PUT", "/staffMembers/10058", {"workPhone": "(417) 523-0199"}).status_code == 200
    page.reload()
    expect(page.get_by_label("Work Phone")).to_have_value("(417) 523-0199")
    expect(page.locator("#hr-calls")).to_contain_text("PUT")
    page.goto(server.ui(MINIMAL, "preferences"))
    page.get_by_label("Staff Demographics").check()
    page.get_by_role("button", name="Save").click()


def test_secret_rotation(server: LiveServer, page: Page) -> None:
    old_secret = server.secret(MINIMAL)
    old_token = server.token(MINIMAL)
    page.goto(server.ui(MINIMAL, "credentials"))
    expect(page.locator("#client-secret")).not_to_have_text(old_secret)
    shot(page, "credentials")
    page.get_by_role("switch", name="Show Secret").click()
    expect(page.locator("#client-secret")).to_have_text(old_secret)
    expect(page.get_by_role("switch", name="Show Secret")).to_have_attribute("aria-checked", "true")
    page.get_by_role("link", name="Generate New Secret").click()
    expect(page.get_by_role("alert")).to_contain_text("This should ONLY be used if you feel the current secret")
    shot(page, "credentials-new-secret")
    page.get_by_role("button", name="Generate New Secret").click()
    expect(page.locator(".flash-notice")).to_contain_text("A new client secret was generated")
    rejected = server.http.get("/campus/api/businessOfficeIntegration/schools",
                               headers={"Authorization": f"Bearer {old_token}"})
    assert rejected.status_code == 401  # AUTH-4
    page.get_by_role("switch", name="Show Secret").click()
    new_secret = page.locator("#client-secret").inner_text()
    assert new_secret != old_secret and new_secret == server.secret(MINIMAL)


def test_show_secret_label_is_clickable_and_the_demo_secret_can_be_restored(server: LiveServer, page: Page) -> None:
    """Issue 17 items 8 and 9: clicking the words "Show Secret" toggles the switch; after a rotation the trainer
    restores the demo scenario's secret (the README's) from the credentials page."""
    demo_secret = json.loads((SEED / "demo-7634-MO.json").read_text())["clientSecret"]
    page.goto(server.ui(DEMO, "credentials"))
    page.locator("#show-secret-label").click()
    expect(page.get_by_role("switch", name="Show Secret")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#client-secret")).to_have_text(server.secret(DEMO))
    page.get_by_role("link", name="Generate New Secret").click()
    page.get_by_role("button", name="Generate New Secret").click()
    assert server.secret(DEMO) != demo_secret
    page.get_by_role("link", name="Restore the scenario's secret").click()
    expect(page.get_by_role("alert")).to_contain_text("Every access token issued before now stops working")
    page.get_by_role("button", name="Restore the scenario's secret").click()
    expect(page.locator(".flash-notice")).to_contain_text("The scenario's client secret was restored")
    expect(page.locator("#scenario-secret-state")).to_have_text(re.compile("The current secret is the scenario's"))
    assert server.secret(DEMO) == demo_secret
    assert server.token(DEMO)


def test_error_log_payload_and_support_case(server: LiveServer, page: Page) -> None:
    bad = staff_payload("90021", gender="Q", ssn="123-45-6789")
    assert server.boi(MINIMAL, "POST", "/staffMembers", bad).status_code == 400
    page.goto(server.ui(MINIMAL, "error-log"))
    row = page.locator("#error-log tbody tr").filter(has_text="unknown_gender").first
    expect(row).to_contain_text("POST")
    shot(page, "error-log")
    row.get_by_role("link", name="Payload").click()
    dialog = page.locator("#payload-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("*****6789")
    expect(dialog).not_to_contain_text("123-45-6789")
    shot(page, "error-log-payload", full_page=False)
    dialog.get_by_role("button", name="Close").click()
    row.get_by_role("link", name="Draft a support case").click()
    expect(page.get_by_role("heading", name="Draft a support case")).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value(
        "Business Office Integration: POST /staffMembers fails with 400 unknown_gender")
    expect(page.get_by_label("Type")).to_have_value("Application Issue")
    for label in ("Description", "Steps to Reproduce", "Error Message", "Expected Results", "Who is impacted?",
                  "Issue Began"):
        expect(page.get_by_label(label, exact=True)).not_to_be_empty()
    shot(page, "support-case")


def test_notifications_and_message_center(server: LiveServer, page: Page) -> None:
    page.goto(server.ui(MINIMAL, "notifications"))
    page.get_by_role("link", name="New").click()
    page.get_by_label("Type").select_option("HR-Staff")
    page.get_by_label("Find by name or username").fill("kline")
    expect(page.get_by_label("Postma, Madison (mpostma)")).to_be_hidden()
    page.get_by_label("Kline, Andrea (akline)").check()
    page.get_by_label("Find by name or username").fill("")
    page.get_by_label("Postma, Madison (mpostma)").check()
    shot(page, "notification-new")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#notifications")).to_contain_text("Kline, Andrea")
    shot(page, "notifications")
    assert server.boi(MINIMAL, "POST", "/staffMembers", staff_payload("90031", lastName="Quill")).status_code == 201
    page.goto(server.ui(MINIMAL, "messages"))
    expect(page.locator("#messages")).to_contain_text("Quill")
    shot(page, "message-center")
    page.get_by_label("Campus user").select_option(label="Kline, Andrea (akline)")
    expect(page.locator("h1")).to_contain_text("Kline, Andrea")
    expect(page.locator("#messages")).to_contain_text("Quill")
    page.goto(server.ui(MINIMAL, "notifications"))
    page.locator("#notifications").get_by_role("link", name="HR-Staff", exact=True).click()
    page.get_by_role("button", name="Remove Kline, Andrea").click()
    expect(page.locator(".flash-notice")).to_have_text("Recipient removed.")
    page.get_by_role("button", name="Remove Postma, Madison").click()
    expect(page.locator(".flash-notice")).to_contain_text("the notification was deleted")


def test_message_center_pages(server: LiveServer, page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17 item 4: a long Message Center is paged (counts that agree, numbered links), not cut at 200."""
    from boi_mock.admin.routes import notifications as notifications_routes

    monkeypatch.setattr(notifications_routes, "MESSAGES_PER_PAGE", 4)
    page.goto(server.ui(MINIMAL, "notifications/new"))
    page.get_by_label("Type").select_option("HR-Staff")
    page.get_by_label("Kline, Andrea (akline)").check()
    page.get_by_role("button", name="Save").click()
    assert server.boi(MINIMAL, "POST", "/staffMembers", staff_payload("90071", lastName="Pager")).status_code == 201
    for n in range(9):
        assert server.boi(MINIMAL, "PUT", "/staffMembers/90071", {"workPhone": f"(417) 555-{n:04d}"}).status_code == 200
    page.goto(server.ui(MINIMAL, "messages"))
    page.get_by_label("Campus user").select_option(label="Kline, Andrea (akline)")
    count = page.locator("#message-count")
    expect(count).to_contain_text("page 1 of")
    total = int(count.inner_text().split(" ")[0])
    pages = -(-total // 4)
    expect(page.locator("#messages li")).to_have_count(4)
    pager = page.get_by_role("navigation", name="Message Center pages")
    pager.get_by_role("link", name="Last").click()
    expect(count).to_contain_text(f"page {pages} of {pages}")
    expect(page.locator("#messages li")).to_have_count(total - 4 * (pages - 1))
    pager = page.get_by_role("navigation", name="Message Center pages")
    pager.get_by_role("link", name="Previous").click()
    expect(count).to_contain_text(f"page {pages - 1} of {pages}")
    pager = page.get_by_role("navigation", name="Message Center pages")
    pager.get_by_role("link", name="Page 1").click()
    expect(count).to_contain_text(f"page 1 of {pages}")
    shot(page, "message-center-pages")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".flash-notice")).to_contain_text(f"{total} message(s) marked read")
    expect(count).to_contain_text(f"{total} messages, 0 unread")


def test_note2_recipients_drop_down_lists_only_users_with_tool_rights(server: LiveServer, page: Page) -> None:
    """The demo district's six Campus users: four hold District Employment and/or District Assignments."""
    page.goto(server.ui(DEMO, "notifications/new"))
    recipients = page.locator("#recipient-list li")
    expect(recipients).to_have_count(4)
    for name in ("Postma, Madison (mpostma)", "Kline, Andrea (akline)", "Reyes, Daniel (dreyes)",
                 "Harper, Brooke (bharper)"):
        expect(page.get_by_label(name)).to_be_visible()
    expect(page.locator("#recipient-list")).not_to_contain_text("Nguyen, Thanh")
    expect(page.locator("#recipient-list")).not_to_contain_text("Whitfield, James")
    expect(page.locator("#recipient-rights")).to_contain_text("2 user(s) without them are not listed")
    page.get_by_label("Find by name or username").fill("nguyen")
    expect(page.locator("#recipient-list li:visible")).to_have_count(0)


def test_full_sync_via_file_upload_to_a_committed_report(server: LiveServer, page: Page) -> None:
    accept_dialogs(page)
    page.goto(server.ui(DEMO, "sync"))
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Check Campus Data").click()
    check = new_tab.value
    expect(check.locator('#check-summary [data-key="campusDuplicateStaffNumbers"]')).to_have_text("7")
    expect(check.locator('#check-summary [data-key="campusStaffWithoutStaffNumber"]')).to_have_text("39")
    shot(check, "check-campus-data")
    check.close()
    page.get_by_role("button", name="Start Transfer").click()
    expect(page.locator("#sync-status")).to_have_text("TRANSFER STARTED")
    page.get_by_label("Transfer Staff Via File Upload").set_input_files(str(SEED / "hr-export-demo.json"))
    page.get_by_role("button", name="Transfer", exact=True).click()
    expect(page.locator("#staff-transferred")).to_have_text("357")
    shot(page, "sync-transfer")
    page.get_by_role("button", name="End Transfer").click()
    expect(page.locator("#sync-status")).to_have_text("TRANSFER ENDED")
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_role("heading", name="Staff Synchronization Validation Report")).to_be_visible()
    expect(page.locator("#generated-on")).to_contain_text("Generated on")
    expect(page.locator("#demographic-total")).to_have_text("40")
    expect(page.locator('#summary-counts [data-key="campusStaffNotInHr"]')).to_have_text("582")
    shot(page, "validation-report", max_height=2200)
    page.emulate_media(media="print")
    shot(page, "validation-report-print", max_height=1800)
    page.emulate_media(media="screen")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    assert csv_download.value.suggested_filename == f"validation-report-{DEMO}.csv"
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Download JSON").click()
    saved = json.loads(Path(json_download.value.path()).read_text())
    assert saved["summary"]["hrStaffNotInCampus"] == 4
    page.get_by_role("link", name="Back to Synchronization").click()
    page.get_by_role("button", name="Submit Commit Job").click()
    progress = page.locator("#commit-job-progress")
    expect(progress).to_be_visible()
    expect(page.locator("#sync-status")).to_have_text("COMMITTED", timeout=90_000)
    expect(page.locator("#commit-job-progress [data-progress-text]")).to_contain_text(
        "COMPLETED: 357 of 357 processed, 354 succeeded, 3 failed")
    expect(page.locator("#commit-failures")).to_contain_text("duplicate_campus_staff_number")
    shot(page, "sync-committed")


def test_report_keeps_system_and_staff_number_in_view_when_scrolled(server: LiveServer, page: Page) -> None:
    """Issue 17 item 9: in the Validation Report's wide tables the System and Staff Number columns are sticky: scrolled
    sideways at 1024 px, every row still says whether it is Campus or HR and whose it is."""
    app, sync = "7634-MO-report", "/staffMembers/sync"  # a copy of the demo district: no other test's sync in it
    if server.http.get(f"/_mock/districts/{app}").status_code == 404:
        demo = json.loads((SEED / "demo-7634-MO.json").read_text())
        created = server.http.post("/_mock/districts", json={**demo, "appName": app})
        assert created.status_code == 201, created.text
    assert server.boi(app, "POST", f"{sync}/start").status_code in (200, 201)
    members = json.loads((SEED / "hr-export-demo.json").read_text())
    for offset in range(0, len(members), 500):
        assert server.boi(app, "POST", f"{sync}/transfer", members[offset:offset + 500]).status_code == 200
    assert server.boi(app, "POST", f"{sync}/end").status_code == 200
    assert server.boi(app, "POST", f"{sync}/validate").status_code == 200
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(server.ui(app, "sync/report"))
    table = page.locator("table.report-demographicDifferences")
    scroller = page.locator("#section-demographicDifferences .table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "the table should be wider than the page"
    first_row = table.locator("tbody tr").first
    system, number = first_row.locator(".sticky-system"), first_row.locator(".sticky-number")
    before = (system.bounding_box(), number.bounding_box())
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_timeout(100)
    after = (system.bounding_box(), number.bounding_box())
    box = scroller.bounding_box()
    assert before[0] and before[1] and after[0] and after[1] and box
    assert abs(after[0]["x"] - box["x"]) <= 2 and abs(after[0]["x"] - before[0]["x"]) <= 2  # System stays put
    assert abs(after[1]["x"] - before[1]["x"]) <= 2  # Staff Number too
    assert after[1]["x"] >= after[0]["x"] + after[0]["width"] - 1  # beside it, not over it
    expect(system).to_have_text("Campus")
    # What is under the sticky columns is covered, not shown through: the top element there is the sticky cell.
    at = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th, td').className",
                       [after[1]["x"] + 5, after[1]["y"] + after[1]["height"] / 2])
    assert "sticky-number" in at
    shot(page, "validation-report-scrolled", full_page=False)



def transfer_and_validate(server: LiveServer, page: Page, upload: Path) -> None:
    """minimal's Synchronization page: start, transfer the file, end, validate, and back (ready to commit)."""
    page.goto(server.ui(MINIMAL, "sync"))
    page.get_by_role("button", name="Start Transfer").click()
    page.get_by_label("Transfer Staff Via File Upload").set_input_files(str(upload))
    page.get_by_role("button", name="Transfer", exact=True).click()
    page.get_by_role("button", name="End Transfer").click()
    page.get_by_role("button", name="Validate").click()
    page.get_by_role("link", name="Back to Synchronization").click()

def test_synchronous_commit_and_synced_staff_are_locked(server: LiveServer, page: Page, tmp_path: Path) -> None:
    hr = [staff_payload("10060", lastName="Doughty", firstName="Sarah", middleName=None, ssn=None,
                        positions=[{"schoolNumber": "020", "assignmentCode": "30", "titleCode": "1C9E55A0",
                                    "startDate": "2012-08-13"}])]
    upload = tmp_path / "hr.json"
    upload.write_text(json.dumps(hr))
    accept_dialogs(page)
    transfer_and_validate(server, page, upload)
    page.get_by_role("button", name="Commit", exact=True).click()
    expect(page.locator(".flash-notice")).to_contain_text("Committed: 1 succeeded, 0 failed")
    person_id = server.http.get(f"/_mock/districts/{MINIMAL}/staff/10060").json()["personID"]
    page.goto(server.ui(MINIMAL, f"staff/{person_id}"))
    expect(page.locator("#demographics-readonly")).to_be_visible()  # SYNC-8


def test_synchronous_commit_disables_its_buttons_and_shows_progress(
        server: LiveServer, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17 item 6: Commit is disabled on the first click (a double click sends one request) and the page shows
    "Committing N staff…" with the counters of the running commit until its answer arrives."""
    from boi_mock.services.sync import commit

    upload = tmp_path / "hr.json"
    upload.write_text(json.dumps([staff_payload(f"9008{n}", lastName=f"Slow{n}", ssn=None) for n in range(6)]))
    accept_dialogs(page)
    transfer_and_validate(server, page, upload)
    monkeypatch.setattr(commit, "run_commit", functools.partial(commit.run_commit, pace_seconds=0.5))
    # While the POST is in flight Playwright cannot evaluate in the page (it waits for the navigation), so the page
    # reports its own state on every change, through the console.
    states: list[dict[str, Any]] = []
    posts: list[str] = []
    page.on("console", lambda msg: states.append(json.loads(msg.text[6:])) if msg.text.startswith("STATE ") else None)
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.evaluate("""() => {
        const report = () => {
            const b = document.querySelector('#commit');
            console.log('STATE ' + JSON.stringify({
                disabled: b.disabled, busy: b.getAttribute('aria-busy'), text: b.textContent,
                job: document.querySelector('#submit-commit-job').disabled,
                panel: !document.querySelector('#commit-busy').hidden,
                progress: document.querySelector('#commit-busy [data-progress-text]').textContent}));
        };
        new MutationObserver(report).observe(document.body, {subtree: true, attributes: true, childList: true,
                                                             characterData: true});
    }""")
    page.locator("#commit").dblclick(no_wait_after=True)
    for _ in range(400):
        if any(re.search(r"[1-9] of 6 staff processed", s["progress"]) for s in states):
            break
        page.wait_for_timeout(50)
    assert any(re.search(r"[1-9] of 6 staff processed", s["progress"]) for s in states), states
    last = states[-1]
    assert (last["disabled"], last["busy"], last["job"], last["panel"]) == (True, "true", True, True), last
    assert last["text"] == "Committing 6 staff\u2026"
    expect(page.locator(".flash-notice")).to_contain_text("Committed: 6 succeeded, 0 failed", timeout=60_000)
    expect(page.locator(".flash-error")).to_have_count(0)
    expect(page.locator("#commit-busy")).to_be_hidden()
    assert [url for url in posts if url.endswith("/sync/commit")] == [server.ui(MINIMAL, "sync/commit")]


def test_combine_person(server: LiveServer, page: Page) -> None:
    accept_dialogs(page)
    address = {"number": "55", "prefix": "SE", "street": "Battlefield", "tag": "Rd", "city": "Springfield",
               "state": "MO", "zip": "65807"}
    body = staff_payload("90051", lastName="Pye", firstName="Marcus", middleName=None, gender="M", ssn=None,
                         birthdate=None, household={"householdLocations": [{"address": address}]})
    assert server.boi(MINIMAL, "POST", "/staffMembers", body).status_code == 201
    page.goto(server.ui(MINIMAL, "combine"))
    page.locator("#qa").fill("Marcus")
    page.locator("#qa").press("Enter")
    page.locator("#found-a").get_by_role("link").filter(has_text="Pye, Marcus").first.click()
    page.locator("#qb").fill("Marcus")
    page.locator("#qb").press("Enter")
    page.locator("#found-b").get_by_role("link").filter(has_text="Pye, Marcus").last.click()
    expect(page.get_by_text("suggested: the staff member")).to_be_visible()
    shot(page, "combine-person")
    page.get_by_role("button", name="Combine").click()
    expect(page.locator(".flash-notice")).to_contain_text("was combined into person")
    expect(page.locator("#household-members")).to_contain_text("Pye, Alma")
    shot(page, "combine-result")
