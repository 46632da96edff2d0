"""API documentation: Swagger UI at the vendor's path with local assets, OpenAPI 3.1 for BOI and for /_mock."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.testclient import TestClient

from boi_mock.api import docs
from boi_mock.api.openapi_catalog import OPERATIONS
from boi_mock.main import BOI_PREFIX, create_app
from boi_mock.settings import Settings
from tests.support import District

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()
            if method in HTTP_METHODS]


def boi_doc(client: TestClient) -> dict[str, Any]:
    response = client.get(docs.OPENAPI_PATH)
    assert response.status_code == 200, response.text
    doc: dict[str, Any] = response.json()
    return doc


def test_documentation_page_is_swagger_ui_with_local_assets(client: TestClient) -> None:
    page = client.get("/campus/api/businessOfficeIntegration/documentation")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle" in page.text and docs.OPENAPI_PATH in page.text
    referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert referenced, page.text
    assert not [url for url in referenced if "://" in url or url.startswith("//")], "no CDN, no external asset"
    for url in referenced:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url


def test_openapi_is_3_1_with_only_the_boi_api_and_the_token_endpoint(client: TestClient) -> None:
    doc = boi_doc(client)
    assert doc["openapi"].startswith("3.1")
    paths = set(doc["paths"])
    assert "/campus/oauth2/token" in paths
    assert f"{BOI_PREFIX}/schools" in paths and f"{BOI_PREFIX}/staffMembers" in paths
    assert all(p == "/campus/oauth2/token" or p.startswith(BOI_PREFIX + "/") for p in paths), paths
    assert not any("/_mock" in p or p.startswith("/apps/") or "documentation" in p for p in paths)
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert {"Problem", "ProblemFieldError", "TokenResponse", "OAuthError"} <= set(doc["components"]["schemas"])


def test_every_boi_operation_has_rules_error_codes_and_problem_json_answers(client: TestClient) -> None:
    doc = boi_doc(client)
    for path, method, op in operations(doc):
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert op["x-rules"], where
        assert all(re.fullmatch(r"[A-Z]+-\d+", rule) for rule in op["x-rules"]), where
        assert "422" not in op["responses"], where
        if path == "/campus/oauth2/token":
            assert op["x-rules"][0] == "AUTH-1"
            assert op["responses"]["401"]["content"]["application/json"]["example"]["error"] == "invalid_client"
            continue
        assert "**Rules:**" in op["description"] and "**Error codes:**" in op["description"], where
        statuses = set(op["responses"]) - {"200", "201", "202", "204"}
        assert {"400", "401"} <= statuses, where
        if "{" in path:
            assert "404" in statuses, where
        for status in statuses:
            content = op["responses"][status]["content"]["application/problem+json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Problem"}, where
            codes = op["x-error-codes"][status]
            assert set(content["examples"]) == set(codes), where
            for code, example in content["examples"].items():
                assert example["value"]["code"] == code and example["value"]["status"] == int(status)
        assert op["security"] == [{"HTTPBearer": []}], where


def test_catalogued_operations_carry_their_contract_rules_and_codes(client: TestClient) -> None:
    doc = boi_doc(client)
    documented = {(method.upper(), path[len(BOI_PREFIX):]): op for path, method, op in operations(doc)
                  if path.startswith(BOI_PREFIX)}
    assert ("GET", "/schools") in documented
    for key, op in documented.items():
        entry = OPERATIONS.get(key)
        if entry is None:  # a route another module added before the catalog knew it: still documented
            continue
        assert set(entry.rules) <= set(op["x-rules"]), key
        for status, codes in entry.errors.items():
            assert set(codes) <= set(op["x-error-codes"][str(status)]), key
    create = documented.get(("POST", "/staffMembers"))
    if create is not None:
        assert "staff_exists" in create["x-error-codes"]["409"]
        assert "STAFF-5" in create["x-rules"]
        examples = create["requestBody"]["content"]["application/json"]["examples"]
        assert examples["minimal"]["value"]["staffNumber"]
        assert create["responses"]["201"]["content"]["application/json"]["example"]["personID"]


def test_operations_added_by_any_router_are_documented_without_a_list(tmp_path: Any) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", seed_on_start=False, run_worker=False))
    extra = APIRouter()

    @extra.get(BOI_PREFIX + "/widgets/{widgetId}", summary="A new operation (STAFF-99)")
    def widget(widgetId: int) -> dict[str, int]:
        return {"widgetId": widgetId}

    app.include_router(extra)
    with TestClient(app) as client:
        op = boi_doc(client)["paths"][BOI_PREFIX + "/widgets/{widgetId}"]["get"]
    assert op["x-rules"] == ["STAFF-99", "AUTH-3"]
    assert {"400", "401", "404", "409"} <= set(op["responses"])
    assert op["operationId"] == "widget"


def test_control_api_documented_separately(client: TestClient) -> None:
    response = client.get("/_mock/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert all(path.startswith("/_mock/") for path in doc["paths"])
    assert "/_mock/districts/{appName}/faults" in doc["paths"]
    assert "/_mock/districts/{appName}/requests" in doc["paths"]
    assert "/_mock/openapi.json" not in doc["paths"] and "/_mock/docs" not in doc["paths"]
    for _path, _method, op in operations(doc):
        assert "422" not in op["responses"]
    page = client.get("/_mock/docs")
    assert page.status_code == 200 and "/_mock/openapi.json" in page.text
    assert client.get("/openapi.json").status_code == 404, "no mixed document at the root"


def test_documentation_requests_are_not_journalled(client: TestClient, district: District) -> None:
    client.get(docs.OPENAPI_PATH, headers=district.headers())
    client.get(docs.DOCS_PATH, headers=district.headers())
    assert district.mock("GET", "/requests").json() == []


def test_both_documents_are_valid_openapi_3_1(client: TestClient) -> None:
    from schemathesis.specs.openapi.adapter.validators import validate_v3

    validate_v3(boi_doc(client))
    validate_v3(client.get("/_mock/openapi.json").json())
