"""MOCK-16 in the Campus UI (through the test client): every state-changing route asks for this browser session's
form token and refuses other origins with a 403 page, changing nothing; every answer carries the security
headers. The browser-level proof (another origin's page in Chromium) is tests/ui/test_browser_csrf.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient

from boi_mock.admin.app import create_ui
from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.support import District, create_district
from tests.ui.support import BROWSER_SAME_ORIGIN, UI, Campus, csrf_token, text


def _ui_post_routes(_client: TestClient) -> list[str]:
    """Every POST route of the Campus UI, as a path template under /campus/ui (hidden routes included)."""
    paths: dict[str, dict[str, Any]] = get_openapi(title="ui", version="0", routes=create_ui().routes)["paths"]
    return sorted(path for path, operations in paths.items() if "post" in operations)


def _state(campus: Campus) -> dict[str, Any]:
    summary = campus.district.mock("GET").json()
    users = campus.district.client.get(campus.path("notifications")).text.count("<tr")
    return {"secret": summary["clientSecret"], "preferences": summary["preferences"],
            "staff": campus.staff("10058"), "notifications": users,
            "sync": campus.district.mock("GET", "/sync").json(),
            "coverage": campus.district.mock("GET", "/coverage").json()}


def _fill(template: str, campus: Campus) -> str:
    person_id = campus.person_id("10058")
    return (template.replace("{appName}", campus.app).replace("{person_id}", str(person_id))
            .replace("{notification_id}", "1").replace("{user_id}", "1").removeprefix("/"))


def test_every_state_changing_ui_route_is_covered(client: TestClient) -> None:
    """The list below is every POST of the UI: a new form is added to these tests or this test fails."""
    assert _ui_post_routes(client) == sorted([
        "/login", "/{appName}/user", "/{appName}/credentials/new-secret",
        "/{appName}/credentials/restore-secret", "/{appName}/preferences",
        "/{appName}/combine", "/{appName}/notifications/new", "/{appName}/notifications/{notification_id}",
        "/{appName}/notifications/{notification_id}/recipients/{user_id}/remove",
        "/{appName}/notifications/{notification_id}/delete", "/{appName}/messages/{user_id}/read",
        "/{appName}/staff/{person_id}/demographics", "/{appName}/staff/{person_id}/employments",
        "/{appName}/staff/{person_id}/assignments", "/{appName}/staff/{person_id}/household",
        "/{appName}/sync/start", "/{appName}/sync/transfer", "/{appName}/sync/end", "/{appName}/sync/validate",
        "/{appName}/sync/commit", "/{appName}/sync/submit-commit-job", "/{appName}/coverage/clear"])


FORMS: dict[str, dict[str, Any]] = {
    "/{appName}/preferences": {},
    "/{appName}/staff/{person_id}/demographics": {"lastName": "Pwned", "firstName": "X"},
    "/{appName}/combine": {"base": "1", "a": "1", "b": "2"},
    "/{appName}/notifications/new": {"type": "HR-Staff", "recipients": ["1"]},
    "/{appName}/user": {"username": "akline"},
}


@pytest.mark.parametrize("how", ["no-token", "wrong-token", "planted-cookie", "other-port-origin",
                                 "cross-site-fetch-metadata", "origin-null"])
def test_mock16_ui_state_change_without_this_sessions_token_or_from_another_origin_is_403_and_changes_nothing(
        client: TestClient, campus: Campus, how: str) -> None:
    token = csrf_token(client, campus.path())
    headers = dict(BROWSER_SAME_ORIGIN)
    form_token: str | None = token
    cookies: dict[str, str] | None = None
    if how == "no-token":
        form_token = None
    elif how == "wrong-token":
        form_token = token[:-4] + "AAAA"
    elif how == "planted-cookie":
        # A page on another port of 127.0.0.1 can set a cookie for this host: its own session and a token it
        # made up for it do not match (the token is an HMAC under the server's key).
        cookies = {"boi_csrf": "p" * 43}
        form_token = "p" * 43
    elif how == "other-port-origin":
        headers = {"Origin": "http://testserver:9999", "Sec-Fetch-Site": "same-site"}
    elif how == "cross-site-fetch-metadata":
        headers = {"Sec-Fetch-Site": "cross-site"}
    elif how == "origin-null":
        headers = {"Origin": "null"}
    before = _state(campus)
    other = TestClient(client.app, cookies=cookies) if cookies else client
    for template in _ui_post_routes(client):
        form = dict(FORMS.get(template, {}))
        if form_token is not None:
            form["csrf_token"] = form_token
        files = {"file": ("hr.json", b"[]", "application/json")} if template.endswith("/transfer") else None
        response = other.post(f"{UI}/{_fill(template, campus)}", data=form, files=files, headers=headers,
                              follow_redirects=False)
        assert response.status_code == 403, (template, response.status_code, response.text[:300])
        assert "text/html" in response.headers["content-type"]
        assert "nothing was changed" in text(response)
    assert _state(campus) == before


def test_mock16_generate_new_secret_from_the_ui_page_still_works(campus: Campus) -> None:
    before = campus.district.mock("GET").json()["clientSecret"]
    response = campus.post("credentials/new-secret")
    assert response.status_code == 200
    assert campus.district.mock("GET").json()["clientSecret"] != before


def test_mock16_a_form_without_browser_headers_but_with_the_token_is_accepted(campus: Campus) -> None:
    """curl or a script that read the page first (no Origin, no Sec-Fetch-Site) posts like the page would."""
    client = campus.district.client
    response = client.post(campus.path("preferences"),
                           data={"csrf_token": csrf_token(client, campus.path()), "staffNumber": "true"})
    assert response.status_code == 200
    assert campus.district.mock("GET", "/preferences").json()["locks"]["staffNumber"] is True


def test_mock16_the_token_may_come_in_a_header(campus: Campus) -> None:
    client = campus.district.client
    response = client.post(campus.path("sync/start"), headers={"X-CSRF-Token": csrf_token(client, campus.path()),
                                                              **BROWSER_SAME_ORIGIN})
    assert response.status_code == 200
    assert campus.district.mock("GET", "/sync").json()["status"] == "TRANSFER_STARTED"


def test_mock16_the_session_cookie_is_httponly_and_not_sent_cross_site(settings: Settings, district: District) -> None:
    with TestClient(create_app(settings.model_copy(update={"run_worker": False}), run_migrations=False)) as fresh:
        response = fresh.get(f"{UI}/{district.app_name}/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("boi_csrf=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and f"Path={UI}" in cookie


# -- headers (issue 14, item 10) ----------------------------------------------------------------------------------


def test_ui_pages_deny_framing_sniffing_and_caching(campus: Campus) -> None:
    for sub in ("", "credentials", "credentials?show=true", "credentials/new-secret", "preferences", "sync"):
        response = campus.get(sub)
        assert response.status_code == 200, sub
        headers = response.headers
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store", sub
        assert headers["referrer-policy"] == "same-origin"


def test_error_pages_and_redirects_carry_the_headers_too(campus: Campus, client: TestClient) -> None:
    missing = client.get(f"{UI}/no-such-district/credentials")
    assert missing.status_code == 404
    assert missing.headers["x-frame-options"] == "DENY"
    refused = client.post(campus.path("preferences"), headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert refused.headers["x-frame-options"] == "DENY" and refused.headers["cache-control"] == "no-store"


def test_static_files_are_cacheable_but_not_sniffable(client: TestClient) -> None:
    response = client.get(f"{UI}/static/campus.css")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get("cache-control") != "no-store"


def test_head_on_ui_pages_is_answered_like_get_without_a_body(campus: Campus, client: TestClient) -> None:
    for path in (campus.path(), campus.path("credentials"), f"{UI}/", f"{UI}/static/campus.js"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_use_no_inline_script_or_style(campus: Campus) -> None:
    """The CSP allows scripts and styles from files only (proved in Chromium by test_browser_csrf.py)."""
    person_id = campus.person_id("10058")
    for sub in ("", "credentials", "sync", "sync/check", "staff", f"staff/{person_id}", "error-log", "combine"):
        page = campus.get(sub).text
        assert "<script>" not in page and "<style" not in page and " style=" not in page, sub
        assert " onclick=" not in page and "javascript:" not in page, sub


# -- the UI without an admin token is for this machine only (issue 14, item 2) -----------------------------------


@pytest.fixture
def remote_browser(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"run_worker": False, "seed_on_start": False}), run_migrations=False)
    with TestClient(app, client=("198.51.100.7", 50000)) as remote:
        yield remote


def test_without_admin_token_the_ui_refuses_other_machines(client: TestClient, remote_browser: TestClient) -> None:
    district = create_district(client)
    for path in (f"{UI}/", f"{UI}/{district.app_name}/credentials?show=true"):
        response = remote_browser.get(path)
        assert response.status_code == 403
        assert district.client_secret not in response.text
        assert "BOI_MOCK_ADMIN_TOKEN" in text(response)
