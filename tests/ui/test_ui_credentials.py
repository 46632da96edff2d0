"""Business Office API Credentials (AUTH-4, AUTH-5)."""

from __future__ import annotations

from tests.support import BOI, create_district, minimal_scenario
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


SCENARIO_SECRET = "ClassroomDemoSecret0000000000000000000001"


def _trainer_district(campus: Campus) -> Campus:
    """A district whose scenario gives its client secret, as the demo district's does (the README's secret)."""
    return Campus(create_district(campus.district.client, minimal_scenario(clientSecret=SCENARIO_SECRET)))


def test_mock13_restore_the_scenario_secret_from_the_credentials_page(campus: Campus) -> None:
    """Issue 17 item 8: after Generate New Secret, a trainer restores the scenario's secret for the next class; the
    warning says earlier tokens die, and they do (AUTH-4), the rotated secret too."""
    trainer = _trainer_district(campus)
    district = trainer.district
    assert "The current secret is the scenario's" in element(trainer.get("credentials"), "scenario-secret-state")
    trainer.post("credentials/new-secret")
    rotated = element(trainer.get("credentials", params={"show": "true"}), "client-secret")
    assert rotated != SCENARIO_SECRET
    assert "was changed since" in element(trainer.get("credentials"), "scenario-secret-state")
    district.client_secret = rotated
    token_of_the_rotated_secret = district.token(fresh=True)
    confirm = trainer.get("credentials/restore-secret")
    assert "Every access token issued before now stops working" in text(confirm)
    assert district.get("/schools").status_code == 200  # looking at the confirmation changes nothing
    response = trainer.post("credentials/restore-secret")
    assert response.url.path == trainer.path("credentials")
    assert "The scenario's client secret was restored" in flash(response)
    assert element(trainer.get("credentials", params={"show": "true"}), "client-secret") == SCENARIO_SECRET
    assert district.fetch_token().status_code == 401  # the rotated secret
    old = district.client.get(BOI + "/schools", headers={"Authorization": f"Bearer {token_of_the_rotated_secret}"})
    assert old.status_code == 401
    district.client_secret = SCENARIO_SECRET
    assert district.get("/schools", headers=district.headers(district.token(fresh=True))).status_code == 200
    assert SCENARIO_SECRET not in trainer.get("credentials").text  # still masked until Show


def test_mock13_restore_through_the_control_api(campus: Campus) -> None:
    trainer = _trainer_district(campus)
    district = trainer.district
    token_before = district.token()
    assert district.mock("POST", "/secret").status_code == 200
    response = district.mock("POST", "/secret/restore")
    assert response.status_code == 200, response.text
    assert response.json()["clientSecret"] == SCENARIO_SECRET
    again = district.client.get(BOI + "/schools", headers={"Authorization": f"Bearer {token_before}"})
    assert again.status_code == 401  # a restore is a rotation: even a token of the scenario's secret ends
    assert district.fetch_token().status_code == 200


def test_mock13_restore_without_a_scenario_secret_is_a_conflict_and_changes_nothing(campus: Campus) -> None:
    """The minimal test district's scenario has no clientSecret (it was generated): nothing to restore."""
    district = campus.district
    response = district.mock("POST", "/secret/restore")
    assert (response.status_code, response.json()["code"]) == (409, "no_scenario_secret")
    assert district.fetch_token().status_code == 200
    assert 'id="restore-scenario-secret"' not in campus.get("credentials").text
    page = campus.post("credentials/restore-secret")
    assert "there is no scenario secret to restore" in flash(page)
    assert district.fetch_token().status_code == 200
    assert "there is none to restore" in text(campus.get("credentials/restore-secret"))


def test_show_secret_label_names_the_switch(campus: Campus) -> None:
    """Issue 17 item 9: the "Show Secret" label is a <label> of the switch (clicking it toggles; Chromium test)."""
    page = campus.get("credentials").text
    assert '<label for="show-secret" id="show-secret-label">Show Secret</label>' in page
    assert 'id="show-secret"' in page
