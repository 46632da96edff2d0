"""`BoiRoute`: steps 2-6 of the BOI pipeline (`boi_mock.api.pipeline`), around FastAPI's own handler.

Authentication and the fault decision share one worker-thread hop; a write's district lock, its handler
and its commit (with its journal entry) share a second one, on the call's one session. Strictness
(CONTRACT §1) comes from the district just loaded: the schemas forbid unknown properties (so the
OpenAPI document is exact and typos are caught), an undeclared query parameter (`?lastname=` for
`lastName`) is refused the same way, and when the district has `strictUnknownProperties=false` unknown
body properties are removed before the handler validates the body (and the journal says so). The body
is parsed once, here, and FastAPI reuses the parsed value.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from boi_mock.api import faults
from boi_mock.api.deps import boi_context
from boi_mock.api.gate import journal_writer
from boi_mock.api.pipeline import STATE_KEY, BoiCall, current_call
from boi_mock.clock import WALL, clock_of
from boi_mock.domain import tokens
from boi_mock.domain.suggest import did_you_mean
from boi_mock.errors import BadRequest, FieldError, Unauthorized
from boi_mock.services import auth, districts
from boi_mock.services import faults as fault_service
from boi_mock.services.observability import add_to_session
from boi_mock.web.deps import READ_METHODS
from boi_mock.web.json_body import parse_json

LENIENT_RULE = "unknown properties ignored (strictUnknownProperties=false)"
_BODY_METHODS = ("POST", "PUT", "PATCH")


def _drop(data: Any, path: list[int | str]) -> None:
    for step in path[:-1]:
        data = data[step]
    if isinstance(data, dict):
        data.pop(path[-1], None)


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


def _calls(dependant: Dependant) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _authenticate(request: Request, call: BoiCall, session: Session) -> tuple[fault_service.Decision | None, bool]:
    """Step 2 (and 3's database part): token decoded once, district loaded once, faults decided if it has rules."""
    token, app_name = auth.bearer_token(call.authorization)
    district, armed = (fault_service.district_and_armed(session, app_name)
                       if app_name and tokens.APP_NAME.fullmatch(app_name) else (None, False))
    client_id = auth.verify_for(district, token, key=request.app.state.signing_key)
    assert district is not None
    call.district, call.district_id, call.client_id = district, district.id, client_id
    path_app = request.path_params.get("appName")
    if path_app is not None and path_app != district.app_name:
        raise Unauthorized(f"The access token was issued for district {district.app_name!r}, not {path_app!r}")
    if not armed:
        return None, False
    # The hit counts stand whatever the call does next: they commit in a write transaction of their own,
    # after this one has ended (a read transaction cannot become a writer on SQLite; a write lock is let go).
    session.commit()
    with request.app.state.db.unit_of_work(write=True) as counting:
        return fault_service.decide_for(counting, district.id, method=call.method, path=call.path), True


def _lock(session: Session, call: BoiCall) -> None:
    """A write call holds its district's write lock from here to its commit (SQLite: BEGIN IMMEDIATE).

    The district was loaded by the authentication, in a read transaction that has ended: it joins the call's
    session and is read again under the lock (a district deleted meanwhile is 404 `district_not_found`)."""
    district = call.district
    assert district is not None
    if district not in session:
        session.add(district)
    districts.lock(session, district.id)
    session.refresh(district)


def _finish(session: Session, call: BoiCall, response: Response | None) -> bool:
    """Step 6: commit a successful write with its journal entry (one commit); otherwise roll back. Closes."""
    try:
        if response is None or call.district_id is None:
            return False
        body = getattr(response, "body", None)
        if isinstance(body, bytes):
            add_to_session(session, call.record(response.status_code, body), call.district_id,
                           clock_of(call.district) if call.district is not None else WALL)
            session.commit()
            return True
        session.commit()
        return False
    finally:
        session.close()


@dataclass
class _End:
    """Step 6 done in the endpoint's own worker thread (`BoiRoute._in_thread`), saving a thread hop per call."""

    session: Session
    call: BoiCall
    write: bool
    done: bool = False
    journalled: bool = False


_END: ContextVar[_End | None] = ContextVar("boi_call_end", default=None)


class BoiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # Wrapped before FastAPI reads it (it unwraps it for the signature): an included router's route builds
        # its own dependant from `endpoint`, so wrapping `self.dependant.call` afterwards would miss it.
        self._sync_endpoint = not inspect.iscoroutinefunction(endpoint)
        super().__init__(path, self._in_thread(endpoint) if self._sync_endpoint else endpoint, **kwargs)

    @cached_property
    def _in_thread_end(self) -> bool:
        """Step 6 (and a write's lock) in the handler's own worker thread: a sync handler on the call's session."""
        return self._sync_endpoint and self._unit_of_work

    def _in_thread(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        """The sync endpoint, followed in its worker thread by step 6 when it answers with a `Response`: a write's
        journal entry and commit (or the rollback), a read's session closed. Each worker-thread hop (a wake-up
        and a hand-over of the GIL) cost more than closing a session; an endpoint that raises or returns a
        model leaves step 6 to the route handler, as before."""

        @functools.wraps(endpoint)
        def run(**values: Any) -> Any:
            end = _END.get()
            if end is not None and end.write:
                _lock(end.session, end.call)  # after the body was validated: a rejected body never waits for it
            response = endpoint(**values)
            if end is not None and isinstance(response, Response):
                ok = response.status_code < 400 and end.write
                end.journalled = _finish(end.session, end.call, response if ok else None)
                end.done = True
            return response

        return run

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

    @cached_property
    def _unit_of_work(self) -> bool:
        """Handlers on `BoiContext` run in the call's session; the others (sync validate/commit) open their own."""
        return boi_context in _calls(self.dependant)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        faults.install_log_filter()

        async def handler(request: Request) -> Response:
            call = current_call(request)
            if call is None:  # not through the gate (an app without it): a context all the same
                call = BoiCall(method=request.method, path=request.url.path, query=request.url.query or None,
                               authorization=request.headers.get("authorization"))
                request.scope.setdefault("state", {})[STATE_KEY] = call
            write = request.method not in READ_METHODS
            session: Session = request.app.state.db.session(write=write and self._unit_of_work)
            response: Response | None = None
            closed_later = False
            end = _End(session, call, write) if self._in_thread_end else None
            _END.set(end)
            try:
                decision = await anyio.to_thread.run_sync(self._open, request, call, session, write)
                if decision is not None:
                    injected = await faults.apply(decision, call)
                    if isinstance(injected, faults.DropConnection):
                        call.journalled = True
                        record = call.record(faults.DROPPED_STATUS, None)
                        record.rules = [f"fault {decision.rule_id}: connection dropped"]
                        record.error_message = "connection dropped"
                        journal_writer(request.app).submit(record)
                        return injected
                    if injected is not None:
                        return injected
                if write and self._unit_of_work and not self._in_thread_end:
                    await anyio.to_thread.run_sync(_lock, session, call)
                response = await original(self._prepare(request, call))
                if end is not None and end.done:
                    return response
                if not write and response.background is None:
                    # A read has nothing to commit: its session is closed after the answer is sent.
                    response.background = BackgroundTask(session.close)
                    closed_later = True
                return response
            finally:
                journalled = end is not None and end.journalled
                if (end is None or not end.done) and not closed_later:
                    ok = response is not None and response.status_code < 400 and write and self._unit_of_work
                    with anyio.CancelScope(shield=True):  # the session is closed, whatever happened
                        journalled = await anyio.to_thread.run_sync(_finish, session, call, response if ok else None)
                if journalled and call.district_id is not None:
                    call.journalled = True
                    journal_writer(request.app).written_in_transaction(call.district_id)

        return handler

    def _open(self, request: Request, call: BoiCall, session: Session, write: bool) -> fault_service.Decision | None:
        """Step 2. A write authenticates in a read transaction of its own: its write lock is taken just before the
        handler (`_lock`), so the time between (faults, strictness, body validation) holds no lock."""
        if write and self._unit_of_work:
            reader = request.app.state.db.session(write=False)
            try:
                decision, _armed = _authenticate(request, call, reader)
            finally:
                reader.close()
            call.session = session
            return decision
        decision, _armed = _authenticate(request, call, session)
        if not self._unit_of_work:
            session.close()  # authenticated: the handler opens the transactions it needs
            return decision
        call.session = session
        return decision

    def _prepare(self, request: Request, call: BoiCall) -> Request:
        """Step 4: strictness from the district already loaded; the body parsed once (FastAPI reuses it)."""
        district = call.district
        assert district is not None
        strict = district.strict_unknown_properties is not False
        unknown_query = sorted(set(request.query_params) - self._declared_query)
        if unknown_query and strict:
            hint = did_you_mean(unknown_query[0], self._declared_query)
            raise BadRequest(
                f"Unknown query parameter {unknown_query[0]!r}{hint}", code="unknown_property",
                errors=[FieldError(name, "unknown_property", f"Unknown query parameter {name!r}")
                        for name in unknown_query])
        if request.method not in _BODY_METHODS or self.body_field is None:
            return request
        body = call.body
        try:
            data = parse_json(body)  # a key given twice is a 400 naming it
        except (ValueError, RecursionError):
            return request  # FastAPI reports the malformed JSON itself
        if not strict and (unknown := self._unknown_paths(data)):
            for path in sorted(unknown, key=len, reverse=True):
                _drop(data, path)
            body = json.dumps(data).encode()
            call.fire(LENIENT_RULE)

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        parsed = Request(request.scope, receive)
        parsed._body = body
        parsed._json = data
        return parsed
