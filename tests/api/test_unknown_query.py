"""CONTRACT §1 unknown properties, for query parameters: a typo is a 400, not a silently ignored filter."""

from __future__ import annotations

from tests.support import District


def test_unknown_query_parameter_is_400_unknown_property(district: District) -> None:
    response = district.get("/staffMembers", params={"lastname": "Brown"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_property"
    assert body["errors"] == [{"field": "lastname", "code": "unknown_property",
                               "message": "Unknown query parameter 'lastname'"}]
    assert district.error_log()[0]["code"] == "unknown_property"


def test_declared_query_parameters_are_accepted(district: District) -> None:
    response = district.get("/staffMembers", params={"lastName": "Brown", "limit": 5, "offset": 0})
    assert response.status_code == 200
    assert district.get("/addresses", params={"fullStreetAddress": "1 Main St", "city": "Blaine", "state": "MN",
                                              "zip": "55123"}).status_code == 200


def test_unknown_query_parameter_ignored_when_the_district_is_lenient(district: District) -> None:
    district.mock("PUT", "/preferences", json={"strictUnknownProperties": False})
    assert district.get("/staffMembers", params={"lastname": "Brown"}).status_code == 200


def test_no_token_is_401_before_any_query_check(district: District) -> None:
    response = district.client.get("/campus/api/businessOfficeIntegration/staffMembers?lastname=x")
    assert response.status_code == 401
