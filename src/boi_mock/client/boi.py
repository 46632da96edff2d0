"""BoiClient: a small typed client for the Business Office Integration API, as an HR system would use it.

    with BoiClient("http://127.0.0.1:8080/campus", "7634-MO", client_id, client_secret) as boi:
        boi.create_staff({"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat"})
        try:
            boi.get_staff("nope")
        except BoiApiError as e:
            assert e.status == 404 and e.code == "staff_not_found"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter

from boi_mock.client import models as mdl
from boi_mock.client._http import HttpOwner
from boi_mock.client.auth import BoiTokenAuth
from boi_mock.client.errors import BoiApiError

API_PATH = "/api/businessOfficeIntegration"
Payload = BaseModel | Mapping[str, Any]
T = TypeVar("T")


def campus_url(url: str) -> str:
    """`http://host:8080`, `…/campus` or `…/campus/` → `http://host:8080/campus` (the vendor's base URL)."""
    url = url.rstrip("/")
    return url if url.endswith("/campus") else url + "/campus"


def wire(payload: Payload) -> dict[str, Any]:
    """A request body on the wire: camelCase; for models only the fields that were set (absent ≠ null, STAFF-6)."""
    if isinstance(payload, BaseModel):
        dumped: dict[str, Any] = payload.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return dumped
    return dict(payload)


def _query(**params: Any) -> dict[str, str]:
    out = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


class BoiClient(HttpOwner):
    def __init__(self, base_url: str, app_name: str, client_id: str, client_secret: str, *,
                 timeout: float = 30.0, http_client: httpx.Client | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        """`base_url` is the Campus base URL (`http://HOST:PORT/campus`; the server root works too).

        `http_client`: send through this client (e.g. FastAPI's TestClient, for in-process tests).
        """
        self.base_url = campus_url(base_url)
        self.app_name = app_name
        self.api_url = self.base_url + API_PATH
        self.token_url = f"{self.base_url}/oauth2/token?appName={quote(app_name, safe='')}"
        self.auth = BoiTokenAuth(self.token_url, client_id, client_secret)
        super().__init__(http_client, timeout, transport)

    # --- plumbing -----------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A raw authenticated call to `path` under the BOI base path; never raises for a status."""
        return self.http.request(method, self.api_url + path, auth=self.auth, **kwargs)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise BoiApiError(response)
        return response

    def _typed(self, kind: type[T] | Any, method: str, path: str, **kwargs: Any) -> T:
        result: T = TypeAdapter(kind).validate_python(self._call(method, path, **kwargs).json())
        return result

    def token(self) -> str:
        """A fresh access token (AUTH-1), also cached for the following calls."""
        return self.auth.store(self.http.send(self.auth.token_request()))

    # --- reference data (REF-1..4) ----------------------------------------------------------------

    def schools(self) -> list[mdl.School]:
        return self._typed(list[mdl.School], "GET", "/schools")

    def genders(self) -> list[mdl.Gender]:
        return self._typed(list[mdl.Gender], "GET", "/attributes/genders")

    def assignment_codes(self) -> list[mdl.AssignmentCode]:
        return self._typed(list[mdl.AssignmentCode], "GET", "/attributes/assignmentCodes")

    def titles(self) -> list[mdl.Title]:
        return self._typed(list[mdl.Title], "GET", "/attributes/titles")

    # --- staff members and positions (STAFF, POS) -------------------------------------------------

    def search_staff(self, *, staff_number: str | None = None, last_name: str | None = None,
                     first_name: str | None = None, birthdate: date | None = None, limit: int | None = None,
                     offset: int | None = None) -> mdl.StaffSearchResult:
        response = self._call("GET", "/staffMembers", params=_query(
            staffNumber=staff_number, lastName=last_name, firstName=first_name, birthdate=birthdate,
            limit=limit, offset=offset))
        found = mdl.StaffSearchResult(TypeAdapter(list[mdl.StaffMember]).validate_python(response.json()))
        found.total = int(response.headers.get("X-Total-Count", len(found)))
        return found

    def get_staff(self, staff_number: str) -> mdl.StaffMember:
        return self._typed(mdl.StaffMember, "GET", f"/staffMembers/{quote(staff_number, safe='')}")

    def create_staff(self, member: Payload) -> mdl.StaffMember:
        return self._typed(mdl.StaffMember, "POST", "/staffMembers", json=wire(member))

    def update_staff(self, staff_number: str, member: Payload) -> mdl.StaffMember:
        return self._typed(mdl.StaffMember, "PUT", f"/staffMembers/{quote(staff_number, safe='')}",
                           json=wire(member))

    def add_position(self, staff_number: str, position: Payload) -> mdl.Position:
        return self._typed(mdl.Position, "POST", f"/staffMembers/{quote(staff_number, safe='')}/position",
                           json=wire(position))

    def update_position(self, staff_number: str, update: Payload) -> mdl.PositionUpdate:
        return self._typed(mdl.PositionUpdate, "PUT", f"/staffMembers/{quote(staff_number, safe='')}/position",
                           json=wire(update))

    # --- addresses (ADDR-6) -----------------------------------------------------------------------

    def search_addresses(self, address: Payload | None = None, **parts: str | bool) -> list[mdl.Address]:
        """`search_addresses(full_street_address="4321 N Lexington Ave", zip="65803")`, or an AddressIn/dict."""
        params = wire(address) if address is not None else {}
        params.update({_camel(k): v for k, v in parts.items()})
        return self._typed(list[mdl.Address], "GET", "/addresses", params=_query(**params))

    # --- staff synchronization (SYNC) -------------------------------------------------------------

    def sync_start(self) -> mdl.SyncStatus:
        return self._typed(mdl.SyncStatus, "POST", "/staffMembers/sync/start")

    def sync_transfer(self, members: Sequence[Payload]) -> mdl.TransferResult:
        return self._typed(mdl.TransferResult, "POST", "/staffMembers/sync/transfer",
                           json=[wire(m) for m in members])

    def sync_end(self) -> mdl.SyncStatus:
        return self._typed(mdl.SyncStatus, "POST", "/staffMembers/sync/end")

    def sync_validate(self) -> mdl.ValidationReport:
        return self._typed(mdl.ValidationReport, "POST", "/staffMembers/sync/validate")

    def sync_commit(self) -> mdl.CommitResult:
        return self._typed(mdl.CommitResult, "POST", "/staffMembers/sync/commit")

    def sync_submit_commit_job(self) -> mdl.CommitJob:
        return self._typed(mdl.CommitJob, "POST", "/staffMembers/sync/submitCommitJob")

    def sync_commit_job_status(self) -> mdl.CommitJob:
        return self._typed(mdl.CommitJob, "GET", "/staffMembers/sync/commitJobStatus")

    def sync_transfer_all(self, members: Iterable[Payload], *, batch_size: int = 1000) -> mdl.SyncStatus:
        """Steps 1 to 3: start, transfer in batches of ≤ 1000 (SYNC-2), end."""
        self.sync_start()
        batch: list[Payload] = []
        for member in members:
            batch.append(member)
            if len(batch) == batch_size:
                self.sync_transfer(batch)
                batch = []
        if batch:
            self.sync_transfer(batch)
        return self.sync_end()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
