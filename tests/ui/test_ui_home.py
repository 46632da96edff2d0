"""Picker, home page (figures, walk-throughs), user switch, error pages, static files, admin-token sign-in."""

from __future__ import annotations

from fastapi.testclient import TestClient

from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.support import District
from tests.ui.support import UI, Campus, csrf_token, element, flash, text


def test_picker_lists_the_district(client: TestClient, district: District) -> None:
    response = client.get(f"{UI}/")
    assert response.status_code == 200
    assert f'href="{UI}/{district.app_name}/"' in response.text
    assert "Choose a district" in text(response)


def test_home_shows_the_districts_figures(campus: Campus) -> None:
    response = campus.get()
    assert response.status_code == 200
    page = text(response)
    # boi_mock/seed/minimal.json: 6 persons, 4 with a position (STAFF-7), 4 households at 4 addresses.
    assert "6 persons" in page
    assert "4 staff" in page
    assert "4 households" in page
    assert "4 addresses" in page
    assert "0 errors logged" in page


def test_home_walkthroughs_link_examples_of_this_district(campus: Campus) -> None:
    response = campus.get()
    brown = campus.person_id("10058")
    pye = campus.person_id("10072")
    for key in ("name-change", "shared-household", "address-variants", "position-update", "full-sync"):
        assert f'id="walk-{key}"' in response.text
    assert f'href="{campus.path(f"staff/{brown}")}#identities"' in response.text
    assert f'href="{campus.path(f"staff/{pye}")}#household"' in response.text
    assert "/staffMembers/10058" in response.text
    assert "4321 North Lexington Avenue" in text(response)


def test_home_without_slash_redirects(campus: Campus) -> None:
    response = campus.district.client.get(f"{UI}/{campus.app}", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == campus.path()


def test_unknown_district_is_an_html_404(client: TestClient) -> None:
    response = client.get(f"{UI}/no-such-district/credentials")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "does not exist" in text(response)


def test_unknown_page_is_an_html_404(campus: Campus) -> None:
    response = campus.get("no-such-page")
    assert response.status_code == 404
    assert "There is no such page" in text(response)


def test_static_files_are_served_locally(client: TestClient, campus: Campus) -> None:
    page = campus.get()
    assert f'href="{UI}/static/campus.css"' in page.text
    assert f'src="{UI}/static/campus.js"' in page.text
    assert "https://" not in page.text.split("<body")[0]  # no CDN in the head
    css = client.get(f"{UI}/static/campus.css")
    assert css.status_code == 200
    assert "@media print" in css.text
    assert client.get(f"{UI}/static/campus.js").status_code == 200


def test_switching_the_campus_user_changes_started_by(campus: Campus) -> None:
    assert '<option value="mpostma" selected>' in campus.get().text  # the scenario's first user
    response = campus.post("user", {"username": "akline", "next": campus.path("sync")})
    assert response.url.path == campus.path("sync")
    assert "You are now Kline, Andrea" in flash(response)
    response = campus.post("sync/start")
    assert "Transfer started by Kline, Andrea" in flash(response)
    assert "Kline, Andrea" in element(response, "sync-state")
    campus.post("user", {"username": "mpostma", "next": campus.path()})


def test_switching_to_an_unknown_user_is_refused(campus: Campus) -> None:
    response = campus.post("user", {"username": "nobody", "next": campus.path()})
    assert "No Campus user 'nobody'" in flash(response)


def test_user_switch_never_redirects_outside_the_ui(campus: Campus) -> None:
    response = campus.post("user", {"username": "akline", "next": "https://evil.example/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{UI}/"
    campus.post("user", {"username": "mpostma", "next": campus.path()})


def test_with_an_admin_token_the_ui_asks_for_it(settings: Settings, district: District) -> None:
    guarded = settings.model_copy(update={"admin_token": "s3cret-admin", "run_worker": False})
    with TestClient(create_app(guarded, run_migrations=False)) as browser:
        page = f"{UI}/{district.app_name}/credentials"
        response = browser.get(page, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith(f"{UI}/login?next=")
        form = {"next": page, "csrf_token": csrf_token(browser, f"{UI}/login")}
        assert browser.post(f"{UI}/login", data={**form, "token": "wrong"}).status_code == 401
        response = browser.post(f"{UI}/login", data={**form, "token": "s3cret-admin"})
        assert response.status_code == 200
        assert response.url.path == page
        assert "Business Office API Credentials" in text(response)


def test_the_banners_url_and_campus_lead_to_the_ui_home(client: TestClient) -> None:
    for path in ("/", "/campus", "/campus/"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 307, path
        assert response.headers["location"] == f"{UI}/"
    assert "Choose a district" in text(client.get("/"))


def test_docs_leads_to_the_boi_api_documentation(client: TestClient) -> None:
    response = client.get("/docs", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/campus/api/businessOfficeIntegration/documentation"
    assert "SwaggerUIBundle" in client.get("/docs").text


def test_favicon_is_served_and_linked(client: TestClient, campus: Campus) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg")
    assert f'<link rel="icon" type="image/svg+xml" href="{UI}/static/favicon.svg">' in campus.get().text
    linked = client.get(f"{UI}/static/favicon.svg")
    assert linked.status_code == 200 and linked.content == icon.content


def test_the_boi_apis_own_404s_stay_problem_json(client: TestClient) -> None:
    for path in ("/campus/api/businessOfficeIntegration/nothing", "/campus/api", "/campus/nothing", "/docs/x"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json"), path
