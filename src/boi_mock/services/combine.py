"""Combine Person: two Campus persons who are one human become one (guide: "An existing Student/Parent
becomes an Employee").

The HR system cannot find a student or parent it hires (they have no staff number), so the API
creates a second person. The district combines the two, with the new staff member as the base
person. Decided rules (docs/ui.md, "Combine Person"):

* COMBINE-1 Both persons exist in the district and are two different persons (404 / 400).
* COMBINE-2 Staff numbers: the base keeps its own or takes the other's; two different staff numbers
  → 409 `combine_staff_number_conflict` (fix the numbers first: the HR system would lose one).
* COMBINE-3 Identities: the other's identities become history of the base (not current; an open
  one is end-dated like IDENT-1 would). The base's current identity stays current; its empty
  demographics (gender, SSN, birthdate, phones, emails) are filled from the other's current identity.
* COMBINE-4 Employments and district assignments move to the base; exact duplicates are dropped
  (a dropped position passes its `linked` flag on).
* COMBINE-5 Household memberships move to the base. When the base then shares a household with other
  members, its own one-person staff household (the one the API created, HH-1) is removed: the
  family's household is the real one, and HH-3 then keeps the HR system from moving the students.
  Addresses are never deleted (one per district, ADDR-4).
* COMBINE-6 The other person is deleted; the base stays HR-managed if either was (SYNC-8).

A Campus write: the caller holds the district lock, and a validated sync becomes stale (SYNC-5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from boi_mock import models as m
from boi_mock.domain import identities as ident_rules
from boi_mock.errors import BadRequest, Conflict
from boi_mock.services.context import DistrictContext
from boi_mock.services.people import get_person


@dataclass(frozen=True)
class CombineResult:
    base_person_id: int
    removed_person_id: int
    staff_number: str | None
    identities_moved: int
    employments_moved: int
    positions_moved: int
    duplicates_dropped: int
    households_joined: list[int] = field(default_factory=list)
    households_removed: list[int] = field(default_factory=list)
    demographics_filled: list[str] = field(default_factory=list)


def suggest_base(a: m.Person, b: m.Person) -> m.Person:
    """The default base person: the new staff member (with a position, else a staff number, else the newer)."""
    def rank(p: m.Person) -> tuple[bool, bool, int]:
        return bool(p.positions), p.staff_number is not None, p.id
    return a if rank(a) >= rank(b) else b


def _current(person: m.Person) -> m.Identity | None:
    current = [i for i in person.identities if i.is_current]
    return current[-1] if current else (person.identities[-1] if person.identities else None)


def _memberships(ctx: DistrictContext, person_id: int) -> list[m.HouseholdMember]:
    return list(ctx.session.scalars(select(m.HouseholdMember).where(
        m.HouseholdMember.district_id == ctx.district_id, m.HouseholdMember.person_id == person_id)
        .order_by(m.HouseholdMember.id)))


def _move_identities(ctx: DistrictContext, base: m.Person, other: m.Person) -> tuple[int, list[str]]:
    """COMBINE-3."""
    today = ctx.clock.today()
    base_current = _current(base)
    other_current = _current(other)
    filled: list[str] = []
    if base_current is not None and other_current is not None:
        for name in ident_rules.OTHER_FIELDS:
            if getattr(base_current, name) is None and getattr(other_current, name) is not None:
                setattr(base_current, name, getattr(other_current, name))
                filled.append(name)
    moved = list(other.identities)
    for ident in moved:
        if ident.is_current or ident.end_date is None:
            ident.end_date = ident.end_date or ident_rules.previous_end_date(ident.start_date, today)
        ident.is_current = False
        other.identities.remove(ident)
        base.identities.append(ident)
    return len(moved), filled


def _move_employments(base: m.Person, other: m.Person) -> tuple[int, int]:
    """COMBINE-4 (employments): records equal on hire and termination date are one record."""
    have = {(e.hire_date, e.termination_date) for e in base.employments}
    moved = dropped = 0
    for employment in list(other.employments):
        other.employments.remove(employment)
        key = (employment.hire_date, employment.termination_date)
        if key in have:
            dropped += 1
            continue
        have.add(key)
        base.employments.append(employment)
        moved += 1
    return moved, dropped


def _move_positions(base: m.Person, other: m.Person) -> tuple[int, int]:
    """COMBINE-4 (district assignments): equal on school, codes and dates → one position, linked if either was."""
    def key(p: m.DistrictAssignment) -> tuple[object, ...]:
        return p.school_number, p.assignment_code, p.title_code, p.start_date, p.end_date
    have = {key(p): p for p in base.positions}
    moved = dropped = 0
    for position in list(other.positions):
        other.positions.remove(position)
        kept = have.get(key(position))
        if kept is not None:
            kept.linked = kept.linked or position.linked
            dropped += 1
            continue
        have[key(position)] = position
        base.positions.append(position)
        moved += 1
    return moved, dropped


def _move_households(ctx: DistrictContext, base: m.Person, other: m.Person) -> tuple[list[int], list[int]]:
    """COMBINE-5."""
    base_members = _memberships(ctx, base.id)
    in_base = {mb.household_id for mb in base_members}
    joined: list[int] = []
    for membership in _memberships(ctx, other.id):
        if membership.household_id in in_base:
            ctx.session.delete(membership)
        else:
            membership.person_id = base.id
            in_base.add(membership.household_id)
            joined.append(membership.household_id)
    ctx.session.flush()
    households = list(ctx.session.scalars(
        select(m.Household).where(m.Household.id.in_(in_base)).options(selectinload(m.Household.members))
        .execution_options(populate_existing=True)))
    shared = [h for h in households if len(h.members) > 1]
    removed: list[int] = []
    if shared:
        for household in households:
            if household.staff_household and len(household.members) == 1:
                removed.append(household.id)
                ctx.session.delete(household)
    return joined, removed


def combine(ctx: DistrictContext, base_person_id: int, other_person_id: int) -> CombineResult:
    """Merge `other` into `base` (COMBINE-1..6) and delete `other`."""
    if base_person_id == other_person_id:
        raise BadRequest.field("personID", "same_person", "Pick two different persons to combine")
    base = get_person(ctx, base_person_id)
    other = get_person(ctx, other_person_id)
    if base.staff_number and other.staff_number and base.staff_number != other.staff_number:
        raise Conflict(
            f"Both persons have a staff number ({base.staff_number} and {other.staff_number}); change one in "
            "Campus (or in the HR system) before combining, so the HR system keeps finding its staff member",
            code="combine_staff_number_conflict")
    staff_number = base.staff_number or other.staff_number
    other.staff_number = None
    ctx.session.flush()
    base.staff_number = staff_number
    if other.synced_at is not None and (base.synced_at is None or other.synced_at > base.synced_at):
        base.synced_at = other.synced_at
    identities_moved, filled = _move_identities(ctx, base, other)
    employments_moved, employments_dropped = _move_employments(base, other)
    positions_moved, positions_dropped = _move_positions(base, other)
    ctx.session.flush()
    joined, removed = _move_households(ctx, base, other)
    removed_id = other.id
    ctx.session.delete(other)
    ctx.session.flush()
    ctx.campus_changed()
    ctx.fire("COMBINE")
    return CombineResult(
        base_person_id=base.id, removed_person_id=removed_id, staff_number=staff_number,
        identities_moved=identities_moved, employments_moved=employments_moved, positions_moved=positions_moved,
        duplicates_dropped=employments_dropped + positions_dropped, households_joined=joined,
        households_removed=removed, demographics_filled=filled,
    )
