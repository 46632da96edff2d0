from fastapi.testclient import TestClient

from tests.support import District


def test_mock1_health_is_ok(client: TestClient) -> None:
    response = client.get("/_mock/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ref1_schools_listed(district: District) -> None:
    response = district.get("/schools")
    assert response.status_code == 200, response.text
    assert {"schoolNumber": "010"}.items() <= response.json()[0].items()
