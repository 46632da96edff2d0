from __future__ import annotations

from boi_mock.schemas.base import OutModel


class SchoolOut(OutModel):
    school_number: str
    name: str


class GenderOut(OutModel):
    code: str
    name: str


class AssignmentCodeOut(OutModel):
    code: str
    name: str


class TitleOut(OutModel):
    title_code: str
    description: str
