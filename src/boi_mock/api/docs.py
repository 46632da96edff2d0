"""API documentation: the vendor's Swagger UI page and OpenAPI 3.1 documents, assets served locally.

* `GET /campus/api/businessOfficeIntegration/documentation` → Swagger UI over
  `…/openapi.json`: the BOI operations and the token endpoint only. With `?appName=APP` (the Campus
  credentials page links it so) the document's OAuth2 client-credentials scheme has that district's token
  URL, so Swagger's **Authorize** fetches a token itself from the client id and secret.
* `GET /_mock/docs` → Swagger UI over `/_mock/openapi.json`: the control API only.

Both documents are generated from the app's routes when first asked for (so operations other
modules add are documented without a list here) and then cached. `OPERATIONS` adds what a route
cannot say about itself: the contract's rule IDs, the stable error codes per status, examples.
An operation missing from it still gets 400/401/404/409 problem+json answers and the rule IDs
its summary names. The Swagger UI files come from the `fastapi-offline` package (no CDN).
"""

from __future__ import annotations

import copy
import http
import importlib.util
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from boi_mock.api.openapi_catalog import ERROR_EXAMPLES, OPERATIONS, Operation
from boi_mock.domain.tokens import APP_NAME
from boi_mock.errors import PROBLEM_BASE, problem_body

BOI_PREFIX = "/campus/api/businessOfficeIntegration"
TOKEN_PATH = "/campus/oauth2/token"
CONTROL_PREFIX = "/_mock"
DOCS_PATH = BOI_PREFIX + "/documentation"
OPENAPI_PATH = BOI_PREFIX + "/openapi.json"
STATIC_PATH = DOCS_PATH + "/static"
CONTROL_DOCS_PATH = CONTROL_PREFIX + "/docs"
CONTROL_OPENAPI_PATH = CONTROL_PREFIX + "/openapi.json"
RULE_ID = re.compile(r"\b[A-Z]{2,6}-\d{1,2}\b")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
SWAGGER_PARAMETERS = {"persistAuthorization": True, "displayRequestDuration": True, "docExpansion": "list",
                      "defaultModelsExpandDepth": 0, "tryItOutEnabled": True}


def _swagger_dist() -> Path:
    """fastapi-offline's Swagger UI files, found without importing it (the app needs only the files)."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("Swagger UI is served from the fastapi-offline package: pip install fastapi-offline")
    return Path(spec.origin).parent / "static"


class ParserToken(BaseModel):
    token: str
    label: str = Field(description="usaddress's label for the token (AddressNumber, StreetName, …)")


class ProblemFieldError(BaseModel):
    """One offending field: `field` is the contract path (`positions[1].schoolNumber`, `[3].lastName`)."""

    field: str
    code: str
    message: str
    parserView: list[ParserToken] | None = Field(
        default=None, description="Only with code `unparseable_address` (ADDR-3), wherever the address was sent: "
                                  "how the parser read the street line")


class Problem(BaseModel):
    """RFC 9457 problem details (CONTRACT §1). `code` and `errors[].code` are stable machine codes."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=[PROBLEM_BASE + "unknown_school"])
    title: str
    status: int
    detail: str = Field(description="A human sentence naming the offending value")
    code: str
    errors: list[ProblemFieldError] = Field(default_factory=list)


class TokenResponse(BaseModel):
    access_token: str = Field(description="HS256 JWT: exp, iat, sub (client id), aud (appName), jti")
    token_type: str = Field(examples=["Bearer"])
    expires_in: int = Field(examples=[3600], description="Seconds; a district setting (tokenLifetimeSeconds)")


class OAuthError(BaseModel):
    """RFC 6749 §5.2."""

    error: str = Field(examples=["invalid_client"])
    error_description: str | None = None


