"""REF-1..4: the lists an HR system maps its values to, as the API answers them."""

from __future__ import annotations

from boi_mock.repositories import reference as repo
from boi_mock.schemas.reference import AssignmentCodeOut, GenderOut, SchoolOut, TitleOut
from boi_mock.services.context import DistrictContext


def schools(ctx: DistrictContext) -> list[SchoolOut]:
    return [SchoolOut(school_number=s.school_number, name=s.name) for s in repo.schools(ctx.session, ctx.district_id)]


def genders(ctx: DistrictContext) -> list[GenderOut]:
    return [GenderOut(code=g.code, name=g.name) for g in repo.genders(ctx.session, ctx.district_id)]


def assignment_codes(ctx: DistrictContext) -> list[AssignmentCodeOut]:
    return [AssignmentCodeOut(code=a.code, name=a.name) for a in repo.assignment_codes(ctx.session, ctx.district_id)]


def titles(ctx: DistrictContext) -> list[TitleOut]:
    return [TitleOut(title_code=t.title_code, description=t.description)
            for t in repo.titles(ctx.session, ctx.district_id)]
