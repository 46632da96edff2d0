"""MOCK-4: everything Campus holds for one staff member (identities, employments, positions, household)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from boi_mock.control.guard import ControlRoute
from boi_mock.services import districts, staff
from boi_mock.services.context import DistrictContext
from boi_mock.web.deps import SessionDep
from boi_mock.wire.control import StaffView

router = APIRouter(tags=["Mock control"], route_class=ControlRoute)


@router.get("/districts/{appName}/staff/{staffNumber}",
            summary="MOCK-4: a staff member as Campus holds it (?personID= picks one of duplicates)",
            response_model_exclude_unset=True)
def staff_view(session: SessionDep, appName: str, staffNumber: str,
               person_id: Annotated[int | None, Query(alias="personID")] = None) -> StaffView:
    ctx = DistrictContext(session=session, district=districts.get(session, appName), actor="boi-mock control")
    return StaffView.model_validate(staff.person_view(ctx, staff.find_person(ctx, staffNumber, person_id=person_id)))