BOI_DESCRIPTION = f"""\
A faithful, stateful mock of the Infinite Campus **Business Office Integration** API.

* Base URL: `http://HOST:PORT/campus`; operations below live under `{BOI_PREFIX}`.
* Authentication (AUTH-1): `POST {TOKEN_PATH}?appName=APP` with `grant_type=client_credentials` and the
  client id/secret (form fields or HTTP Basic), then send `Authorization: Bearer <access_token>`
  on every call (AUTH-3). **Authorize** above: `campusOAuth2` fetches the token itself from the client id and
  secret when this page was opened with `?appName=APP` (the token URL needs it); or paste a token into
  `HTTPBearer`.
* Errors are `application/problem+json` (RFC 9457) with a stable `code` and per-field `errors`.
  413 (`payload_too_large`) and 415 (`unsupported_media_type`) can answer any call with a body.
* Each operation lists the contract rule IDs it implements (`x-rules`) and its error codes
  (`x-error-codes`). The mock's control API (districts, clock, journal, faults) is documented
  separately at [{CONTROL_DOCS_PATH}]({CONTROL_DOCS_PATH}).
"""
CONTROL_DESCRIPTION = f"""\
boi-mock's control API (not part of the vendor's API): districts from scenario documents,
preferences, secret rotation, clock (MOCK-8), request journal (MOCK-9), Error Log, fault injection.
Open on loopback; with `BOI_MOCK_ADMIN_TOKEN` set every call needs `Authorization: Bearer <that token>`.
The BOI API itself is documented at [{DOCS_PATH}]({DOCS_PATH}).
"""


def _component_schemas(*models: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


def _problem_response(status: int, codes: list[str]) -> dict[str, Any]:
    phrase = http.HTTPStatus(status).phrase
    examples = {}
    for code in codes:
        detail, errors = ERROR_EXAMPLES.get(code, (f"{phrase}: {code}", []))
        examples[code] = {"summary": code, "value": problem_body(status, code, detail, errors)}
    response: dict[str, Any] = {
        "description": f"{phrase}. Codes: " + ", ".join(f"`{c}`" for c in codes),
        "content": {"application/problem+json": {"schema": PROBLEM_REF, "examples": examples}},
    }
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {
            "description": 'Bearer error="invalid_token"', "schema": {"type": "string"}}}
    return response


def _error_codes(op: Operation | None, has_path_params: bool, has_body: bool) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {400: ["invalid_request", "invalid_value"], 401: ["invalid_token"]}
    if has_body:
        codes[400] = ["invalid_request", "unknown_property", "missing_field", "invalid_value"]
        codes[413] = ["payload_too_large"]
        codes[415] = ["unsupported_media_type"]
    if op is None:  # not catalogued yet: every status the contract uses for BOI calls
        codes.setdefault(404, ["not_found"] if not has_path_params else ["staff_not_found", "not_found"])
        codes.setdefault(409, ["conflict"])
        return codes
    for status, extra in op.errors.items():
        codes[status] = [*codes.get(status, []), *[c for c in extra if c not in codes.get(status, [])]]
    return codes


def _decorate_boi_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    relative = path[len(BOI_PREFIX):]
    op = OPERATIONS.get((method.upper(), relative))
    text = " ".join(str(operation.get(k, "")) for k in ("summary", "description"))
    # Every BOI call needs its Bearer token (AUTH-3), catalogued or not.
    rules = list(dict.fromkeys([*(op.rules if op else ()), *RULE_ID.findall(text), "AUTH-3"]))
    if op and op.summary and not operation.get("summary"):
        operation["summary"] = op.summary
    has_body = "requestBody" in operation
    has_path_params = any(p.get("in") == "path" for p in operation.get("parameters", []))
    codes = _error_codes(op, has_path_params, has_body)
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    for status, status_codes in sorted(codes.items()):
        responses[str(status)] = _problem_response(status, status_codes)
    operation["x-rules"] = rules
    operation["x-error-codes"] = {str(s): c for s, c in sorted(codes.items())}
    notes = [f"**Rules:** {', '.join(rules)}" if rules else "",
             "**Error codes:** " + "; ".join(f"{s}: {', '.join(c)}" for s, c in sorted(codes.items()))]
    if op and op.notes:
        notes.insert(0, op.notes)
    operation["description"] = "\n\n".join(n for n in [operation.get("description", ""), *notes] if n)
    if op is None:
        return
    success = next((responses[s] for s in sorted(responses) if s.startswith("2")), None)
    if success is not None and op.response_example is not None:
        for media in success.get("content", {}).values():
            media["example"] = op.response_example
    if success is not None and op.response_headers:
        success.setdefault("headers", {}).update(op.response_headers)
    if has_body and op.request_examples:
        for media in operation["requestBody"].get("content", {}).values():
            media["examples"] = {name: {"value": value} for name, value in op.request_examples.items()}


