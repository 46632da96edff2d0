"""The district's figures on the trainers' home page (a read model of the Campus UI): plain counts, no rule
beyond STAFF-7's "staff"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from boi_mock import models as m


@dataclass(frozen=True)
class Figures:
    persons: int
    staff: int
    households: int
    addresses: int
    errors: int
    unread_messages: int


def _count(session: Session, column: InstrumentedAttribute[int], *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count(column)).where(*where)) or 0)


def figures(session: Session, district_id: int) -> Figures:
    # STAFF-7: a person is staff in Campus once they have a position (district assignment).
    staff = int(session.scalar(
        select(func.count(func.distinct(m.DistrictAssignment.person_id)))
        .where(m.DistrictAssignment.district_id == district_id)) or 0)
    return Figures(
        persons=_count(session, m.Person.id, m.Person.district_id == district_id),
        staff=staff,
        households=_count(session, m.Household.id, m.Household.district_id == district_id),
        addresses=_count(session, m.Address.id, m.Address.district_id == district_id),
        errors=_count(session, m.ErrorLogEntry.id, m.ErrorLogEntry.district_id == district_id),
        unread_messages=_count(session, m.Message.id, m.Message.district_id == district_id,
                               m.Message.read.is_(False)),
    )
