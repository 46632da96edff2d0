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

from boi_mock.client._http import HttpOwner
from boi_mock.client.errors import BoiApiError
from boi_mock.client.models import SyncStatus
from boi_mock.wire import control as mdl

T = TypeVar("T")


class MockControl(HttpOwner):
    def __init__(self, server_url: str, *, admin_token: str | None = None, timeout: float = 30.0,
                 http_client: httpx.Client | None = None, transport: httpx.BaseTransport | None = None) -> None:
        """`server_url`: the server root (`http://127.0.0.1:8080`); a trailing `/campus` is ignored.

        `http_client` / `transport`: send through these (e.g. the plugin's in-process transport).
        """
        url = server_url.rstrip("/")
        self.server_url = url.removesuffix("/campus")
        self._headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        super().__init__(http_client, timeout, transport)

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

    def districts(self) -> list[mdl.DistrictSummary]:
        return self._typed(list[mdl.DistrictSummary], "GET", "/districts")

    def reset(self) -> mdl.ResetAll:
        """MOCK-14: every district deleted and the server's seed files loaded again."""
        return self._typed(mdl.ResetAll, "POST", "/reset")

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

    def _typed(self, kind: type[T] | Any, method: str, sub: str = "", **kwargs: Any) -> T:
        result: T = TypeAdapter(kind).validate_python(self.call(method, sub, **kwargs))
        return result

    def summary(self) -> mdl.DistrictSummary:
        return self._typed(mdl.DistrictSummary, "GET")

    def delete(self) -> None:
        self.call("DELETE")

    def reset(self, scenario: Mapping[str, Any] | None = None) -> mdl.DistrictSummary:
        """MOCK-3: back to the scenario (or a new one), credentials kept."""
        return self._typed(mdl.DistrictSummary, "POST", "/reset",
                           json=dict(scenario) if scenario is not None else None)

    def preferences(self) -> mdl.PreferencesState:
        return self._typed(mdl.PreferencesState, "GET", "/preferences")

    def set_preferences(self, **preferences: Any) -> mdl.PreferencesState:
        """MOCK-6, camelCase keys: `set_preferences(allowHouseholdUpdates=False)`."""
        return self._typed(mdl.PreferencesState, "PUT", "/preferences", json=preferences)

    def rotate_secret(self, client_secret: str | None = None) -> mdl.DistrictCredentials:
        """MOCK-7 / AUTH-4: the old secret and every token issued before now stop working. `client_secret`:
        set this one (MOCK-13: 16-200 letters, digits, - . _ ~); None: the server generates one."""
        body = {"clientSecret": client_secret} if client_secret is not None else None
        return self._typed(mdl.DistrictCredentials, "POST", "/secret", json=body)

    def restore_secret(self) -> mdl.DistrictCredentials:
        """MOCK-13: set the secret back to the one the district's scenario gave (a rotation: AUTH-4, earlier
        tokens stop working). A district whose scenario gave no secret answers 409 `no_scenario_secret`."""
        return self._typed(mdl.DistrictCredentials, "POST", "/secret/restore")

    def export_scenario(self) -> dict[str, Any]:
        """MOCK-12: the district as a scenario document; `MockControl.create_district(doc | {"appName": …})`
        recreates it under another appName."""
        result: dict[str, Any] = self.call("GET", "/scenario")
        return result

    # --- clock (MOCK-8) -------------------------------------------------------------------------

    def clock(self) -> mdl.ClockState:
        return self._typed(mdl.ClockState, "GET", "/clock")

    def freeze_clock(self, today: date | str) -> mdl.ClockState:
        return self._typed(mdl.ClockState, "PUT", "/clock", json={"today": _iso(today)})

    def unfreeze_clock(self) -> mdl.ClockState:
        return self._typed(mdl.ClockState, "DELETE", "/clock")

    def advance_clock(self, seconds: int) -> mdl.ClockState:
        return self._typed(mdl.ClockState, "POST", "/clock/advance", json={"seconds": seconds})

    # --- journal (MOCK-9) and Error Log (MOCK-5) ----------------------------------------------------

    def journal(self, *, path: str | None = None, status: int | None = None,
                since: datetime | str | None = None, limit: int | None = None) -> list[mdl.JournalEntry]:
        """Newest first. `path` matches a part of the path; `since` an ISO timestamp (UTC) on the district's
        clock (MOCK-8), as the entries' `at`."""
        params = {k: v for k, v in {"path": path, "status": status, "since": _iso(since), "limit": limit}.items()
                  if v is not None}
        return self._typed(list[mdl.JournalEntry], "GET", "/requests", params=params)

    def clear_journal(self) -> None:
        self.call("DELETE", "/requests")

    def journal_cap(self) -> mdl.Cap:
        return self._typed(mdl.Cap, "GET", "/requests/cap")

    def set_journal_cap(self, cap: int | None) -> mdl.Cap:
        return self._typed(mdl.Cap, "PUT", "/requests/cap", json={"cap": cap})

    def error_log_cap(self) -> mdl.Cap:
        return self._typed(mdl.Cap, "GET", "/error-log/cap")

    def set_error_log_cap(self, cap: int | None) -> mdl.Cap:
        return self._typed(mdl.Cap, "PUT", "/error-log/cap", json={"cap": cap})

    def error_log(self, *, path: str | None = None, limit: int | None = None) -> list[mdl.ErrorLogEntry]:
        params = {k: v for k, v in {"path": path, "limit": limit}.items() if v is not None}
        return self._typed(list[mdl.ErrorLogEntry], "GET", "/error-log", params=params)

    # --- the district's sync (MOCK-10) ----------------------------------------------------------------

    def check_campus_data(self) -> mdl.CheckCampusData:
        """MOCK-10 (SYNC-9): Campus staff with duplicate staff numbers and without one."""
        return self._typed(mdl.CheckCampusData, "GET", "/check-campus-data")

    def sync_status(self) -> SyncStatus:
        """The district's current staff sync, as `GET staffMembers/sync/status` shows it."""
        return self._typed(SyncStatus, "GET", "/sync")

    # --- contract coverage (MOCK-11) ---------------------------------------------------------------

    def coverage(self) -> mdl.Coverage:
        """Every rule, error code and operation, with how often the district's calls hit it."""
        return mdl.Coverage.model_validate(self.call("GET", "/coverage"))

    def clear_coverage(self) -> None:
        self.call("DELETE", "/coverage")

    # --- faults -----------------------------------------------------------------------------------

    def add_fault(self, **rule: Any) -> mdl.FaultRule:
        """`add_fault(method="POST", path="/staffMembers", status=503, times=1)`; snake_case or camelCase keys."""
        body = {_camel(k): v for k, v in rule.items()}
        created: list[mdl.FaultRule] = self._typed(list[mdl.FaultRule], "POST", "/faults", json=body)
        return created[0]

    def faults(self) -> list[mdl.FaultRule]:
        return self._typed(list[mdl.FaultRule], "GET", "/faults")

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    # --- what Campus holds ------------------------------------------------------------------------

    def staff_view(self, staff_number: str, *, person_id: int | None = None) -> mdl.StaffView:
        """MOCK-4: identities, employments, positions, household, locks."""
        params = {"personID": person_id} if person_id is not None else {}
        return self._typed(mdl.StaffView, "GET", f"/staff/{quote(staff_number, safe='')}", params=params)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