def _decorate_token_operation(operation: dict[str, Any]) -> None:
    operation["summary"] = "Get an access token (client credentials grant) (AUTH-1)"
    operation["x-rules"] = ["AUTH-1", "AUTH-2", "AUTH-6"]
    operation["x-error-codes"] = {"400": ["invalid_request", "unsupported_grant_type"], "401": ["invalid_client"]}
    operation["description"] = (
        "`appName` names the district. Send `grant_type=client_credentials` and the credentials either "
        "as form fields `client_id`/`client_secret` or as HTTP Basic (not both). Errors follow RFC 6749 "
        "§5.2; an unknown appName, client or secret are all `invalid_client` (no oracle).\n\n"
        "**Rules:** AUTH-1, AUTH-2, AUTH-6")
    operation["security"] = [{}, {"clientBasic": []}]
    oauth_error = {"schema": {"$ref": "#/components/schemas/OAuthError"}}
    responses = operation["responses"]
    responses.pop("422", None)
    responses["200"] = {"description": "The access token", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/TokenResponse"},
        "example": {"access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…", "token_type": "Bearer",
                    "expires_in": 3600}}}}
    bad_grant = {"error": "unsupported_grant_type", "error_description": "grant_type 'password' is not supported"}
    bad_client = {"error": "invalid_client", "error_description": "Client authentication failed"}
    responses["400"] = {"description": "invalid_request or unsupported_grant_type",
                        "content": {"application/json": {**oauth_error, "example": bad_grant}}}
    responses["401"] = {"description": "invalid_client",
                        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
                        "content": {"application/json": {**oauth_error, "example": bad_client}}}
    form = {"type": "object", "required": ["grant_type"], "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "client_id": {"type": "string", "maxLength": 500, "description": "or HTTP Basic"},
        "client_secret": {"type": "string", "maxLength": 500, "description": "or HTTP Basic"}}}
    example = {"grant_type": "client_credentials", "client_id": "Business Office Administration ClientID",
               "client_secret": "…"}
    operation["requestBody"] = {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": form, "example": example}}}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in schema.get("paths", {}).items()
            for method, op in item.items() if isinstance(op, dict) and "responses" in op]


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _document(app: FastAPI, *, title: str, description: str, keep: Any) -> dict[str, Any]:
    """The app's routes whose path `keep` accepts, as one OpenAPI 3.1 document with only the schemas they use.

    Built from the whole app and then filtered (rather than from a list of routes) so it follows
    FastAPI's own route discovery, whatever routers the other modules include.
    """
    schema = get_openapi(title=title, version="1.0", openapi_version="3.1.0", description=description,
                         routes=app.routes)
    schema["paths"] = {path: item for path, item in schema.get("paths", {}).items() if keep(path)}
    for path, method, operation in _operations(schema):
        # FastAPI's default id is "<handler name><path as _>_<method>"; keep just the handler name.
        suffix = re.sub(r"\W", "_", path) + "_" + method
        operation_id = str(operation.get("operationId", ""))
        if operation_id.endswith(suffix) and len(operation_id) > len(suffix):
            operation["operationId"] = operation_id[: -len(suffix)]
        for response in operation.get("responses", {}).values():
            for media in response.get("content", {}).values():
                # FastAPI names inline schemas after the route ("Response List Schools Campus Api …").
                if str(media.get("schema", {}).get("title", "")).startswith("Response "):
                    del media["schema"]["title"]
    ids = [op.get("operationId") for _p, _m, op in _operations(schema)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    for path, method, operation in _operations(schema):
        if operation.get("operationId") in duplicates:
            operation["operationId"] = f"{operation['operationId']}_{method}" + re.sub(r"\W", "_", path)
    return schema


def _prune_components(schema: dict[str, Any]) -> None:
    """Drop component schemas nothing in the (filtered) document refers to."""
    components = schema.get("components", {})
    defined: dict[str, Any] = components.get("schemas", {})
    used = _refs(schema.get("paths", {}))
    frontier = set(used)
    while frontier:
        frontier = _refs([defined[name] for name in frontier if name in defined]) - used
        used |= frontier
    components["schemas"] = {name: defined[name] for name in sorted(defined) if name in used}
    schemes = components.get("securitySchemes", {})
    named = {name for _p, _m, op in _operations(schema) for req in op.get("security", []) for name in req}
    components["securitySchemes"] = {name: s for name, s in schemes.items() if name in named}
    if not components["securitySchemes"]:
        components.pop("securitySchemes")


OAUTH2_SCHEME = "campusOAuth2"


def boi_openapi_for(app: FastAPI, server: str, app_name: str | None) -> dict[str, Any]:
    """The BOI document. With a well-formed appName it also has an OAuth2 client-credentials scheme whose token
    URL (absolute, as OpenAPI wants it) names that district, offered on every BOI operation beside HTTPBearer:
    Swagger's Authorize then fetches the token itself. Without one the token URL cannot be known (it needs the
    appName), so the document is the plain one: paste a token into HTTPBearer."""
    base = _cached(app, "boi_openapi", boi_openapi)
    if not app_name or not APP_NAME.fullmatch(app_name):
        return base
    document = copy.deepcopy(base)
    document["components"].setdefault("securitySchemes", {})[OAUTH2_SCHEME] = {
        "type": "oauth2", "description": f"The client ID and secret of district `{app_name}` (AUTH-1).",
        "flows": {"clientCredentials": {"tokenUrl": f"{server}{TOKEN_PATH}?appName={quote(app_name)}",
                                        "scopes": {}}}}
    for path, _method, operation in _operations(document):
        if path != TOKEN_PATH and operation.get("security"):  # a Bearer token pasted, or one Authorize fetched
            operation["security"] = [*operation["security"], {OAUTH2_SCHEME: []}]
    return document


def boi_openapi(app: FastAPI) -> dict[str, Any]:
    schema = _document(app, title="Infinite Campus Business Office Integration API (boi-mock)",
                       description=BOI_DESCRIPTION, keep=lambda p: p.startswith(BOI_PREFIX + "/") or p == TOKEN_PATH)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(_component_schemas(Problem, TokenResponse, OAuthError))
    components.setdefault("securitySchemes", {})["clientBasic"] = {
        "type": "http", "scheme": "basic", "description": "client id and secret (token endpoint only)"}
    for path, method, operation in _operations(schema):
        if path == TOKEN_PATH:
            _decorate_token_operation(operation)
        else:
            _decorate_boi_operation(path, method, operation)
    _prune_components(schema)
    return schema


def control_openapi(app: FastAPI) -> dict[str, Any]:
    schema = _document(app, title="boi-mock control API", description=CONTROL_DESCRIPTION,
                       keep=lambda p: p.startswith(CONTROL_PREFIX + "/"))
    for _path, _method, operation in _operations(schema):
        responses = operation.get("responses", {})
        if responses.pop("422", None) is not None:
            responses["400"] = {"description": "Bad Request", "content": {
                "application/problem+json": {"schema": PROBLEM_REF}}}
    schema.setdefault("components", {}).setdefault("schemas", {}).update(_component_schemas(Problem))
    _prune_components(schema)
    return schema


def _cached(app: FastAPI, key: str, build: Any) -> dict[str, Any]:
    cached: dict[str, Any] | None = getattr(app.state, key, None)
    if cached is None:
        cached = build(app)
        setattr(app.state, key, cached)
    return cached


def _swagger_page(request: Request, openapi_path: str, title: str) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=root + openapi_path, title=title,
        swagger_js_url=f"{root}{STATIC_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{STATIC_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{STATIC_PATH}/favicon.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )


def install(app: FastAPI) -> None:
    """Add the documentation routes and the Swagger UI assets to the app."""
    app.mount(STATIC_PATH, StaticFiles(directory=_swagger_dist()), name="swagger-ui-assets")

    @app.get(OPENAPI_PATH, include_in_schema=False)
    def boi_openapi_json(request: Request, appName: str | None = None) -> JSONResponse:
        server = (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")
        return JSONResponse(boi_openapi_for(request.app, server, appName))

    @app.get(DOCS_PATH, include_in_schema=False)
    def boi_documentation(request: Request, appName: str | None = None) -> HTMLResponse:
        named = appName is not None and APP_NAME.fullmatch(appName) is not None
        openapi_path = f"{OPENAPI_PATH}?appName={quote(appName)}" if named and appName else OPENAPI_PATH
        return _swagger_page(request, openapi_path, "Business Office Integration API — boi-mock")

    @app.get(CONTROL_OPENAPI_PATH, include_in_schema=False)
    def control_openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(_cached(request.app, "control_openapi", control_openapi))

    @app.get(CONTROL_DOCS_PATH, include_in_schema=False)
    def control_documentation(request: Request) -> HTMLResponse:
        return _swagger_page(request, CONTROL_OPENAPI_PATH, "boi-mock control API")
