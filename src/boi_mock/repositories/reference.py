"""Reference data lookups (REF-1..4) and the checks positions and staff need (STAFF-2, POS-2, POS-3, POS-5)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from boi_mock import models as m


def schools(session: Session, district_id: int) -> list[m.School]:
    return list(session.scalars(select(m.School).where(m.School.district_id == district_id)
                                .order_by(m.School.school_number)))


def genders(session: Session, district_id: int) -> list[m.Gender]:
    return list(session.scalars(select(m.Gender).where(m.Gender.district_id == district_id).order_by(m.Gender.code)))


def assignment_codes(session: Session, district_id: int) -> list[m.AssignmentCode]:
    return list(session.scalars(select(m.AssignmentCode).where(m.AssignmentCode.district_id == district_id)
                                .order_by(m.AssignmentCode.code)))


def titles(session: Session, district_id: int) -> list[m.Title]:
    return list(session.scalars(select(m.Title).where(m.Title.district_id == district_id)
                                .order_by(m.Title.title_code)))


def school_numbers(session: Session, district_id: int) -> set[str]:
    return set(session.scalars(select(m.School.school_number).where(m.School.district_id == district_id)))


def gender_codes(session: Session, district_id: int) -> set[str]:
    return set(session.scalars(select(m.Gender.code).where(m.Gender.district_id == district_id)))


def assignment_code_set(session: Session, district_id: int) -> set[str]:
    return set(session.scalars(select(m.AssignmentCode.code).where(m.AssignmentCode.district_id == district_id)))


def title_map(session: Session, district_id: int) -> dict[str, str]:
    rows = session.execute(select(m.Title.title_code, m.Title.description).where(m.Title.district_id == district_id))
    return {code: desc for code, desc in rows}
