"""BOI routes: a district preference can turn unknown-property rejection off (CONTRACT §1).

The schemas forbid unknown properties (so the OpenAPI document is exact and typos are caught), and
an undeclared query parameter (`?lastname=` for `lastName`) is refused the same way.
When the caller's district has `strictUnknownProperties=false`, the unknown properties are
removed from the body before the handler validates it (and the journal says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from functools import cached_property
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select

from boi_mock import models as m
from boi_mock.domain import tokens
from boi_mock.errors import BadRequest, FieldError

LENIENT_RULE = "unknown properties ignored (strictUnknownProperties=false)"


def _drop(data: Any, path: list[int | str]) -> None:
    for step in path[:-1]:
        data = data[step]
    if isinstance(data, dict):
        data.pop(path[-1], None)


def _strictness(request: Request) -> bool | None:
    """The token's district's `strictUnknownProperties`; None when the token names no district (its 401 comes later)."""
    header = request.headers.get("authorization", "")
    app_name = tokens.unverified_audience(header.partition(" ")[2].strip()) if header else None
    if app_name is None:
        return None
    with request.app.state.db.unit_of_work(write=False) as session:
        strict: bool | None = session.scalar(
            select(m.District.strict_unknown_properties).where(m.District.app_name == app_name))
    return strict


def _is_lenient(request: Request) -> bool:
    return _strictness(request) is False


def _query_names(dependant: Dependant) -> set[str]:
    """Every query parameter a route declares, its dependencies' and query models' fields included."""
    names: set[str] = set()
    for param in dependant.query_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(info.alias or name for name, info in annotation.model_fields.items())
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names.update(_query_names(sub))
    return names


class BoiRoute(APIRoute):
    @cached_property
    def _body_adapter(self) -> TypeAdapter[Any] | None:
        annotation = self.body_field.field_info.annotation if self.body_field is not None else None
        return None if annotation is None else TypeAdapter(annotation)

    def _unknown_paths(self, data: Any) -> list[list[int | str]]:
        adapter = self._body_adapter
        if adapter is None:
            return []
        try:
            adapter.validate_python(data)
        except ValidationError as exc:
            return [list(e["loc"]) for e in exc.errors() if e["type"] == "extra_forbidden"]
        return []

    @cached_property
    def _declared_query(self) -> set[str]:
        return _query_names(self.dependant)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            unknown_query = sorted(set(request.query_params) - self._declared_query)
            if unknown_query and await anyio.to_thread.run_sync(lambda: _strictness(request)) is True:
                raise BadRequest(
                    f"Unknown query parameter {unknown_query[0]!r}", code="unknown_property",
                    errors=[FieldError(name, "unknown_property", f"Unknown query parameter {name!r}")
                            for name in unknown_query])
            if request.method not in ("POST", "PUT", "PATCH") or self.body_field is None:
                return await original(request)
            try:
                data = json.loads(await request.body())
            except (ValueError, RecursionError):
                return await original(request)
            # Only a body with unknown properties costs the preference lookup.
            unknown = self._unknown_paths(data)
            if not unknown or not await anyio.to_thread.run_sync(lambda: _is_lenient(request)):
                return await original(request)
            for path in sorted(unknown, key=len, reverse=True):
                _drop(data, path)
            body = json.dumps(data).encode()

            async def receive() -> dict[str, Any]:
                return {"type": "http.request", "body": body, "more_body": False}

            stripped = Request(request.scope, receive)
            stripped.state.lenient_rule = LENIENT_RULE
            return await original(stripped)

        return handler
