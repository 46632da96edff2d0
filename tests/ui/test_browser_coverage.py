"""MOCK-11 in Chromium: the Contract Coverage page, reached from the Business Office Integration menu."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from boi_mock.domain.coverage import RULES
from boi_mock.domain.coverage_howto import HOW_TO
from tests.support import staff_payload
from tests.ui.support import BROWSER_TESTS, browser_tab, chromium, live_server, vendor_auth

APP = "minimal"

pytestmark = BROWSER_TESTS

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("coverage")) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium() as browser, browser_tab(browser, viewport={"width": 1366, "height": 900}) as tab:
        yield tab


def _calls(base: str) -> None:
    """A vendor's few calls: a new hire (STAFF-5, EMP-1), the schools (REF-1), an unknown school (POS-2, ERR-1)."""
    with httpx.Client(base_url=base, timeout=60) as http:
        boi = f"{base}/campus/api/businessOfficeIntegration"
        headers = vendor_auth(http, APP)
        assert http.post(f"{boi}/staffMembers", json=staff_payload("90001"), headers=headers).status_code == 201
        assert http.get(f"{boi}/schools", headers=headers).status_code == 200
        bad = staff_payload("90002", positions=[{"schoolNumber": "999", "titleCode": "4A61E262",
                                                 "startDate": "2024-01-01"}])
        assert http.post(f"{boi}/staffMembers", json=bad, headers=headers).status_code == 400


def test_mock11_coverage_checklist_in_the_campus_ui(base: str, page: Page) -> None:
    _calls(base)
    page.goto(f"{base}/campus/ui/{APP}/")
    page.get_by_role("navigation", name="Tools").get_by_role("link", name="Contract Coverage").click()
    expect(page.get_by_role("heading", name="Contract Coverage", level=1)).to_be_visible()
    expect(page.locator("#coverage-summary")).to_contain_text(f"5 of {len(RULES)} rules exercised")
    staff = page.get_by_role("region", name="Staff members")
    first = staff.locator("li").first
    expect(first).to_have_class("todo")  # never-exercised rules come first in each section
    expect(page.locator("#rule-STAFF-5")).to_have_class("done")
    expect(page.locator("#rule-STAFF-5")).to_contain_text("1 call")
    expect(page.locator("#rule-POS-2")).to_have_class("done")
    expect(page.locator("#rule-POS-7")).to_contain_text(HOW_TO["POS-7"])
    create = page.locator("#coverage-operations tr", has_text="/staffMembers").filter(has_text="POST").first
    expect(create).to_contain_text("201")
    expect(create).to_contain_text("400")
    expect(page.locator("#coverage-codes tr", has_text="unknown_school")).to_contain_text("1")
    if folder := os.environ.get("BOI_MOCK_COVERAGE_SHOT"):  # a look at the page while working on it
        page.screenshot(path=str(Path(folder) / "coverage.png"), full_page=True)
    page.get_by_role("button", name="Start counting again").click()
    expect(page.get_by_role("status")).to_have_text("Coverage cleared: counting starts again.")
    expect(page.locator("#coverage-summary")).to_contain_text(f"0 of {len(RULES)} rules exercised")
