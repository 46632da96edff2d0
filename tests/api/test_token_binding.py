"""AUTH-3/AUTH-4, MOCK-15: a token is bound to the district instance it was issued for (issue 14, item 3).

Delete district X and create a new X (even with the same client id and secret): a token issued to the old X
is refused by the new one (401, nothing created, logged nowhere), and a token of the new X works.
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from boi_mock.domain import tokens
from tests.support import create_district, minimal_scenario, staff_payload


def test_auth3_mock15_token_of_a_deleted_district_is_refused_by_a_new_district_of_that_name(
        client: TestClient) -> None:
    old = create_district(client, minimal_scenario())
    old_token = old.token()
    assert old.get("/schools").status_code == 200
    assert old.mock("DELETE").status_code == 204

    new = create_district(client, minimal_scenario(appName=old.app_name))
    assert new.client_id != old.client_id
    response = new.post("/staffMembers", staff_payload("80001"), headers={"Authorization": f"Bearer {old_token}"})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["code"] == "invalid_token"
    assert "earlier district" in response.json()["detail"]
    assert new.get("/schools", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    # Foreign to the new district: not in its Error Log (contract §2, "Error Log for 401s").
    assert new.error_log() == []
    assert new.get("/staffMembers/80001").status_code == 404  # nothing created
    assert new.post("/staffMembers", staff_payload("80001")).status_code == 201


def test_auth4_mock15_same_credentials_in_the_new_scenario_do_not_revive_old_tokens(client: TestClient) -> None:
    """The binding is a random id per district instance, not the credentials: a scenario that gives the same
    clientId and clientSecret still makes another district."""
    scenario = minimal_scenario(clientId="hr-vendor", clientSecret="s3cret-s3cret")
    old = create_district(client, scenario)
    old_token = old.token()
    assert old.mock("DELETE").status_code == 204
    new = create_district(client, scenario)
    assert (new.client_id, new.client_secret) == (old.client_id, old.client_secret)
    response = new.post("/staffMembers", staff_payload("80002"), headers={"Authorization": f"Bearer {old_token}"})
    assert response.status_code == 401
    assert new.get("/staffMembers/80002").status_code == 404
    assert new.get("/schools").status_code == 200  # its own token works


def test_auth3_token_whose_subject_is_not_the_districts_client_is_401(client: TestClient) -> None:
    """`sub` is compared with the district's client id (a token signed with the server key for another client)."""
    district = create_district(client, minimal_scenario())
    district.token()
    key = client.app.state.signing_key  # type: ignore[attr-defined]
    with client.app.state.db.unit_of_work() as session:  # type: ignore[attr-defined]
        from boi_mock.repositories import districts as repo

        row = repo.by_app_name(session, district.app_name)
        assert row is not None
        binding = row.token_binding
    now = int(time.time())
    good = tokens.issue(key=key, app_name=district.app_name, client_id=district.client_id, secret_version=1,
                        now=now, lifetime=600, binding=binding)
    other = tokens.issue(key=key, app_name=district.app_name, client_id="someone-else", secret_version=1,
                         now=now, lifetime=600, binding=binding)
    unbound = tokens.issue(key=key, app_name=district.app_name, client_id=district.client_id, secret_version=1,
                           now=now, lifetime=600, binding="0" * 32)
    assert district.get("/schools", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    for bad in (other, unbound):
        response = district.get("/schools", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_token"
