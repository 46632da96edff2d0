"""MOCK-8: a frozen business date drives identity and household dates; advancing time ages tokens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from boi_mock.client import BoiApiError, BoiAuthError, BoiClient, MockControl
from boi_mock.clock import utcnow
from tests.support import BOI, District, staff_payload


def address(street: str) -> dict[str, object]:
    return {"householdLocations": [{"address": {"fullStreetAddress": street, "city": "Springfield", "state": "MO",
                                                "zip": "65803"}}]}


def test_mock8_frozen_date_drives_identity_and_household_dates(boi: BoiClient, control: MockControl) -> None:
    district = control.district(boi.app_name)
    assert district.freeze_clock(date(2026, 3, 2))["today"] == "2026-03-02"
    boi.create_staff(staff_payload("90001", household=address("12 Elm Street")))
    view = district.staff_view("90001")
    assert [i["startDate"] for i in view["identities"]] == ["2026-03-02"]
    assert view["household"]["locations"][0]["startDate"] == "2026-03-02", "HH-4: startDate = today"

    district.freeze_clock("2026-04-10")
    boi.update_staff("90001", {"lastName": "Jones", "household": address("77 Oak Avenue")})
    view = district.staff_view("90001")
    old, new = view["identities"]
    assert (old["lastName"], old["endDate"], old["current"]) == ("Simpson", "2026-04-09", False), "IDENT-1"
    assert (new["lastName"], new["startDate"], new["current"]) == ("Jones", "2026-04-10", True)
    locations = {loc["address"]["street"]: loc for loc in view["household"]["locations"]}
    assert locations["Oak"]["startDate"] == "2026-04-10", "HH-2: the new location starts today"
    assert locations["Elm"]["endDate"] is not None, "HH-2: the old location is end-dated, not deleted"


def test_mock8_same_day_name_change_ends_the_old_identity_that_day(boi: BoiClient, control: MockControl) -> None:
    control.district(boi.app_name).freeze_clock("2026-05-05")
    boi.create_staff(staff_payload("90002"))
    boi.update_staff("90002", {"firstName": "Patricia"})
    old, new = control.district(boi.app_name).staff_view("90002")["identities"]
    assert old["endDate"] == "2026-05-05" and new["startDate"] == "2026-05-05"


def test_mock8_unfrozen_clock_follows_real_time_plus_the_offset(district: District) -> None:
    district.mock("PUT", "/clock", json={"today": "2026-01-15"})
    clock = district.mock("DELETE", "/clock").json()
    assert clock["frozen"] is False and clock["today"] == utcnow().date().isoformat()
    clock = district.mock("POST", "/clock/advance", json={"seconds": 3 * 86400}).json()
    assert clock["offsetSeconds"] == 3 * 86400
    assert clock["today"] == (utcnow() + timedelta(days=3)).date().isoformat()
    assert district.mock("POST", "/clock/advance", json={"seconds": -1}).status_code == 400


def test_mock8_advancing_the_clock_expires_tokens(client: TestClient, district: District) -> None:
    issued = district.fetch_token().json()
    token, lifetime = issued["access_token"], issued["expires_in"]
    district.mock("POST", "/clock/advance", json={"seconds": lifetime - 60})
    assert district.get("/schools", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    district.mock("POST", "/clock/advance", json={"seconds": 60})
    expired = client.get(BOI + "/schools", headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert "expired" in expired.json()["detail"]
    fresh = district.fetch_token().json()["access_token"]
    assert client.get(BOI + "/schools", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    row = district.error_log()[0]
    assert row["status"] == 401, "an expired (genuine) token's call is in the district's Error Log"


def test_mock8_client_refreshes_a_token_the_server_clock_expired(boi: BoiClient, control: MockControl) -> None:
    district = control.district(boi.app_name)
    assert boi.schools() and boi.auth.tokens_fetched == 1
    district.advance_clock(3600)
    assert boi.schools(), "401 → one new token → the call again"
    assert boi.auth.tokens_fetched == 2
    assert [e.status for e in district.journal()][:2] == [200, 401]


def test_mock8_short_token_lifetime_from_the_scenario(client: TestClient) -> None:
    from tests.support import create_district, minimal_scenario

    district = create_district(client, minimal_scenario(tokenLifetimeSeconds=5))
    issued = district.fetch_token().json()
    assert issued["expires_in"] == 5
    district.mock("POST", "/clock/advance", json={"seconds": 5})
    response = client.get(BOI + "/schools", headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert response.status_code == 401


def test_mock8_rotated_secret_kills_cached_tokens_until_the_client_gets_the_new_secret(
        boi: BoiClient, control: MockControl) -> None:
    boi.schools()
    rotated = control.district(boi.app_name).rotate_secret()
    with pytest.raises(BoiAuthError) as caught:
        boi.schools()
    assert caught.value.error == "invalid_client", "AUTH-4: the old secret fails at once"
    boi.auth.set_credentials(rotated.client_id, rotated.client_secret)
    assert boi.schools()
    with pytest.raises(BoiApiError):
        boi.get_staff("nobody")
