"""MOCK-10 (SYNC-9): Check Campus Data as JSON, plus a read of the district's sync for test harnesses."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from boi_mock.control.guard import ControlRoute
from boi_mock.schemas.sync import CheckCampusDataOut, SyncStatusOut
from boi_mock.services import districts
from boi_mock.services.sync import report, state
from boi_mock.web.deps import SessionDep

router = APIRouter(tags=["Mock control"], route_class=ControlRoute)


@router.get("/districts/{appName}/check-campus-data", responses={200: {"model": CheckCampusDataOut}},
            summary="MOCK-10: Campus staff with duplicate staff numbers and with no staff number (SYNC-9)")
def check_campus_data(session: SessionDep, appName: str) -> JSONResponse:
    return JSONResponse(report.check_campus_data(session, districts.get(session, appName)))


@router.get("/districts/{appName}/sync", response_model=SyncStatusOut,
            summary="The district's current staff sync (as GET staffMembers/sync/status shows it)")
def sync_status(session: SessionDep, appName: str) -> SyncStatusOut:
    district = districts.get(session, appName)
    return state.status_out(session, district, state.current_run(session, district.id))
