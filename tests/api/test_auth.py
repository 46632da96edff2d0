"""AUTH-1..6: the OAuth2 token endpoint and Bearer checks on every BOI call."""

from __future__ import annotations

import base64
import time

from fastapi.testclient import TestClient
from jose import jwt

from boi_mock.domain import tokens
from tests.support import BOI, District, create_district


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_auth1_form_credentials_give_a_bearer_jwt(district: District) -> None:
    response = district.fetch_token()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert response.headers["cache-control"] == "no-store"
    claims = jwt.get_unverified_claims(body["access_token"])
    assert {"exp", "iat", "sub", "aud", "jti"} <= claims.keys()
    assert claims["aud"] == district.app_name
    assert claims["sub"] == district.client_id
    assert claims["exp"] - claims["iat"] == 3600


def test_auth1_http_basic_credentials_work(district: District) -> None:
    response = district.client.post(
        f"/campus/oauth2/token?appName={district.app_name}", data={"grant_type": "client_credentials"},
        headers={"Authorization": _basic(district.client_id, district.client_secret)},
    )
    assert response.status_code == 200, response.text
    assert district.get("/schools", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
                        ).status_code == 200


def test_auth1_lifetime_is_a_district_setting(client: TestClient) -> None:
    from tests.support import minimal_scenario

    d = create_district(client, minimal_scenario(tokenLifetimeSeconds=120))
    assert d.fetch_token().json()["expires_in"] == 120


def test_auth2_unknown_app_client_or_secret_are_one_invalid_client(district: District) -> None:
    cases = [
        ("no-such-app", district.client_id, district.client_secret),
        (district.app_name, "wrong-client", district.client_secret),
        (district.app_name, district.client_id, "wrong-secret"),
    ]
    bodies = []
    for app, cid, secret in cases:
        response = district.client.post(f"/campus/oauth2/token?appName={app}", data={
            "grant_type": "client_credentials", "client_id": cid, "client_secret": secret})
        assert response.status_code == 401
        assert "www-authenticate" in response.headers
        bodies.append(response.json())
    assert all(b == bodies[0] for b in bodies)  # no oracle
    assert bodies[0]["error"] == "invalid_client"


def test_auth2_bad_grant_and_missing_grant(district: District) -> None:
    url = f"/campus/oauth2/token?appName={district.app_name}"
    creds = {"client_id": district.client_id, "client_secret": district.client_secret}
    response = district.client.post(url, data={"grant_type": "password", **creds})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    response = district.client.post(url, data=creds)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_auth3_missing_malformed_and_foreign_tokens_are_401(district: District, client: TestClient) -> None:
    other = create_district(client)
    good = district.token()
    forged = jwt.encode(jwt.get_unverified_claims(good), "not-the-key", algorithm="HS256")
    _header, payload, _sig = good.split(".")
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    cases = {
        "missing": {},
        "not bearer": {"Authorization": f"Token {good}"},
        "garbage": {"Authorization": "Bearer abc.def"},
        "bad signature": {"Authorization": f"Bearer {forged}"},
        "alg none": {"Authorization": f"Bearer {none_header}.{payload}."},
        "oversized": {"Authorization": "Bearer " + "a" * 10_000},
    }
    for name, headers in cases.items():
        response = client.get(BOI + "/schools", headers=headers)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"', name
        assert response.json()["code"] == "invalid_token", name
    # A token of another district reaches that district's data only, never this one's.
    scoped = client.get(f"/apps/{district.app_name}{BOI}/schools", headers=other.headers())
    assert scoped.status_code == 401


def test_auth3_expired_token_is_401(district: District, client: TestClient, settings: object) -> None:
    key = client.app.state.signing_key  # type: ignore[attr-defined]
    now = int(time.time())
    expired = tokens.issue(key=key, app_name=district.app_name, client_id=district.client_id, secret_version=1,
                           now=now - 7200, lifetime=3600)
    response = district.get("/schools", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    # The district could tell: its Error Log records the attempt (ERR-1).
    assert district.error_log()[0]["path"].endswith("/schools")


def test_auth3_advanced_clock_ages_tokens(district: District) -> None:
    token = district.token()
    assert district.get("/schools").status_code == 200
    assert district.mock("POST", "/clock/advance", json={"seconds": 3600}).status_code == 200
    response = district.get("/schools", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert district.get("/schools", headers={"Authorization": f"Bearer {district.token(fresh=True)}"}
                        ).status_code == 200


def test_auth4_rotation_kills_old_secret_and_old_tokens(district: District) -> None:
    old_token = district.token()
    old_secret = district.client_secret
    response = district.mock("POST", "/secret")
    assert response.status_code == 200
    new_secret = response.json()["clientSecret"]
    assert new_secret != old_secret
    assert district.get("/schools", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    assert district.fetch_token().status_code == 401  # still the old secret
    district.client_secret = new_secret
    assert district.get("/schools", headers={"Authorization": f"Bearer {district.token(fresh=True)}"}
                        ).status_code == 200


def test_auth5_secret_never_in_error_log_or_journal(district: District) -> None:
    district.client.post(f"/campus/oauth2/token?appName={district.app_name}",
                         data={"grant_type": "client_credentials", "client_id": district.client_id,
                               "client_secret": district.client_secret})
    district.post("/staffMembers", {"staffNumber": "1", "clientSecret": district.client_secret, "ssn": "123456789"})
    text = district.mock("GET", "/error-log").text + district.mock("GET", "/requests").text
    assert district.client_secret not in text
    assert district.token() not in text
    assert "123456789" not in text


def test_auth6_algorithm_is_pinned_hs512_is_refused(district: District, client: TestClient) -> None:
    key = client.app.state.signing_key  # type: ignore[attr-defined]
    claims = jwt.get_unverified_claims(district.token())
    hs512 = jwt.encode(claims, key, algorithm="HS512")
    assert district.get("/schools", headers={"Authorization": f"Bearer {hs512}"}).status_code == 401
    hs256 = jwt.encode(claims, key, algorithm="HS256")
    assert district.get("/schools", headers={"Authorization": f"Bearer {hs256}"}).status_code == 200
