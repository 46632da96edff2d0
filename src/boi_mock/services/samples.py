"""Examples picked from a district's own data, for the Campus UI's walk-throughs (a read model: no rule here)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boi_mock import models as m


@dataclass(frozen=True)
class Staff:
    person_id: int
    staff_number: str
    last_name: str
    first_name: str


def _current_names(district_id: int) -> Any:
    return (select(m.Person.id, m.Person.staff_number, m.Identity.last_name, m.Identity.first_name)
            .join(m.Identity, (m.Identity.person_id == m.Person.id) & m.Identity.is_current.is_(True))
            .where(m.Person.district_id == district_id, m.Person.staff_number.is_not(None)))


def staff_with_position(session: Session, district_id: int, *, shared_household: bool) -> Staff | None:
    with_position = select(m.DistrictAssignment.person_id).where(m.DistrictAssignment.district_id == district_id)
    members = (select(m.HouseholdMember.household_id)
               .where(m.HouseholdMember.district_id == district_id)
               .group_by(m.HouseholdMember.household_id).having(func.count(m.HouseholdMember.id) > 1))
    in_shared = select(m.HouseholdMember.person_id).where(m.HouseholdMember.household_id.in_(members))
    stmt = _current_names(district_id).where(m.Person.id.in_(with_position))
    stmt = stmt.where(m.Person.id.in_(in_shared) if shared_household else m.Person.id.not_in(in_shared))
    row = session.execute(stmt.order_by(m.Person.staff_number, m.Person.id).limit(1)).first()
    return Staff(row[0], row[1], row[2], row[3]) if row else None


def address_with_variant(session: Session, district_id: int, tags: Collection[str]
                         ) -> tuple[m.Address, int | None] | None:
    """The first address a differently spelled street (long forms of `tags`) would still match, and a resident."""
    stmt = (select(m.Address).where(m.Address.district_id == district_id, m.Address.post_office_box.is_(False),
                                    (m.Address.prefix.is_not(None)) | (m.Address.direction.is_not(None)),
                                    m.Address.tag.in_(list(tags)))
            .order_by(m.Address.id).limit(1))
    address = session.scalars(stmt).first()
    if address is None:
        return None
    resident = session.scalar(
        select(m.HouseholdMember.person_id)
        .join(m.HouseholdLocation, m.HouseholdLocation.household_id == m.HouseholdMember.household_id)
        .where(m.HouseholdLocation.address_id == address.id).order_by(m.HouseholdMember.person_id).limit(1))
    return address, resident


def first_position(session: Session, person_id: int) -> m.DistrictAssignment | None:
    return session.scalars(select(m.DistrictAssignment).where(m.DistrictAssignment.person_id == person_id)
                           .order_by(m.DistrictAssignment.id).limit(1)).first()
