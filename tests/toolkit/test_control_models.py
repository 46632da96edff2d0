"""Issue 13 item 4: every /_mock answer has a declared shape (boi_mock.wire.control), documented in /_mock's OpenAPI,
sent unchanged on the wire, and read by the client without importing the server."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from boi_mock.api import docs
from boi_mock.wire import control as wire
from tests.support import District, staff_payload

SRC = Path(wire.__file__).resolve().parent.parent


def _imports(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_the_wire_shapes_import_nothing_of_the_server_and_the_client_only_them() -> None:
    assert {m for m in _imports(SRC / "wire") if m.startswith("boi_mock")} == set()
    client = {m for m in _imports(SRC / "client") if m.startswith("boi_mock")}
    assert all(m.startswith(("boi_mock.client", "boi_mock.wire")) for m in client), client


def test_every_mock_answer_with_a_body_has_a_documented_schema(client: TestClient) -> None:
    doc = client.get(docs.CONTROL_OPENAPI_PATH).json()
    untyped = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if not schema or schema == {"type": "object"} or (schema.get("additionalProperties") is True \
                        and "properties" not in schema):
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untyped == []
    names = set(doc["components"]["schemas"])
    assert {"DistrictSummary", "DistrictCredentials", "ClockState", "PreferencesState", "JournalEntry",
            "ErrorLogEntry", "FaultRule", "Cap", "StaffView", "ResetAll", "Health"} <= names


def _no_extras(model: Any) -> list[str]:
    """Keys the answer has that its model does not declare (the model would not document them)."""
    if isinstance(model, list):
        return [key for item in model for key in _no_extras(item)]
    if not isinstance(model, BaseModel):
        return []
    keys = [f"{type(model).__name__}.{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        keys += _no_extras(getattr(model, name))
    return keys


def _same_on_the_wire(kind: Any, answer: Any) -> None:
    from pydantic import TypeAdapter

    adapter = TypeAdapter(kind)
    parsed = adapter.validate_python(answer)
    assert _no_extras(parsed) == []
    assert adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True) == answer


def test_every_mock_answer_is_exactly_its_declared_shape(client: TestClient, district: District) -> None:
    body = staff_payload("70001", household={"name": "Simpson", "householdLocations": [
        {"address": {"fullStreetAddress": "742 Evergreen Terrace", "city": "Springfield", "state": "MO",
                     "zip": "65801"}, "startDate": "2020-01-01"}]})
    assert district.post("/staffMembers", body).status_code == 201
    district.post("/staffMembers", {"staffNumber": "bad"})  # an Error Log row
    assert district.mock("POST", "/faults", json={"method": "DELETE", "status": 503, "times": 2}).status_code == 201
    base = f"/_mock/districts/{district.app_name}"
    assert client.get(f"{base}/staff/70001").json()["household"]["locations"]  # the nested shapes are seen
    answers: list[tuple[Any, Any]] = [
        (wire.Health, client.get("/_mock/health").json()),
        (list[wire.DistrictSummary], client.get("/_mock/districts").json()),
        (wire.DistrictSummary, client.get(base).json()),
        (wire.PreferencesState, client.get(f"{base}/preferences").json()),
        (wire.ClockState, client.get(f"{base}/clock").json()),
        (list[wire.JournalEntry], client.get(f"{base}/requests").json()),
        (list[wire.ErrorLogEntry], client.get(f"{base}/error-log").json()),
        (list[wire.FaultRule], client.get(f"{base}/faults").json()),
        (wire.Cap, client.get(f"{base}/requests/cap").json()),
        (wire.Cap, client.get(f"{base}/error-log/cap").json()),
        (wire.StaffView, client.get(f"{base}/staff/70001").json()),
        (wire.StaffView, client.get(f"{base}/staff/10058").json()),
        (wire.DistrictCredentials, client.post(f"{base}/secret").json()),
        (wire.DistrictSummary, client.post(f"{base}/reset").json()),
    ]
    for kind, answer in answers:
        _same_on_the_wire(kind, answer)


def test_the_clients_sync_models_carry_exactly_what_the_server_documents(client: TestClient) -> None:
    """The two /_mock answers whose shapes the server shares with other faces (schemas/sync) are read by client
    models declared apart: each has exactly the properties the server's OpenAPI schema documents."""
    from boi_mock.client.models import SyncStatus

    schemas = client.get(docs.CONTROL_OPENAPI_PATH).json()["components"]["schemas"]

    def wire_names(model: type[BaseModel]) -> set[str]:
        return {info.alias or name for name, info in model.model_fields.items()}

    assert wire_names(SyncStatus) == set(schemas["SyncStatusOut"]["properties"])
    assert wire_names(wire.CheckCampusData) == set(schemas["CheckCampusDataOut"]["properties"])
    assert wire_names(wire.CheckCampusSummary) == set(schemas["CheckCampusSummaryOut"]["properties"])


def test_the_client_reads_the_districts_sync_typed(client: TestClient, district: District) -> None:
    from boi_mock.client import MockControl

    control = MockControl("http://testserver", http_client=client).district(district.app_name)
    assert control.sync_status().status == "NONE"
    checked = control.check_campus_data()
    assert checked.summary.campus_staff >= 1 and set(checked.details) == set(
        district.mock("GET", "/check-campus-data").json()["details"])
    _same_on_the_wire(wire.CheckCampusData, district.mock("GET", "/check-campus-data").json())
