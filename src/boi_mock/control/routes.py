"""The mock control API under /_mock (MOCK-1..8): districts, scenarios, preferences, secret, clock, logs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, Field

from boi_mock.clock import clock_of, iso
from boi_mock.control.guard import ControlRoute, require_admin
from boi_mock.domain.tokens import CLIENT_SECRET_RULE, client_secret_problem
from boi_mock.inputs import storable_inputs
from boi_mock.schemas.base import Date, WireModel
from boi_mock.schemas.scenario import Preferences, Scenario
from boi_mock.services import clock as clock_controls
from boi_mock.services import districts, logs, scenario_export, seeding
from boi_mock.web.deps import SessionDep
from boi_mock.wire import control as wire

# The Error Log's default page (ERR-1): rows hold payloads of up to 64 KB, so a default read stays bounded.
ERROR_LOG_PAGE = 50

# Every control route (this router's dependencies are also the other control modules', boi_mock/main.py): the
# admin token, then no input a database cannot store (NUL, lone surrogates: 400, boi_mock/inputs.py).
router = APIRouter(prefix="/_mock", tags=["Mock control"],
                   dependencies=[Depends(require_admin), Depends(storable_inputs)], route_class=ControlRoute)
health_router = APIRouter(prefix="/_mock", tags=["Mock control"], route_class=ControlRoute)


def _server_url(request: Request) -> str:
    url: str = request.app.state.settings.public_url or str(request.base_url).rstrip("/")
    return url.rstrip("/")


def _summary(request: Request, district: Any) -> dict[str, Any]:
    clock = clock_of(district)
    return {
        **districts.credentials(district, _server_url(request)).as_dict(),
        "tokenLifetimeSeconds": district.token_lifetime_seconds,
        "preferences": districts.preferences(district),
        "clock": {"today": clock.today().isoformat(), "frozen": district.frozen_today is not None,
                  "offsetSeconds": district.clock_offset_seconds, "now": iso(clock.now())},
        "createdAt": iso(district.created_at),
    }


def _credentials(request: Request, district: Any) -> wire.DistrictCredentials:
    return wire.DistrictCredentials.model_validate(districts.credentials(district, _server_url(request)).as_dict())


def _clock(request: Request, district: Any) -> wire.ClockState:
    return wire.ClockState.model_validate(_summary(request, district)["clock"])


@health_router.get("/health", summary="MOCK-1: 200 once the database is ready", response_model_exclude_unset=True)
def health(session: SessionDep) -> wire.Health:
    session.execute(districts.select_one())
    return wire.Health(status="ok")


@router.get("/districts", response_model_exclude_unset=True)
def list_districts(request: Request, session: SessionDep) -> list[wire.DistrictSummary]:
    return [wire.DistrictSummary.model_validate(_summary(request, d)) for d in districts.list_all(session)]


@router.post("/districts", status_code=201, summary="MOCK-2: create a district from a scenario",
             response_model_exclude_unset=True)
def create_district(request: Request, session: SessionDep,
                    scenario: Annotated[Scenario | None, Body()] = None) -> wire.DistrictCredentials:
    return _credentials(request, districts.create(session, scenario or Scenario()))


@router.post("/reset", summary="MOCK-14: delete every district and load the seed files again",
             response_model_exclude_unset=True)
def reset_everything(request: Request, session: SessionDep) -> wire.ResetAll:
    deleted, created = districts.reset_all(session, seeding.seed_scenarios(request.app.state.settings))
    return wire.ResetAll(deleted=deleted, seeded=[_credentials(request, d) for d in created])


_SCENARIO_ANSWER: dict[int | str, dict[str, Any]] = {200: {
    "description": "A scenario document (the body `POST /_mock/districts` takes)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}}}


@router.get("/districts/{appName}/scenario", responses=_SCENARIO_ANSWER,
            summary="MOCK-12: the district as a scenario document that recreates it under another appName")
def export_scenario(session: SessionDep, appName: str) -> JSONResponse:
    # Returned as built (JSON-ready): validating 3,000 persons against the input model would double the time.
    return JSONResponse(scenario_export.export(session, districts.get(session, appName)))


@router.get("/districts/{appName}", response_model_exclude_unset=True)
def get_district(request: Request, session: SessionDep, appName: str) -> wire.DistrictSummary:
    return wire.DistrictSummary.model_validate(_summary(request, districts.get(session, appName)))


@router.delete("/districts/{appName}", status_code=204)
def delete_district(session: SessionDep, appName: str) -> Response:
    districts.remove(session, districts.get(session, appName))
    return Response(status_code=204)


@router.post("/districts/{appName}/reset", summary="MOCK-3: back to the scenario, credentials kept",
             response_model_exclude_unset=True)
def reset_district(request: Request, session: SessionDep, appName: str,
                   scenario: Annotated[Scenario | None, Body()] = None) -> wire.DistrictSummary:
    district = districts.reset(session, districts.get(session, appName), scenario)
    return wire.DistrictSummary.model_validate(_summary(request, district))


@router.get("/districts/{appName}/preferences", response_model_exclude_unset=True)
def get_preferences(session: SessionDep, appName: str) -> wire.PreferencesState:
    return wire.PreferencesState.model_validate(districts.preferences(districts.get(session, appName)))


@router.put("/districts/{appName}/preferences", summary="MOCK-6: preferences (PREF-1, PREF-2)",
            response_model_exclude_unset=True)
def put_preferences(session: SessionDep, appName: str, prefs: Preferences) -> wire.PreferencesState:
    district = districts.update_preferences(session, districts.get(session, appName), prefs)
    return wire.PreferencesState.model_validate(districts.preferences(district))


def _chosen_secret(value: str) -> str:
    problem = client_secret_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


class SecretIn(WireModel):
    """MOCK-13: the secret to set; absent or null: a new one is generated (MOCK-7)."""

    client_secret: Annotated[str, AfterValidator(_chosen_secret)] | None = Field(
        default=None, description=f"The new client secret: {CLIENT_SECRET_RULE}.", examples=["Dm7634MoBoiDemoSecret01"])


@router.post("/districts/{appName}/secret", summary="MOCK-7/MOCK-13: Generate New Secret, or set a chosen one (AUTH-4)",
             response_model_exclude_unset=True)
def rotate_secret(request: Request, session: SessionDep, appName: str,
                  body: Annotated[SecretIn | None, Body()] = None) -> wire.DistrictCredentials:
    chosen = body.client_secret if body is not None else None
    return _credentials(request, districts.rotate_secret(session, districts.get(session, appName), chosen))


@router.post("/districts/{appName}/secret/restore",
             summary="MOCK-13: restore the scenario's client secret (AUTH-4: earlier tokens stop working)",
             response_model_exclude_unset=True)
def restore_secret(request: Request, session: SessionDep, appName: str) -> wire.DistrictCredentials:
    """The secret the district's scenario gave (the README's demo secret for 7634-MO); 409 no_scenario_secret when
    the scenario had none."""
    return _credentials(request, districts.restore_scenario_secret(session, districts.get(session, appName)))


class ClockIn(WireModel):
    today: Date


class AdvanceIn(WireModel):
    seconds: int = Field(ge=0, le=10 * 365 * 86400)


@router.get("/districts/{appName}/clock", response_model_exclude_unset=True)
def get_clock(request: Request, session: SessionDep, appName: str) -> wire.ClockState:
    return _clock(request, districts.get(session, appName))


@router.put("/districts/{appName}/clock", summary="MOCK-8: freeze the business date",
            response_model_exclude_unset=True)
def freeze_clock(request: Request, session: SessionDep, appName: str, body: ClockIn) -> wire.ClockState:
    return _clock(request, clock_controls.freeze(session, districts.get(session, appName), body.today))


@router.delete("/districts/{appName}/clock", summary="MOCK-8: back to the wall clock (frozen date and offset cleared)",
               response_model_exclude_unset=True)
def unfreeze_clock(request: Request, session: SessionDep, appName: str) -> wire.ClockState:
    return _clock(request, clock_controls.to_wall_clock(session, districts.get(session, appName)))


@router.post("/districts/{appName}/clock/advance", summary="MOCK-8: move the district's time forward",
             response_model_exclude_unset=True)
def advance_clock(request: Request, session: SessionDep, appName: str, body: AdvanceIn) -> wire.ClockState:
    return _clock(request, clock_controls.advance(session, districts.get(session, appName), body.seconds))


# Journal and Error Log rows are returned as dicts and validated once, by FastAPI against the response model.
@router.get("/districts/{appName}/error-log", summary="MOCK-5: the Business Office Error Log, newest first",
            response_model=list[wire.ErrorLogEntry], response_model_exclude_unset=True)
def error_log(session: SessionDep, appName: str, path: str | None = None,
              since: datetime | None = None, until: datetime | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = ERROR_LOG_PAGE,
              offset: Annotated[int, Query(ge=0)] = 0) -> Any:
    district = districts.get(session, appName)
    rows = logs.error_log(session, district.id, path=path, since=since, until=until, limit=limit, offset=offset)
    return [logs.error_row(e) for e in rows]


@router.get("/districts/{appName}/requests", summary="MOCK-9: the request journal, newest first",
            response_model=list[wire.JournalEntry], response_model_exclude_unset=True)
def journal(session: SessionDep, appName: str, path: str | None = None, status: int | None = None,
            since: datetime | None = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Any:
    district = districts.get(session, appName)
    rows = logs.journal(session, district.id, path=path, status=status, since=since, limit=limit)
    return [logs.journal_row(j) for j in rows]


@router.delete("/districts/{appName}/requests", status_code=204)
def clear_journal(session: SessionDep, appName: str) -> Response:
    logs.clear_journal(session, districts.get(session, appName).id)
    return Response(status_code=204)
