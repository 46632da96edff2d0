"""Issue 16 item 4 in Chromium: the Request Journal page, its filters, paging, a call's masked bodies, and the link
from a staff member's page to that person's calls (MOCK-9)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support import BOI, staff_payload
from tests.ui.support import BROWSER_TESTS, browser_tab, chromium, live_server, vendor_auth

APP = "minimal"

pytestmark = BROWSER_TESTS

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("journal")) as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            auth = vendor_auth(http, APP)
            assert http.post(f"{BOI}/staffMembers", json=staff_payload("70001", ssn="401-55-8812"),
                             headers=auth).status_code == 201
            assert http.put(f"{BOI}/staffMembers/70001", json={"staffNumber": "70001", "lastName": "Flanders"},
                            headers=auth).status_code == 200
            assert http.post(f"{BOI}/staffMembers", json={"staffNumber": "70002"}, headers=auth).status_code == 400
            for _ in range(52):
                assert http.get(f"{BOI}/schools", headers=auth).status_code == 200
        yield url


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium() as browser, browser_tab(browser) as tab:
        yield tab


def test_mock9_journal_page_filters_pages_and_shows_masked_bodies_in_chromium(base: str, page: Page) -> None:
    page.goto(f"{base}/campus/ui/{APP}/")
    page.get_by_role("link", name="Request Journal").click()
    expect(page.get_by_role("heading", name="Request Journal")).to_be_visible()
    expect(page.locator("#journal-count")).to_contain_text("1\u201350 of 55 calls")
    expect(page.locator("#journal tbody tr")).to_have_count(50)
    page.get_by_role("link", name="Next").first.click()
    expect(page.locator("#journal tbody tr")).to_have_count(5)

    page.get_by_label("Method").select_option("POST")
    page.get_by_label("Status").select_option("4xx")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#journal tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("400")

    page.get_by_label("Method").select_option("")
    page.get_by_label("Status").select_option("")
    page.get_by_label("Rule ID").fill("IDENT-1")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PUT")

    page.get_by_label("Rule ID").fill("STAFF-5")
    page.get_by_role("button", name="Filter").click()
    rows.first.get_by_role("link", name="Bodies").click()
    expect(page.locator("#request-body")).to_contain_text("*****8812")
    expect(page.locator("main")).not_to_contain_text("401-55-8812")
    expect(page.locator("#response-body")).to_contain_text("Simpson")


def test_mock9_staff_page_links_to_the_persons_calls_in_chromium(base: str, page: Page) -> None:
    page.goto(f"{base}/campus/ui/{APP}/staff?q=70001")
    page.get_by_role("link", name="Flanders").first.click()
    page.get_by_role("link", name="This person's BOI API calls").click()
    expect(page.get_by_label("Staff number")).to_have_value("70001")
    expect(page.locator("#journal tbody tr")).to_have_count(2)  # the create (staff number in its body) and the PUT
