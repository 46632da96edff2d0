"""REF-1..4: the lists an HR system maps its values to."""

from __future__ import annotations

from fastapi import APIRouter

from boi_mock.api.deps import BoiContext
from boi_mock.api.routing import BoiRoute
from boi_mock.schemas.reference import AssignmentCodeOut, GenderOut, SchoolOut, TitleOut
from boi_mock.services import reference

router = APIRouter(tags=["Reference data"], route_class=BoiRoute)


@router.get("/schools", response_model=list[SchoolOut], summary="Get the listing of Schools (REF-1)")
def list_schools(ctx: BoiContext) -> list[SchoolOut]:
    return reference.schools(ctx)


@router.get("/attributes/genders", response_model=list[GenderOut], summary="Get the listing of Genders (REF-2)")
def list_genders(ctx: BoiContext) -> list[GenderOut]:
    return reference.genders(ctx)


@router.get("/attributes/assignmentCodes", response_model=list[AssignmentCodeOut],
            summary="Get the listing of Assignment Codes (REF-3)")
def list_assignment_codes(ctx: BoiContext) -> list[AssignmentCodeOut]:
    return reference.assignment_codes(ctx)


@router.get("/attributes/titles", response_model=list[TitleOut], summary="Get the listing of Titles (REF-4)")
def list_titles(ctx: BoiContext) -> list[TitleOut]:
    return reference.titles(ctx)
