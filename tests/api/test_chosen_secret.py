"""MOCK-13: a chosen client secret (AUTH-4 applies), its rules, and the generated one without a body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from boi_mock.client import BoiApiError, MockControl
from tests.support import District, minimal_scenario

CHOSEN = "Vendor-Test.Secret_0001~"


def test_mock13_a_chosen_secret_is_set_and_earlier_tokens_die(district: District) -> None:
    old_token = district.token()
    old_secret = district.client_secret
    response = district.mock("POST", "/secret", json={"clientSecret": CHOSEN})
    assert response.status_code == 200, response.text
    assert response.json()["clientSecret"] == CHOSEN
    assert response.json()["appName"] == district.app_name
    assert district.get("/schools", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401  # AUTH-4
    district.client_secret = old_secret
    assert district.fetch_token().status_code == 401
    district.client_secret = CHOSEN
    assert district.get("/schools", headers={"Authorization": f"Bearer {district.token(fresh=True)}"}
                        ).status_code == 200
    assert district.mock("GET").json()["clientSecret"] == CHOSEN


def test_mock13_setting_the_same_secret_again_still_kills_earlier_tokens(district: District) -> None:
    assert district.mock("POST", "/secret", json={"clientSecret": CHOSEN}).status_code == 200
    district.client_secret = CHOSEN
    token = district.token(fresh=True)
    assert district.mock("POST", "/secret", json={"clientSecret": CHOSEN}).status_code == 200
    assert district.get("/schools", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert district.fetch_token().status_code == 200


@pytest.mark.parametrize("body", [None, {}, {"clientSecret": None}])
def test_mock13_without_a_chosen_secret_one_is_generated(district: District, body: object) -> None:
    old = district.client_secret
    kwargs = {} if body is None else {"json": body}
    response = district.mock("POST", "/secret", **kwargs)
    assert response.status_code == 200, response.text
    generated = response.json()["clientSecret"]
    assert generated != old and len(generated) >= 16


@pytest.mark.parametrize("secret", [
    "short-secret-15",            # 15 characters: one too few
    "x" * 201,                    # one too many for the credential's column
    "has a space in it 0001",     # space
    "colon:is-not-allowed-01",    # outside the unreserved characters
    "naïve-secret-000000001",     # not ASCII
    "quote'secret-0000000001",
])
def test_mock13_a_secret_breaking_the_rules_is_400_naming_client_secret_and_changes_nothing(
        district: District, secret: str) -> None:
    token = district.token()
    response = district.mock("POST", "/secret", json={"clientSecret": secret})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["clientSecret"]
    assert "16 to 200 characters" in problem["errors"][0]["message"]
    assert secret not in response.text  # a refused secret is not echoed back
    assert district.mock("GET").json()["clientSecret"] == district.client_secret
    assert district.get("/schools", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_mock13_a_secret_of_another_json_type_is_400(district: District) -> None:
    response = district.mock("POST", "/secret", json={"clientSecret": 1234567890123456789})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "clientSecret"


def test_mock13_unknown_district_is_404(client: TestClient) -> None:
    response = client.post("/_mock/districts/no-such-district/secret", json={"clientSecret": CHOSEN})
    assert response.status_code == 404
    assert response.json()["code"] == "district_not_found"


def test_mock13_client_sets_a_chosen_secret(client: TestClient, district: District) -> None:
    control = MockControl("http://testserver", http_client=client).district(district.app_name)
    assert control.rotate_secret(client_secret=CHOSEN).client_secret == CHOSEN
    generated = control.rotate_secret()
    assert generated.client_secret != CHOSEN
    assert generated.app_name == district.app_name


def test_mock13_client_restores_the_scenario_secret_or_says_there_is_none(client: TestClient,
                                                                          district: District) -> None:
    """The client's restore_secret(): a district created with a clientSecret gets it back after a rotation;
    the minimal district's scenario gave none, so the server's 409 reaches the caller as an error."""
    control = MockControl("http://testserver", http_client=client)
    doc = {**minimal_scenario(), "appName": "restore-by-client", "clientSecret": CHOSEN}
    control.create_district(doc)
    restored = control.district("restore-by-client")
    assert restored.rotate_secret().client_secret != CHOSEN
    assert restored.restore_secret().client_secret == CHOSEN
    with pytest.raises(BoiApiError) as refused:
        control.district(district.app_name).restore_secret()
    assert (refused.value.status, refused.value.code) == (409, "no_scenario_secret")
