"""Business Office API Credentials (AUTH-4, AUTH-5)."""

from __future__ import annotations

from tests.support import BOI
from tests.ui.support import Campus, element, flash, text


def test_auth5_secret_is_masked_until_show_is_on(campus: Campus) -> None:
    secret = campus.district.client_secret
    response = campus.get("credentials")
    assert response.status_code == 200
    assert secret not in response.text
    assert element(response, "client-secret").startswith(secret[:4])
    assert 'aria-checked="false"' in response.text
    shown = campus.get("credentials", params={"show": "true"})
    assert element(shown, "client-secret") == secret
    assert 'aria-checked="true"' in shown.text


def test_credentials_page_shows_the_guides_fields(campus: Campus) -> None:
    response = campus.get("credentials")
    assert element(response, "client-id") == campus.district.client_id
    assert element(response, "token-url") == f"http://testserver/campus/oauth2/token?appName={campus.app}"
    assert element(response, "base-url") == "http://testserver/campus"
    assert element(response, "documentation-link") == (
        "http://testserver/campus/api/businessOfficeIntegration/documentation")
    for label in ("Client ID", "Client Secret", "Show Secret", "Token URL", "Base URL",
                  "Business Office Integration API Documentation", "Generate New Secret"):
        assert label in text(response)


def test_auth4_generate_new_secret_warns_and_asks_to_confirm(campus: Campus) -> None:
    response = campus.get("credentials/new-secret")
    assert response.status_code == 200
    page = text(response)
    assert "This should ONLY be used if you feel the current secret has been compromised" in page
    assert "Until that happens all API calls from the HR system will fail" in page
    # Looking at the confirmation changes nothing.
    assert campus.district.fetch_token().status_code == 200


def test_auth4_generating_a_new_secret_stops_the_old_secret_and_its_tokens(campus: Campus) -> None:
    district = campus.district
    old_token = district.token()
    assert district.get("/schools").status_code == 200
    response = campus.post("credentials/new-secret")
    assert response.url.path == campus.path("credentials")
    assert "A new client secret was generated" in flash(response)
    assert district.fetch_token().status_code == 401  # old secret
    rejected = district.client.get(BOI + "/schools", headers={"Authorization": f"Bearer {old_token}"})
    assert rejected.status_code == 401
    new_secret = element(campus.get("credentials", params={"show": "true"}), "client-secret")
    assert new_secret != district.client_secret
    district.client_secret = new_secret
    assert district.get("/schools", headers=district.headers(district.token(fresh=True))).status_code == 200


def test_auth5_new_secret_is_masked_too_and_never_in_the_error_log(campus: Campus) -> None:
    campus.post("credentials/new-secret")
    secret = element(campus.get("credentials", params={"show": "true"}), "client-secret")
    assert secret not in campus.get("credentials").text
    campus.district.client.post(f"/campus/oauth2/token?appName={campus.app}",
                                data={"grant_type": "client_credentials", "client_id": campus.district.client_id,
                                      "client_secret": secret})
    assert secret not in campus.get("error-log").text
