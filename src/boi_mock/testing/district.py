"""A fresh district for one test: its credentials, a typed client, an authenticated httpx client, its controls."""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from boi_mock.client import BoiClient
from boi_mock.client.boi import API_PATH
from boi_mock.client.control import DistrictControl, MockControl
from boi_mock.client.models import DistrictCredentials, JournalEntry

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


def default_scenario() -> dict[str, Any]:
    """The plugin's small scenario: 3 schools, 3 genders, 4 assignment codes, 3 titles, 6 persons, 4 households."""
    loaded: dict[str, Any] = json.loads((SCENARIOS / "minimal.json").read_text(encoding="utf-8"))
    return loaded


def load_scenario(source: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """A scenario document from a dict or a JSON file."""
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source))
    loaded: dict[str, Any] = json.loads(Path(source).read_text(encoding="utf-8"))
    return loaded


def unique_app_name(scenario: Mapping[str, Any]) -> str:
    """`<scenario appName or "test">-<8 hex>`: tests sharing a server (xdist, docker) never collide."""
    stem = str(scenario.get("appName") or "test")[:50]
    return f"{stem}-{secrets.token_hex(4)}"


class BoiDistrict(DistrictControl):
    """One district in a boi-mock: `client` (BoiClient), `http` (httpx, token handled), and its controls.

    Inherits the district's controls: `journal()`, `error_log()`, `add_fault()`, `freeze_clock()`,
    `advance_clock()`, `reset()`, `rotate_secret()`, `staff_view()`, … (see `DistrictControl`).
    """

    def __init__(self, control: MockControl, credentials: DistrictCredentials, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        """`transport`: how the clients reach the server (the plugin passes its server's; closing them leaves it)."""
        super().__init__(control, credentials.app_name)
        self.credentials = credentials
        self.transport = transport
        self.client = BoiClient(credentials.base_url, credentials.app_name, credentials.client_id,
                                credentials.client_secret, timeout=timeout, transport=transport)
        # Plain httpx for what the typed client does not cover (raw bodies, headers, bad input):
        # relative paths are under …/api/businessOfficeIntegration, the Bearer token is handled.
        self.http = httpx.Client(base_url=self.client.base_url + API_PATH, auth=self.client.auth, timeout=timeout,
                                 transport=transport)

    @property
    def client_id(self) -> str:
        return self.credentials.client_id

    @property
    def client_secret(self) -> str:
        return self.credentials.client_secret

    @property
    def token_url(self) -> str:
        return self.credentials.token_url

    @property
    def base_url(self) -> str:
        return self.credentials.base_url

    def token(self) -> str:
        """A fresh access token (AUTH-1); the clients cache theirs."""
        return self.client.token()

    def rotate_secret(self, client_secret: str | None = None) -> DistrictCredentials:
        """AUTH-4 (MOCK-13: `client_secret` chosen), and the clients switch to the new secret (their cached token
        dies with the old one)."""
        credentials = super().rotate_secret(client_secret)
        self.credentials = credentials
        self.client.auth.set_credentials(credentials.client_id, credentials.client_secret)
        return credentials

    def calls(self, method: str | None = None, path: str | None = None, *,
              status: int | None = None) -> list[JournalEntry]:
        """Journalled calls, oldest first, filtered exactly: `path` relative to the BOI base path or full."""
        entries = self.journal(limit=1000)
        out = []
        for entry in reversed(entries):
            relative = entry.path.split(API_PATH, 1)[-1]
            if method is not None and entry.method != method.upper():
                continue
            if path is not None and path not in (relative, entry.path):
                continue
            if status is not None and entry.status != status:
                continue
            out.append(entry)
        return out

    def assert_called(self, method: str, path: str, *, times: int | None = None,
                      status: int | None = None) -> list[JournalEntry]:
        """Verify the HR system made a call (WireMock's verify): at least once, or exactly `times`."""
        found = self.calls(method, path, status=status)
        seen = [f"{e.method} {e.path} → {e.status}" for e in self.calls()]
        wanted = f"{method.upper()} {path}" + (f" → {status}" if status is not None else "")
        if times is None and not found:
            raise AssertionError(f"{wanted} was not called; the journal has: {seen}")
        if times is not None and len(found) != times:
            raise AssertionError(f"{wanted} was called {len(found)} times, expected {times}; journal: {seen}")
        return found

    def close(self) -> None:
        self.http.close()
        self.client.close()
