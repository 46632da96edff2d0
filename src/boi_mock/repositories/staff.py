"""Typed selects for staff members: persons by staff number (ORM, for writes), a new staff member's INSERTs,
and the read model.

The read model (`MemberRow`, `EmploymentRow`, `PositionRow`) serves GET /staffMembers[/{n}] with
three plain column selects (person + current identity, employments, positions + title), without
building ORM objects: reads are the hot path of an HR integration. The hot statements are built once, at
import, with bound parameters: building a `select()` costs more than SQLite takes to run it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from boi_mock import models as m

Ident, P = m.Identity, m.Person
_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


def with_details() -> list[ExecutableOption]:
    """Everything a staff member object shows, loaded in one round-trip per collection."""
    return [selectinload(P.identities), selectinload(P.employments), selectinload(P.positions)]


def by_staff_number(session: Session, district_id: int, staff_number: str, *,
                    details: bool = True) -> list[m.Person]:
    """All persons holding this staff number: normally 0 or 1; more when Campus holds duplicates."""
    stmt = select(P).where(P.district_id == district_id, P.staff_number == staff_number).order_by(P.id)
    if details:
        stmt = stmt.options(*with_details())
    return list(session.scalars(stmt))


_TAKEN = (select(P.id).where(P.district_id == bindparam("district_id"), P.staff_number == bindparam("staff_number"))
          .limit(1))


def staff_number_taken(session: Session, district_id: int, staff_number: str) -> bool:
    return session.scalar(_TAKEN, {"district_id": district_id, "staff_number": staff_number}) is not None


def is_campus_staff() -> ColumnElement[bool]:
    """SYNC-10's "Campus staff": a staff number, a position or an employment (students/parents are not)."""
    return or_(P.staff_number.is_not(None),
               exists().where(m.DistrictAssignment.person_id == P.id),
               exists().where(m.Employment.person_id == P.id))


_TITLES = select(m.Title.title_code, m.Title.description).where(
    m.Title.district_id == bindparam("district_id"), m.Title.title_code.in_(bindparam("codes", expanding=True)))


