"""Typed selects for staff members: persons by staff number, the STAFF-3 search, titles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app import models as m


def with_details() -> list[ExecutableOption]:
    """Everything a staff member object shows, loaded in one round-trip per collection."""
    return [selectinload(m.Person.identities), selectinload(m.Person.employments),
            selectinload(m.Person.positions)]


def by_staff_number(session: Session, district_id: int, staff_number: str, *,
                    details: bool = True) -> list[m.Person]:
    """All persons holding this staff number: normally 0 or 1; more when Campus holds duplicates."""
    stmt = (select(m.Person).where(m.Person.district_id == district_id, m.Person.staff_number == staff_number)
            .order_by(m.Person.id))
    if details:
        stmt = stmt.options(*with_details())
    return list(session.scalars(stmt))


def staff_number_taken(session: Session, district_id: int, staff_number: str) -> bool:
    stmt = select(m.Person.id).where(m.Person.district_id == district_id,
                                     m.Person.staff_number == staff_number).limit(1)
    return session.scalar(stmt) is not None


def is_campus_staff() -> ColumnElement[bool]:
    """SYNC-10's "Campus staff": a staff number, a position or an employment (students/parents are not)."""
    return or_(m.Person.staff_number.is_not(None),
               exists().where(m.DistrictAssignment.person_id == m.Person.id),
               exists().where(m.Employment.person_id == m.Person.id))


@dataclass(frozen=True)
class StaffFilter:
    """STAFF-3: every given filter must match; names case-insensitive and exact (on the current identity).
    Persons with a staff number are found with or without positions (STAFF-7)."""

    staff_number: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    birthdate: date | None = None


def _filtered(stmt: Select[tuple[int]], district_id: int, f: StaffFilter) -> Select[tuple[int]]:
    current = (m.Identity.person_id == m.Person.id) & m.Identity.is_current.is_(True)
    stmt = stmt.join(m.Identity, current).where(m.Person.district_id == district_id, is_campus_staff())
    if f.staff_number is not None:
        stmt = stmt.where(m.Person.staff_number == f.staff_number)
    if f.last_name is not None:
        stmt = stmt.where(func.lower(m.Identity.last_name) == f.last_name.strip().lower())
    if f.first_name is not None:
        stmt = stmt.where(func.lower(m.Identity.first_name) == f.first_name.strip().lower())
    if f.birthdate is not None:
        stmt = stmt.where(m.Identity.birthdate == f.birthdate)
    return stmt


def search(session: Session, district_id: int, f: StaffFilter, *, limit: int, offset: int
           ) -> tuple[int, list[m.Person]]:
    """The total count and one page of matching persons, ordered by staff number then personID."""
    count: Select[tuple[int]] = select(func.count(func.distinct(m.Person.id)))
    total: int = session.scalar(_filtered(count, district_id, f)) or 0
    ids: list[int] = list(session.scalars(
        _filtered(select(m.Person.id), district_id, f)
        .order_by(m.Person.staff_number, m.Person.id).limit(limit).offset(offset)))
    if not ids:
        return total, []
    persons = session.scalars(select(m.Person).where(m.Person.id.in_(ids)).options(*with_details())).all()
    by_id = {p.id: p for p in persons}
    return total, [by_id[i] for i in ids]


def title_descriptions(session: Session, district_id: int, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.execute(select(m.Title.title_code, m.Title.description)
                           .where(m.Title.district_id == district_id, m.Title.title_code.in_(codes)))
    return {code: description for code, description in rows}
