"""MOCK-14: `POST /_mock/reset` deletes every district and loads the seed files again, guarded like /_mock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boi_mock.client import MockControl
from boi_mock.main import create_app
from boi_mock.settings import Settings
from tests.reliability.support import drop_database, fresh_database_url
from tests.support import BOI, create_district, minimal_scenario, staff_payload


@pytest.fixture
def own_server(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """An app on a database of its own (a global reset must not touch the suite's districts), seeding minimal.json."""
    url = fresh_database_url(database_url, tmp_path)
    settings = Settings(database_url=url, seed_files=["minimal.json"], seed_on_start=True, run_worker=False)
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield client
    finally:
        drop_database(url)


def _names(client: TestClient) -> list[str]:
    return sorted(d["appName"] for d in client.get("/_mock/districts").json())


def test_mock14_reset_deletes_every_district_and_seeds_again(own_server: TestClient) -> None:
    seeded = _names(own_server)
    assert seeded == ["minimal"]
    seed_secret = own_server.get("/_mock/districts/minimal").json()["clientSecret"]
    extra = create_district(own_server, minimal_scenario())
    other = create_district(own_server, None)
    old_token = extra.token()
    # Change the seeded district: a staff member, a rotated secret.
    minimal = own_server.get("/_mock/districts/minimal").json()
    token = own_server.post("/campus/oauth2/token?appName=minimal", data={
        "grant_type": "client_credentials", "client_id": minimal["clientId"],
        "client_secret": minimal["clientSecret"]}).json()["access_token"]
    assert own_server.post(f"{BOI}/staffMembers", json=staff_payload("55501"),
                           headers={"Authorization": f"Bearer {token}"}).status_code == 201
    assert own_server.post("/_mock/districts/minimal/secret").status_code == 200

    response = own_server.post("/_mock/reset")
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(body["deleted"]) == sorted(["minimal", extra.app_name, other.app_name])
    assert [d["appName"] for d in body["seeded"]] == ["minimal"]
    assert body["seeded"][0]["clientSecret"] == seed_secret  # the seed file's credentials again
    assert _names(own_server) == ["minimal"]
    assert own_server.get(f"/_mock/districts/{extra.app_name}").status_code == 404
    assert extra.client.get(f"{BOI}/schools", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    token = own_server.post("/campus/oauth2/token?appName=minimal", data={
        "grant_type": "client_credentials", "client_id": minimal["clientId"],
        "client_secret": seed_secret}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert own_server.get(f"{BOI}/staffMembers/55501", headers=auth).status_code == 404
    assert own_server.get(f"{BOI}/staffMembers/10058", headers=auth).status_code == 200
    journal = own_server.get("/_mock/districts/minimal/requests").json()
    assert [e["method"] for e in journal] == ["GET", "GET"]  # only the calls since: the journal went with it


def test_mock14_reset_is_guarded_like_the_rest_of_mock(own_server: TestClient) -> None:
    refused = own_server.post("/_mock/reset", headers={"Origin": "https://evil.example",
                                                       "Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "cross_site_request"
    form = own_server.post("/_mock/reset", content=b"a=b",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    assert _names(own_server) == ["minimal"] and own_server.get("/_mock/districts/minimal").status_code == 200
    create_district(own_server, minimal_scenario())
    assert len(_names(own_server)) == 2  # nothing was reset by the refused calls


def test_mock14_reset_needs_the_admin_token_when_one_is_set(database_url: str, tmp_path: Path) -> None:
    url = fresh_database_url(database_url, tmp_path)
    settings = Settings(database_url=url, seed_on_start=False, run_worker=False, admin_token="admin-token-1234")
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            admin = {"Authorization": "Bearer admin-token-1234"}
            assert client.post("/_mock/districts", json=minimal_scenario(), headers=admin).status_code == 201
            response = client.post("/_mock/reset")
            assert response.status_code == 401
            assert response.json()["code"] == "admin_token_required"
            assert len(client.get("/_mock/districts", headers=admin).json()) == 1
            # A server that seeds nothing on start is reset to no district at all.
            reset = client.post("/_mock/reset", headers=admin)
            assert reset.status_code == 200 and reset.json() == {"deleted": reset.json()["deleted"], "seeded": []}
            assert len(reset.json()["deleted"]) == 1
            assert client.get("/_mock/districts", headers=admin).json() == []
    finally:
        drop_database(url)


def test_mock14_client_reset(own_server: TestClient) -> None:
    control = MockControl("http://testserver", http_client=own_server)
    control.create_district(minimal_scenario())
    result = control.reset()
    assert len(result.deleted) == 2
    assert [c.app_name for c in result.seeded] == ["minimal"]
    assert _names(own_server) == ["minimal"]
