"""Test helpers: scenario factories and a district handle that gets and uses tokens like a vendor would."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
from fastapi.testclient import TestClient

from boi_mock.settings import PACKAGE_SEED_DIR
from boi_mock.testing.server import free_port as free_port  # the one helper, for tests that pick a port

ROOT = Path(__file__).resolve().parent.parent
SEED = PACKAGE_SEED_DIR
BOI = "/campus/api/businessOfficeIntegration"


def minimal_scenario(**overrides: Any) -> dict[str, Any]:
    """boi_mock/seed/minimal.json with a unique appName (and any top-level overrides)."""
    data: dict[str, Any] = json.loads((SEED / "minimal.json").read_text())
    data = copy.deepcopy(data)
    data["appName"] = f"t-{uuid.uuid4().hex[:10]}"
    data.pop("clientId", None)
    data.pop("clientSecret", None)
    data.update(overrides)
    return data


@dataclass
class District:
    """One isolated district in the running app, with its credentials."""

    client: TestClient
    app_name: str
    client_id: str
    client_secret: str
    _token: str | None = field(default=None, repr=False)

    def fetch_token(self, **form: str) -> httpx.Response:
        data = {"grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret, **form}
        return cast(httpx.Response, self.client.post(f"/campus/oauth2/token?appName={self.app_name}", data=data))

    def token(self, *, fresh: bool = False) -> str:
        if self._token is None or fresh:
            response = self.fetch_token()
            assert response.status_code == 200, response.text
            self._token = str(response.json()["access_token"])
        return self._token

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token()}"}

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """A BOI call with this district's token (headers given are added)."""
        headers = {**self.headers(), **kw.pop("headers", {})}
        return cast(httpx.Response, self.client.request(method, BOI + path, headers=headers, **kw))

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.call("GET", path, **kw)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> httpx.Response:
        return self.call("POST", path, json=json_body, **kw)

    def put(self, path: str, json_body: Any = None, **kw: Any) -> httpx.Response:
        return self.call("PUT", path, json=json_body, **kw)

    def post_raw(self, path: str, content: bytes, content_type: str = "application/json") -> httpx.Response:
        """A BOI POST of these exact bytes (malformed, oversized, duplicate keys …) as `content_type`."""
        return self.call("POST", path, content=content, headers={"Content-Type": content_type})

    def mock(self, method: str, sub: str = "", **kw: Any) -> httpx.Response:
        return cast(httpx.Response, self.client.request(method, f"/_mock/districts/{self.app_name}{sub}", **kw))

    def mock_json(self, method: str, sub: str = "", *, status: int = 200, **kw: Any) -> Any:
        """A control-API call (`mock`) that must answer `status`: its JSON."""
        response = self.mock(method, sub, **kw)
        assert response.status_code == status, response.text
        return response.json()

    def error_log(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.mock_json("GET", "/error-log")
        return rows


def create_district(client: TestClient, scenario: dict[str, Any] | None = None) -> District:
    scenario = scenario if scenario is not None else minimal_scenario()
    response = client.post("/_mock/districts", json=scenario)
    assert response.status_code == 201, response.text
    body = response.json()
    return District(client=client, app_name=body["appName"], client_id=body["clientId"],
                    client_secret=body["clientSecret"])


def staff_payload(staff_number: str = "90001", **overrides: Any) -> dict[str, Any]:
    """A full, valid staff member for boi_mock/seed/minimal.json's reference data."""
    body: dict[str, Any] = {
        "staffNumber": staff_number, "lastName": "Simpson", "firstName": "Pat", "middleName": "Q",
        "gender": "F", "ssn": "123-45-6789", "birthdate": "1979-12-26", "workPhone": "5551230001",
        "workEmail": "psimpson@school.k12.mo.us",
        "employments": [{"hireDate": "2020-08-01"}],
        "positions": [{"schoolNumber": "010", "assignmentCode": "20", "titleCode": "4A61E262",
                       "titleDescription": "Varsity Basketball", "startDate": "2023-10-01"}],
    }
    body.update(overrides)
    return body
