"""BOI routes: a district preference can turn unknown-property rejection off (CONTRACT §1).

The schemas forbid unknown properties (so the OpenAPI document is exact and typos are caught).
When the caller's district has `strictUnknownProperties=false`, a request that failed only
because of unknown properties is retried once with them removed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from app import models as m


def _drop(data: Any, path: list[int | str]) -> None:
    for step in path[:-1]:
        data = data[step]
    if isinstance(data, dict):
        data.pop(path[-1], None)


def _is_lenient(request: Request) -> bool:
    district_id = getattr(request.state, "district_id", None)
    if district_id is None:
        return False
    with request.app.state.db.unit_of_work(write=False) as session:
        district = session.get(m.District, district_id)
        return district is not None and not district.strict_unknown_properties


class BoiRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except RequestValidationError as exc:
                unknown = [list(e["loc"])[1:] for e in exc.errors()
                           if e.get("type") == "extra_forbidden" and e.get("loc", ())[:1] == ("body",)]
                if not unknown or not await anyio.to_thread.run_sync(lambda: _is_lenient(request)):
                    raise
                data = json.loads(await request.body())
                for path in sorted(unknown, key=len, reverse=True):
                    _drop(data, path)
                body = json.dumps(data).encode()
                request.state.rules = ["unknown properties ignored (strictUnknownProperties=false)"]

                async def receive() -> dict[str, Any]:
                    return {"type": "http.request", "body": body, "more_body": False}

                return await original(Request(request.scope, receive))

        return handler
