"""The mock control API under /_mock (MOCK-1..8): districts, scenarios, preferences, secret, clock, logs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import Field

from boi_mock.clock import clock_of, iso
from boi_mock.control.guard import ControlRoute, require_admin
from boi_mock.inputs import storable_inputs
from boi_mock.schemas.base import Date, WireModel
from boi_mock.schemas.scenario import Preferences, Scenario
from boi_mock.services import districts, logs
from boi_mock.web.deps import SessionDep

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


@health_router.get("/health", summary="MOCK-1: 200 once the database is ready")
def health(session: SessionDep) -> dict[str, str]:
    session.execute(districts.select_one())
    return {"status": "ok"}


@router.get("/districts")
def list_districts(request: Request, session: SessionDep) -> list[dict[str, Any]]:
    return [_summary(request, d) for d in districts.list_all(session)]


@router.post("/districts", status_code=201, summary="MOCK-2: create a district from a scenario")
def create_district(request: Request, session: SessionDep,
                    scenario: Annotated[Scenario | None, Body()] = None) -> dict[str, Any]:
    district = districts.create(session, scenario or Scenario())
    return districts.credentials(district, _server_url(request)).as_dict()


@router.get("/districts/{appName}")
def get_district(request: Request, session: SessionDep, appName: str) -> dict[str, Any]:
    return _summary(request, districts.get(session, appName))


@router.delete("/districts/{appName}", status_code=204)
def delete_district(session: SessionDep, appName: str) -> Response:
    districts.remove(session, districts.get(session, appName))
    return Response(status_code=204)


@router.post("/districts/{appName}/reset", summary="MOCK-3: back to the scenario, credentials kept")
def reset_district(request: Request, session: SessionDep, appName: str,
                   scenario: Annotated[Scenario | None, Body()] = None) -> dict[str, Any]:
    district = districts.reset(session, districts.get(session, appName), scenario)
    return _summary(request, district)


@router.get("/districts/{appName}/preferences")
def get_preferences(session: SessionDep, appName: str) -> dict[str, object]:
    return districts.preferences(districts.get(session, appName))


@router.put("/districts/{appName}/preferences", summary="MOCK-6: preferences (PREF-1, PREF-2)")
def put_preferences(session: SessionDep, appName: str, prefs: Preferences) -> dict[str, object]:
    return districts.preferences(districts.update_preferences(session, districts.get(session, appName), prefs))


@router.post("/districts/{appName}/secret", summary="MOCK-7: Generate New Secret (AUTH-4)")
def rotate_secret(request: Request, session: SessionDep, appName: str) -> dict[str, str]:
    district = districts.rotate_secret(session, districts.get(session, appName))
    return districts.credentials(district, _server_url(request)).as_dict()


class ClockIn(WireModel):
    today: Date


class AdvanceIn(WireModel):
    seconds: int = Field(ge=0, le=10 * 365 * 86400)


@router.get("/districts/{appName}/clock")
def get_clock(request: Request, session: SessionDep, appName: str) -> dict[str, Any]:
    summary: dict[str, Any] = _summary(request, districts.get(session, appName))["clock"]
    return summary


@router.put("/districts/{appName}/clock", summary="MOCK-8: freeze the business date")
def freeze_clock(request: Request, session: SessionDep, appName: str, body: ClockIn) -> dict[str, Any]:
    district = districts.freeze_clock(session, districts.get(session, appName), body.today)
    summary: dict[str, Any] = _summary(request, district)["clock"]
    return summary


@router.delete("/districts/{appName}/clock", summary="MOCK-8: unfreeze the business date")
def unfreeze_clock(request: Request, session: SessionDep, appName: str) -> dict[str, Any]:
    district = districts.freeze_clock(session, districts.get(session, appName), None)
    summary: dict[str, Any] = _summary(request, district)["clock"]
    return summary


@router.post("/districts/{appName}/clock/advance", summary="MOCK-8: move the district's time forward")
def advance_clock(request: Request, session: SessionDep, appName: str, body: AdvanceIn) -> dict[str, Any]:
    district = districts.advance_clock(session, districts.get(session, appName), body.seconds)
    summary: dict[str, Any] = _summary(request, district)["clock"]
    return summary


@router.get("/districts/{appName}/error-log", summary="MOCK-5: the Business Office Error Log, newest first")
def error_log(session: SessionDep, appName: str, path: str | None = None,
              since: datetime | None = None, until: datetime | None = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = ERROR_LOG_PAGE,
              offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    district = districts.get(session, appName)
    rows = logs.error_log(session, district.id, path=path, since=since, until=until, limit=limit, offset=offset)
    return [logs.error_row(e) for e in rows]


@router.get("/districts/{appName}/requests", summary="MOCK-9: the request journal, newest first")
def journal(session: SessionDep, appName: str, path: str | None = None, status: int | None = None,
            since: datetime | None = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
    district = districts.get(session, appName)
    return [logs.journal_row(j) for j in logs.journal(session, district.id, path=path, status=status,
                                                      since=since, limit=limit)]


@router.delete("/districts/{appName}/requests", status_code=204)
def clear_journal(session: SessionDep, appName: str) -> Response:
    logs.clear_journal(session, districts.get(session, appName).id)
    return Response(status_code=204)
