"""MockControl: the /_mock control API from Python (districts, clock, journal, error log, faults).

`DistrictControl` is the same bound to one district, which is what a test mostly wants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from boi_mock.client import models as mdl
from boi_mock.client.errors import BoiApiError

T = TypeVar("T")


class MockControl:
    def __init__(self, server_url: str, *, admin_token: str | None = None, timeout: float = 30.0,
                 http_client: httpx.Client | None = None, transport: httpx.BaseTransport | None = None) -> None:
        """`server_url`: the server root (`http://127.0.0.1:8080`); a trailing `/campus` is ignored.

        `http_client` / `transport`: send through these (e.g. the plugin's in-process transport).
        """
        url = server_url.rstrip("/")
        self.server_url = url.removesuffix("/campus")
        self._headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        self._owns_http = http_client is None
        self.http = http_client or httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> MockControl:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.server_url}/_mock{path}", headers=headers, **kwargs)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise BoiApiError(response)
        return response.json() if response.content else None

    def _typed(self, kind: type[T] | Any, method: str, path: str, **kwargs: Any) -> T:
        result: T = TypeAdapter(kind).validate_python(self.call(method, path, **kwargs))
        return result

    def health(self) -> bool:
        try:
            return self.request("GET", "/health").status_code == 200
        except httpx.TransportError:
            return False

    def create_district(self, scenario: Mapping[str, Any] | None = None) -> mdl.DistrictCredentials:
        """MOCK-2: a district from a scenario document (appName and credentials generated when absent)."""
        return self._typed(mdl.DistrictCredentials, "POST", "/districts", json=dict(scenario or {}))

    def district(self, app_name: str) -> DistrictControl:
        return DistrictControl(self, app_name)


def _iso(value: datetime | date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date | datetime) else value


class DistrictControl:
    """The control API of one district."""

    def __init__(self, control: MockControl, app_name: str) -> None:
        self.control = control
        self.app_name = app_name
        self._base = f"/districts/{quote(app_name, safe='')}"

    def call(self, method: str, sub: str = "", **kwargs: Any) -> Any:
        return self.control.call(method, self._base + sub, **kwargs)

    def summary(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET")
        return result

    def delete(self) -> None:
        self.call("DELETE")

    def reset(self, scenario: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """MOCK-3: back to the scenario (or a new one), credentials kept."""
        result: dict[str, Any] = self.call("POST", "/reset", json=dict(scenario) if scenario is not None else None)
        return result

    def set_preferences(self, **preferences: Any) -> dict[str, Any]:
        """MOCK-6, camelCase keys: `set_preferences(allowHouseholdUpdates=False)`."""
        result: dict[str, Any] = self.call("PUT", "/preferences", json=preferences)
        return result

    def rotate_secret(self) -> mdl.DistrictCredentials:
        """MOCK-7 / AUTH-4: the old secret and every token issued before now stop working."""
        return mdl.DistrictCredentials.model_validate(self.call("POST", "/secret"))

    # --- clock (MOCK-8) -------------------------------------------------------------------------

    def clock(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", "/clock")
        return result

    def freeze_clock(self, today: date | str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/clock", json={"today": _iso(today)})
        return result

    def unfreeze_clock(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("DELETE", "/clock")
        return result

    def advance_clock(self, seconds: int) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock/advance", json={"seconds": seconds})
        return result

    # --- journal (MOCK-9) and Error Log (MOCK-5) ----------------------------------------------------

    def journal(self, *, path: str | None = None, status: int | None = None,
                since: datetime | str | None = None, limit: int | None = None) -> list[mdl.JournalEntry]:
        """Newest first. `path` matches a part of the path; `since` an ISO timestamp (UTC)."""
        params = {k: v for k, v in {"path": path, "status": status, "since": _iso(since), "limit": limit}.items()
                  if v is not None}
        return TypeAdapter(list[mdl.JournalEntry]).validate_python(self.call("GET", "/requests", params=params))

    def clear_journal(self) -> None:
        self.call("DELETE", "/requests")

    def set_journal_cap(self, cap: int | None) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/requests/cap", json={"cap": cap})
        return result

    def set_error_log_cap(self, cap: int | None) -> dict[str, Any]:
        result: dict[str, Any] = self.call("PUT", "/error-log/cap", json={"cap": cap})
        return result

    def error_log(self, *, path: str | None = None, limit: int | None = None) -> list[mdl.ErrorLogEntry]:
        params = {k: v for k, v in {"path": path, "limit": limit}.items() if v is not None}
        return TypeAdapter(list[mdl.ErrorLogEntry]).validate_python(self.call("GET", "/error-log", params=params))

    # --- faults -----------------------------------------------------------------------------------

    def add_fault(self, **rule: Any) -> mdl.FaultRule:
        """`add_fault(method="POST", path="/staffMembers", status=503, times=1)`; snake_case or camelCase keys."""
        body = {_camel(k): v for k, v in rule.items()}
        created = TypeAdapter(list[mdl.FaultRule]).validate_python(self.call("POST", "/faults", json=body))
        return created[0]

    def faults(self) -> list[mdl.FaultRule]:
        return TypeAdapter(list[mdl.FaultRule]).validate_python(self.call("GET", "/faults"))

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    # --- what Campus holds ------------------------------------------------------------------------

    def staff_view(self, staff_number: str, *, person_id: int | None = None) -> dict[str, Any]:
        """MOCK-4: identities, employments, positions, household, locks."""
        params = {"personID": person_id} if person_id is not None else {}
        result: dict[str, Any] = self.call("GET", f"/staff/{quote(staff_number, safe='')}", params=params)
        return result


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
