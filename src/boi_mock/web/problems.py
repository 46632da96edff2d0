"""One place that renders every error: domain errors, request validation, HTTP errors, crashes.

Shared by the three HTTP faces. What the BOI pipeline needs to know about a problem (the Error Log row of a BOI
call says its code and detail) is told through the `ProblemObserver` the app installs (`api.pipeline.note_problem`),
so this layer knows nothing of the BOI call itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from boi_mock.domain.masking import mask_field
from boi_mock.domain.suggest import did_you_mean
from boi_mock.errors import DomainError, FieldError, Unauthorized, problem_body
from boi_mock.services.auth import OAuthError
from boi_mock.web.suggest import known_properties

log = logging.getLogger("boi_mock")
PROBLEM_JSON = "application/problem+json"

# Told of every problem rendered: the request, the problem body, and for a 401 of a genuine token its district.
ProblemObserver = Callable[[Request, dict[str, Any], int | None], None]


def field_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """pydantic's loc → the contract's path: ('body', 'positions', 1, 'schoolNumber') → positions[1].schoolNumber."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_CODES = {"extra_forbidden": "unknown_property", "missing": "missing_field"}
# pydantic's wording for an error a validator raised ("Value error, staffNumber must …"): the vendor reads the sentence.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def plain_message(msg: str) -> str:
    """pydantic's message without its "Value error, " prefix (never shown to a vendor)."""
    for prefix in _PYDANTIC_PREFIXES:
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg


def validation_errors(raw: Sequence[Any], body_type: Any = None) -> list[FieldError]:
    """pydantic's errors as the contract's field errors. `body_type` (the route's body annotation) lets an
    unknown property suggest the closest property the model at that place knows."""
    out = []
    for err in raw:
        kind = err.get("type", "")
        path = field_path(err.get("loc", ()))
        if kind == "json_invalid":
            out.append(FieldError("", "malformed_json", f"Malformed JSON: {err.get('ctx', {}).get('error', '')}"))
            continue
        code = _CODES.get(kind, "invalid_value")
        if kind == "extra_forbidden":
            raw_loc = list(err.get("loc", ()))
            loc = raw_loc[1:] if raw_loc[:1] == ["body"] else []
            hint = did_you_mean(str(loc[-1]), known_properties(body_type, loc)) if body_type and loc else ""
            message = f"Unknown property {path!r}{hint}"
        elif kind == "missing":
            message = f"{path} is required" if path else "A request body is required: send a JSON document"
        else:
            # What was sent is shown as the Error Log stores it: an SSN field to its last 4, a secret not at all.
            keys = [part for part in err.get("loc", ()) if isinstance(part, str)]
            shown = mask_field(keys[-1] if keys else None, err.get("input"))
            shown_text = repr(shown)[:80] if isinstance(shown, str | int | float | bool) else type(shown).__name__
            message = f"{path}: {plain_message(str(err.get('msg', 'invalid value')))} (got {shown_text})"
        out.append(FieldError(path, code, message))
    return out


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's own 405 names only the first route's)."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def _ignore(request: Request, body: dict[str, Any], district_id: int | None) -> None:
    return None


def install(app: FastAPI, observe: ProblemObserver = _ignore) -> None:
    def problem_response(status: int, body: dict[str, Any], request: Request, headers: dict[str, str] | None = None,
                         district_id: int | None = None) -> JSONResponse:
        observe(request, body, district_id)
        return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        headers = None
        district_id = None
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            district_id = exc.district_id  # a genuine token of that district: its Error Log
        return problem_response(exc.status, exc.problem(), request, headers, district_id)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        route = request.scope.get("route")
        body_field = route.body_field if isinstance(route, APIRoute) else None
        errors = validation_errors(exc.errors(), body_field.field_info.annotation if body_field is not None else None)
        if request.url.path.endswith("/oauth2/token"):
            detail = errors[0].message if errors else "Invalid token request"
            return JSONResponse({"error": "invalid_request", "error_description": detail}, status_code=400,
                                headers={"Cache-Control": "no-store"})
        codes = {e.code for e in errors}
        code = codes.pop() if len(codes) == 1 else "invalid_request"
        if code == "malformed_json":
            code = "invalid_request"
        first = errors[0].message if errors else "Invalid request"
        detail = first if len(errors) == 1 else f"{len(errors)} problems; first: {first}"
        return problem_response(400, problem_body(400, code, detail, errors[:100]), request)

    @app.exception_handler(OAuthError)
    async def _oauth(request: Request, exc: OAuthError) -> JSONResponse:
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if exc.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="boi-mock", charset="UTF-8"'
        return JSONResponse({"error": exc.error, "error_description": exc.description},
                            status_code=exc.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        code = {404: "not_found", 405: "method_not_allowed", 400: "invalid_request"}.get(status, "http_error")
        detail = str(exc.detail) if exc.detail else "Error"
        if status == 404 and detail == "Not Found":
            detail = f"No such resource: {request.method} {request.url.path}"
        if status == 400 and "parsing the body" in detail:
            detail = "The request body could not be parsed as JSON (malformed or too deeply nested)"
        headers = dict(exc.headers) if exc.headers else {}
        if status == 405:
            allowed = _allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {', '.join(allowed)}"
        return problem_response(status, problem_body(status, code, detail), request, headers or None)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        body = problem_body(500, "internal_error", f"Internal error ({type(exc).__name__}); this is a boi-mock bug")
        return problem_response(500, body, request)
