"""Campus-side person lookups (a read model of the Campus UI): the Campus staff search (STAFF-7), the Combine
Person picker, and loading a person (the staff page, Combine Person). Reads only; the staff rules stay in
boi_mock/services/staff.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Exists, Select, String, cast, exists, func, or_, select
from sqlalchemy.orm import selectinload

from boi_mock import models as m
from boi_mock.domain.demographics import LISTED
from boi_mock.errors import NotFound
from boi_mock.services.context import DistrictContext


@dataclass(frozen=True)
class PersonRow:
    """A person found: the current identity's listed fields (`demographics.LISTED`: the names, gender, birth
    date; not the SSN, not the contact fields) by name, and whether they are staff."""

    person_id: int
    staff_number: str | None
    identity: dict[str, Any]
    positions: int
    synced: bool


def _has_position() -> Exists:
    return exists().where(m.DistrictAssignment.person_id == m.Person.id)


def _query(ctx: DistrictContext, text: str, *, staff_only: bool) -> Select[m.Person, m.Identity]:
    current = (m.Identity.person_id == m.Person.id) & m.Identity.is_current.is_(True)
    stmt = (select(m.Person, m.Identity).join(m.Identity, current)
            .where(m.Person.district_id == ctx.district_id))
    if staff_only:
        # STAFF-7: the Campus staff search shows persons with a district assignment only.
        stmt = stmt.where(_has_position())
    text = " ".join(text.split())
    # Names by prefix of their stored folded forms (`models.fold_name`, as STAFF-3): "émile" finds "ÉMILE" on
    # SQLite too, whose lower() folds ASCII only; % and _ typed are letters, not wildcards.
    last_name, first_name = m.Identity.last_name_folded, m.Identity.first_name_folded
    if text:
        if "," in text:
            last, _, first = (part.strip() for part in text.partition(","))
            stmt = stmt.where(last_name.startswith(m.fold_name(last), autoescape=True))
            if first:
                stmt = stmt.where(first_name.startswith(m.fold_name(first), autoescape=True))
        else:
            for word in text.split(" "):
                folded = m.fold_name(word)
                stmt = stmt.where(or_(last_name.startswith(folded, autoescape=True),
                                      first_name.startswith(folded, autoescape=True),
                                      func.lower(m.Person.staff_number).startswith(word.lower(), autoescape=True),
                                      cast(m.Person.id, String) == word))
    return stmt


def count(ctx: DistrictContext, text: str, *, staff_only: bool = True) -> int:
    stmt = _query(ctx, text, staff_only=staff_only)
    return int(ctx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def search(ctx: DistrictContext, text: str, *, staff_only: bool = True, limit: int = 50,
           offset: int = 0, total: int | None = None) -> tuple[int, list[PersonRow]]:
    """A page of matches and how many there are (`total` when the caller counted already)."""
    stmt = _query(ctx, text, staff_only=staff_only)
    if total is None:
        total = count(ctx, text, staff_only=staff_only)
    rows = ctx.session.execute(stmt.order_by(func.lower(m.Identity.last_name), func.lower(m.Identity.first_name),
                                             m.Person.id).limit(limit).offset(offset)).all()
    ids = [p.id for p, _ in rows]
    counts = dict(ctx.session.execute(
        select(m.DistrictAssignment.person_id, func.count(m.DistrictAssignment.id))
        .where(m.DistrictAssignment.person_id.in_(ids)).group_by(m.DistrictAssignment.person_id)).all()) if ids else {}
    return total, [PersonRow(p.id, p.staff_number, {f.name: getattr(i, f.name) for f in LISTED},
                             int(counts.get(p.id, 0)), p.synced_at is not None) for p, i in rows]


def get_person(ctx: DistrictContext, person_id: int) -> m.Person:
    person = ctx.session.scalars(
        select(m.Person).where(m.Person.id == person_id, m.Person.district_id == ctx.district_id)
        .options(selectinload(m.Person.identities), selectinload(m.Person.employments),
                 selectinload(m.Person.positions))).first()
    if person is None:
        raise NotFound(f"Person {person_id} does not exist in this district", code="person_not_found")
    return person


def names(ctx: DistrictContext, person_ids: list[int]) -> dict[int, str]:
    """personID → "Last, First" (current identity), for household members."""
    if not person_ids:
        return {}
    rows = ctx.session.execute(select(m.Identity.person_id, m.Identity.last_name, m.Identity.first_name)
                               .where(m.Identity.person_id.in_(person_ids), m.Identity.is_current.is_(True)))
    return {pid: f"{last}, {first}" for pid, last, first in rows}


def staff_flags(ctx: DistrictContext, person_ids: list[int]) -> dict[int, bool]:
    """personID → has a district assignment (STAFF-7), for household member badges."""
    if not person_ids:
        return {}
    with_position = set(ctx.session.scalars(select(m.DistrictAssignment.person_id)
                                            .where(m.DistrictAssignment.person_id.in_(person_ids))))
    return {pid: pid in with_position for pid in person_ids}
