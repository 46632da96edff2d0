"""Staff members (STAFF-3..6) and their positions (POS-6, POS-7): parse, one service call, a schema."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import BoiContext
from app.api.routing import BoiRoute
from app.repositories.staff import StaffFilter
from app.schemas.staff import (
    PositionIn,
    PositionOut,
    PositionUpdateIn,
    PositionUpdateOut,
    StaffMemberIn,
    StaffMemberOut,
)
from app.services import staff

router = APIRouter(tags=["Staff members"], route_class=BoiRoute)


@router.get("/staffMembers", response_model=list[StaffMemberOut],
            summary="Search for a Staff Member (STAFF-3)")
def search_staff(
    ctx: BoiContext,
    response: Response,
    staff_number: Annotated[str | None, Query(alias="staffNumber")] = None,
    last_name: Annotated[str | None, Query(alias="lastName", description="case-insensitive, exact")] = None,
    first_name: Annotated[str | None, Query(alias="firstName", description="case-insensitive, exact")] = None,
    birthdate: Annotated[date | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[StaffMemberOut]:
    total, found = staff.search(ctx, StaffFilter(staff_number, last_name, first_name, birthdate),
                                limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return found


@router.get("/staffMembers/{staffNumber}", response_model=StaffMemberOut,
            summary="Get a Staff Member by staff number (STAFF-4)")
def get_staff(ctx: BoiContext, staffNumber: str) -> StaffMemberOut:
    return staff.staff_out(ctx, staff.find_person(ctx, staffNumber))


@router.post("/staffMembers", status_code=201, response_model=StaffMemberOut,
             summary="Creates a new Staff Member (STAFF-5)")
def create_staff(ctx: BoiContext, payload: StaffMemberIn, response: Response) -> StaffMemberOut:
    person = staff.create_staff(ctx, payload)
    response.headers["Location"] = f"staffMembers/{person.staff_number}"
    return staff.staff_out(ctx, person)


@router.put("/staffMembers/{staffNumber}", response_model=StaffMemberOut,
            summary="Updates a Staff Member (STAFF-6)")
def update_staff(ctx: BoiContext, staffNumber: str, payload: StaffMemberIn) -> StaffMemberOut:
    return staff.staff_out(ctx, staff.update_staff(ctx, staffNumber, payload))


@router.post("/staffMembers/{staffNumber}/position", status_code=201, response_model=PositionOut,
             summary="Creates a new Position for a given Staff Member (POS-6)")
def add_position(ctx: BoiContext, staffNumber: str, payload: PositionIn) -> PositionOut:
    return staff.positions_out(ctx, [staff.add_position(ctx, staffNumber, payload)])[0]


@router.put("/staffMembers/{staffNumber}/position", response_model=PositionUpdateOut,
            summary="Updates a Position for a given Staff Member (POS-7)")
def update_position(ctx: BoiContext, staffNumber: str, payload: PositionUpdateIn) -> PositionUpdateOut:
    rows = staff.update_position(ctx, staffNumber, payload)
    return PositionUpdateOut(updated=len(rows), positions=staff.positions_out(ctx, rows))