def title_descriptions(session: Session, district_id: int, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.execute(_TITLES, {"district_id": district_id, "codes": sorted(codes)})
    return {code: description for code, description in rows}


# --- the read model ---------------------------------------------------------------------------------------


# The identity's demographic columns: every column but the bookkeeping ones, in table order. The field list
# itself is `domain.demographics.DEMOGRAPHICS` (tests/unit/test_demographic_fields.py checks the two agree).
_IDENTITY_BOOKKEEPING = frozenset({"id", "district_id", "person_id", "start_date", "end_date", "is_current",
                                   "last_name_folded", "first_name_folded"})
DEMOGRAPHIC_COLUMNS = tuple(getattr(Ident, c.key) for c in Ident.__table__.c if c.key not in _IDENTITY_BOOKKEEPING)
DEMOGRAPHIC_NAMES = tuple(c.key for c in DEMOGRAPHIC_COLUMNS)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A person with their current identity's demographics (by field name)."""

    person_id: int
    staff_number: str | None
    demographics: dict[str, Any]

    @classmethod
    def of(cls, row: Sequence[Any]) -> MemberRow:
        """From a row of `_MEMBER_COLUMNS` (personID, staff number, `DEMOGRAPHIC_COLUMNS`)."""
        return cls(row[0], row[1], dict(zip(DEMOGRAPHIC_NAMES, row[2:])))  # noqa: B905 (hot: a read of every row)


@dataclass(frozen=True, slots=True)
class EmploymentRow:
    hire_date: date | None
    termination_date: date | None


@dataclass(frozen=True, slots=True)
class PositionRow:
    school_number: str
    assignment_code: str | None
    title_code: str | None
    title_description: str | None
    start_date: date | None
    end_date: date | None
    linked: bool


# --- creating a staff member ------------------------------------------------------------------------------

_INSERT_PERSON = insert(P).returning(P.id)
_INSERT_PERSONS = insert(P).returning(P.id, sort_by_parameter_order=True)
_INSERT_IDENTITY, _INSERT_EMPLOYMENT = insert(Ident), insert(m.Employment)
_INSERT_POSITION = insert(m.DistrictAssignment)


@dataclass(frozen=True, slots=True)
class NewStaff:
    """What a new staff member's rows hold: its current identity's columns, employments and positions."""

    staff_number: str
    identity: Mapping[str, Any]
    employments: Sequence[EmploymentRow]
    positions: Sequence[PositionRow]


def _identity_row(owner: Mapping[str, int], identity: Mapping[str, Any]) -> dict[str, Any]:
    return {**owner, **identity, "is_current": True, "end_date": None,
            "last_name_folded": m.fold_name(identity["last_name"]),
            "first_name_folded": m.fold_name(identity["first_name"])}


def _employment_rows(owner: Mapping[str, int], employments: Sequence[EmploymentRow]) -> list[dict[str, Any]]:
    return [{**owner, "hire_date": e.hire_date, "termination_date": e.termination_date} for e in employments]


def _position_rows(owner: Mapping[str, int], positions: Sequence[PositionRow]) -> list[dict[str, Any]]:
    return [{**owner, "school_number": p.school_number, "assignment_code": p.assignment_code,
             "title_code": p.title_code, "start_date": p.start_date, "end_date": p.end_date, "linked": p.linked}
            for p in positions]


def insert_staff(session: Session, district_id: int, staff_number: str, at: datetime, *,
                 identity: Mapping[str, Any], employments: Sequence[EmploymentRow],
                 positions: Sequence[PositionRow]) -> int:
    """A new person with one current identity, employments and positions, in list order; returns the personID.

    Plain INSERTs on the session's connection (its transaction): the ORM unit of work cost a create more
    than the database did. Nothing else happens on insert, except that the folded names (`Identity._fold`)
    are written here."""
    connection = session.connection()
    person_id: int = connection.execute(_INSERT_PERSON, {"district_id": district_id, "staff_number": staff_number,
                                                         "created_at": at, "synced_at": at}).scalar_one()
    owner = {"district_id": district_id, "person_id": person_id}
    connection.execute(_INSERT_IDENTITY, _identity_row(owner, identity))
    if employments:
        connection.execute(_INSERT_EMPLOYMENT, _employment_rows(owner, employments))
    if positions:
        connection.execute(_INSERT_POSITION, _position_rows(owner, positions))
    return person_id


def insert_staff_many(session: Session, district_id: int, at: datetime, staff: Sequence[NewStaff]) -> list[int]:
    """`insert_staff` for many staff members at once: one executemany per table, rows in list order (so the
    ids are the ones `insert_staff` called in that order would give); returns the personIDs in list order."""
    if not staff:
        return []
    connection = session.connection()
    person_ids = list(connection.execute(_INSERT_PERSONS, [
        {"district_id": district_id, "staff_number": s.staff_number, "created_at": at, "synced_at": at}
        for s in staff]).scalars())
    identities: list[dict[str, Any]] = []
    employments: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    for person_id, s in zip(person_ids, staff, strict=True):
        owner = {"district_id": district_id, "person_id": person_id}
        identities.append(_identity_row(owner, s.identity))
        employments += _employment_rows(owner, s.employments)
        positions += _position_rows(owner, s.positions)
    connection.execute(_INSERT_IDENTITY, identities)
    if employments:
        connection.execute(_INSERT_EMPLOYMENT, employments)
    if positions:
        connection.execute(_INSERT_POSITION, positions)
    return person_ids


_MEMBER_COLUMNS = (P.id.label("person_id"), P.staff_number, *DEMOGRAPHIC_COLUMNS)


def _members() -> Select[*tuple[Any, ...]]:
    return select(*_MEMBER_COLUMNS).join(Ident, and_(Ident.person_id == P.id, Ident.is_current.is_(True)))


_BY_STAFF_NUMBER = (_members().where(P.district_id == bindparam("district_id"),
                                      P.staff_number == bindparam("staff_number")).order_by(P.id))


def members_by_staff_number(session: Session, district_id: int, staff_number: str) -> list[MemberRow]:
    rows = session.execute(_BY_STAFF_NUMBER, {"district_id": district_id, "staff_number": staff_number})
    return [MemberRow.of(row) for row in rows]


@dataclass(frozen=True)
class StaffFilter:
    """STAFF-3: every given filter must match; names case-insensitive and exact (on the current identity),
    compared folded (`models.fold_name`: Unicode case folding, "ÖZDEMIR" finds "Özdemir").
    Persons with a staff number are found with or without positions (STAFF-7)."""

    staff_number: str | None = None
    last_name: str | None = None
    first_name: str | None = None
    birthdate: date | None = None


def _filtered(stmt: _S, district_id: int, f: StaffFilter) -> _S:
    stmt = stmt.where(P.district_id == district_id, is_campus_staff())
    if f.staff_number is not None:
        stmt = stmt.where(P.staff_number == f.staff_number)
    if f.last_name is not None or f.first_name is not None:
        # The identity's own district_id leads the folded-name indexes (it is always the person's).
        stmt = stmt.where(Ident.district_id == district_id)
    if f.last_name is not None:
        stmt = stmt.where(Ident.last_name_folded == m.fold_name(f.last_name.strip()))
    if f.first_name is not None:
        stmt = stmt.where(Ident.first_name_folded == m.fold_name(f.first_name.strip()))
    if f.birthdate is not None:
        stmt = stmt.where(Ident.birthdate == f.birthdate)
    return stmt


def search_members(session: Session, district_id: int, f: StaffFilter, *, limit: int, offset: int
                   ) -> tuple[int, list[MemberRow]]:
    """The total count and one page of matching members, ordered by staff number then personID.

    One pass finds the matches for both (the total is a window count); only a page past the end needs a
    second query for the total."""
    total_column = func.count().over().label("total")
    rows = session.execute(_filtered(_members().add_columns(total_column), district_id, f)
                           .order_by(P.staff_number, P.id).limit(limit).offset(offset)).all()
    if rows:
        return int(rows[0].total), [MemberRow.of(row[:-1]) for row in rows]
    if offset == 0:
        return 0, []
    count = select(func.count()).select_from(P).join(Ident, and_(Ident.person_id == P.id, Ident.is_current.is_(True)))
    return session.scalar(_filtered(count, district_id, f)) or 0, []


_EMPLOYMENTS = (select(m.Employment.person_id, m.Employment.hire_date, m.Employment.termination_date)
                .where(m.Employment.person_id.in_(bindparam("person_ids", expanding=True)))
                .order_by(m.Employment.id))


def employments_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[EmploymentRow]]:
    out: dict[int, list[EmploymentRow]] = defaultdict(list)
    if person_ids:
        for person_id, hire, termination in session.execute(_EMPLOYMENTS, {"person_ids": list(person_ids)}):
            out[person_id].append(EmploymentRow(hire, termination))
    return out


_D, _T = m.DistrictAssignment, m.Title
_POSITIONS = (select(_D.person_id, _D.school_number, _D.assignment_code, _D.title_code, _T.description,
                     _D.start_date, _D.end_date, _D.linked)
              .outerjoin(_T, and_(_T.district_id == bindparam("district_id"), _T.title_code == _D.title_code))
              .where(_D.person_id.in_(bindparam("person_ids", expanding=True))).order_by(_D.id))


def positions_of(session: Session, district_id: int, person_ids: Sequence[int]) -> dict[int, list[PositionRow]]:
    out: dict[int, list[PositionRow]] = defaultdict(list)
    if person_ids:
        rows = session.execute(_POSITIONS, {"district_id": district_id, "person_ids": list(person_ids)})
        for person_id, school, code, title_code, description, start, end, linked in rows:
            out[person_id].append(PositionRow(school, code, title_code, description, start, end, linked))
    return out
