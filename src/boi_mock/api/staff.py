"""Staff members (STAFF-3..6) and their positions (POS-6, POS-7): parse, one service call, a schema.

Handlers answer with the schema's JSON directly (`_json`): the `response_model`s document the
shapes, and FastAPI does not validate a second time what the service just built.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, TypeAdapter

from boi_mock.api.deps import BoiContext
from boi_mock.api.routing import BoiRoute
from boi_mock.schemas.base import Date
from boi_mock.schemas.staff import (
    PositionIn,
    PositionOut,
    PositionUpdateIn,
    PositionUpdateOut,
    StaffMemberIn,
    StaffMemberOut,
)
from boi_mock.services import staff

router = APIRouter(tags=["Staff members"], route_class=BoiRoute)
_MEMBERS = TypeAdapter(list[StaffMemberOut])


def _json(body: BaseModel | bytes, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    content = body if isinstance(body, bytes) else body.model_dump_json(by_alias=True).encode()
    return Response(content, status_code=status_code, headers=headers, media_type="application/json")


@router.get("/staffMembers", response_model=list[StaffMemberOut],
            summary="Search for a Staff Member (STAFF-3)",
            responses={200: {"headers": {"X-Total-Count": {
                "description": "How many staff members match the filters (all pages)",
                "schema": {"type": "integer"}}}}})
def search_staff(
    ctx: BoiContext,
    staff_number: Annotated[str | None, Query(alias="staffNumber")] = None,
    last_name: Annotated[str | None, Query(alias="lastName", description="case-insensitive, exact")] = None,
    first_name: Annotated[str | None, Query(alias="firstName", description="case-insensitive, exact")] = None,
    birthdate: Annotated[Date | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    total, found = staff.search(ctx, staff_number=staff_number, last_name=last_name, first_name=first_name,
                                birthdate=birthdate, limit=limit, offset=offset)
    return _json(_MEMBERS.dump_json(found, by_alias=True), headers={"X-Total-Count": str(total)})


@router.get("/staffMembers/{staffNumber}", response_model=StaffMemberOut,
            summary="Get a Staff Member by staff number (STAFF-4)")
def get_staff(ctx: BoiContext, staffNumber: str) -> Response:
    return _json(staff.read_staff(ctx, staffNumber))


@router.post("/staffMembers", status_code=201, response_model=StaffMemberOut,
             summary="Creates a new Staff Member (STAFF-5)")
def create_staff(ctx: BoiContext, payload: StaffMemberIn) -> Response:
    created = staff.create_staff_member(ctx, payload)
    return _json(created, 201, {"Location": f"staffMembers/{created.staff_number}"})


@router.put("/staffMembers/{staffNumber}", response_model=StaffMemberOut,
            summary="Updates a Staff Member (STAFF-6)")
def update_staff(ctx: BoiContext, staffNumber: str, payload: StaffMemberIn) -> Response:
    return _json(staff.staff_out(ctx, staff.update_staff(ctx, staffNumber, payload)))


@router.post("/staffMembers/{staffNumber}/position", status_code=201, response_model=PositionOut,
             summary="Creates a new Position for a given Staff Member (POS-6)")
def add_position(ctx: BoiContext, staffNumber: str, payload: PositionIn) -> Response:
    return _json(staff.positions_out(ctx, [staff.add_position(ctx, staffNumber, payload)])[0], 201)


@router.put("/staffMembers/{staffNumber}/position", response_model=PositionUpdateOut,
            summary="Updates a Position for a given Staff Member (POS-7)")
def update_position(ctx: BoiContext, staffNumber: str, payload: PositionUpdateIn) -> Response:
    rows = staff.update_position(ctx, staffNumber, payload)
    return _json(PositionUpdateOut(updated=len(rows), positions=staff.positions_out(ctx, rows)))
