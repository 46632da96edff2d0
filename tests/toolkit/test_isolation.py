"""Isolation per test (MOCK-2): a district from an inline scenario, appName generated, gone when deleted."""

from __future__ import annotations

import statistics
import time

from fastapi.testclient import TestClient

from boi_mock.testing.district import default_scenario, unique_app_name


def test_mock2_inline_scenario_without_app_name_gets_a_generated_one(client: TestClient) -> None:
    response = client.post("/_mock/districts", json={"schools": [{"schoolNumber": "7", "name": "Seven"}]})
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) >= {"appName", "clientId", "clientSecret", "tokenUrl", "baseUrl"}
    assert created["appName"].startswith("test-")
    assert created["tokenUrl"].endswith(f"/campus/oauth2/token?appName={created['appName']}")
    token = client.post(f"/campus/oauth2/token?appName={created['appName']}", data={
        "grant_type": "client_credentials", "client_id": created["clientId"],
        "client_secret": created["clientSecret"]}).json()["access_token"]
    schools = client.get("/campus/api/businessOfficeIntegration/schools",
                         headers={"Authorization": f"Bearer {token}"})
    assert schools.json() == [{"schoolNumber": "7", "name": "Seven"}]


def test_mock2_no_body_and_two_generated_names_differ(client: TestClient) -> None:
    first, second = client.post("/_mock/districts"), client.post("/_mock/districts", json={})
    assert first.status_code == second.status_code == 201
    assert first.json()["appName"] != second.json()["appName"]


def test_mock2_existing_app_name_is_409_and_delete_removes_everything(client: TestClient) -> None:
    name = unique_app_name({"appName": "iso"})
    created = client.post("/_mock/districts", json={**default_scenario(), "appName": name}).json()
    assert client.post("/_mock/districts", json={"appName": name}).status_code == 409
    assert client.delete(f"/_mock/districts/{name}").status_code == 204
    assert client.get(f"/_mock/districts/{name}").status_code == 404
    token = client.post(f"/campus/oauth2/token?appName={name}", data={
        "grant_type": "client_credentials", "client_id": created["clientId"], "client_secret": created["clientSecret"]})
    assert token.status_code == 401 and token.json()["error"] == "invalid_client"
    assert client.delete(f"/_mock/districts/{name}").status_code == 404


def test_small_district_create_and_delete_is_fast(client: TestClient) -> None:
    """bench/district_lifecycle.py measures properly; this only guards against an order-of-magnitude slip."""
    timings = []
    for _ in range(10):
        name = unique_app_name({"appName": "fast"})
        started = time.perf_counter()
        assert client.post("/_mock/districts", json={**default_scenario(), "appName": name}).status_code == 201
        assert client.delete(f"/_mock/districts/{name}").status_code == 204
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.5, timings
