"""Issue 17, item 1 in Chromium: the URL the banner prints lands on the Campus UI, with the favicon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.support import BROWSER_TESTS, browser_tab, chromium, live_server

pytestmark = BROWSER_TESTS

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("entry")) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Page]:
    with chromium() as browser, browser_tab(browser) as tab:
        yield tab


def test_the_banners_url_lands_on_the_campus_ui_home(base: str, page: Page) -> None:
    for start in (f"{base}/", f"{base}/campus"):
        response = page.goto(start)
        assert response is not None and response.ok
        assert page.url == f"{base}/campus/ui/"
        expect(page.get_by_role("heading", name="Choose a district")).to_be_visible()
    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_attribute("type", "image/svg+xml")
    href = icon.get_attribute("href")
    assert href is not None
    answer = page.request.get(f"{base}{href}")
    assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")


def test_docs_lands_on_the_api_documentation(base: str, page: Page) -> None:
    page.goto(f"{base}/docs")
    assert page.url == f"{base}/campus/api/businessOfficeIntegration/documentation"
    expect(page.locator("#swagger-ui")).to_be_attached()
