"""Reading staff members: the staff member object (STAFF-3/4), and the control view (MOCK-4) the UI reuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from boi_mock import models as m
from boi_mock.clock import iso
from boi_mock.domain.demographics import DEMOGRAPHICS, LISTED, Demographics
from boi_mock.errors import Conflict, NotFound
from boi_mock.repositories import staff as repo
from boi_mock.schemas.staff import EmploymentOut, HouseholdOut, PositionOut, StaffMemberOut
from boi_mock.services import households
from boi_mock.services.context import DistrictContext
from boi_mock.services.districts import LOCK_FIELDS


def _one(staff_number: str, person_ids: list[int], person_id: int | None) -> int:
    """The one personID for a staff number: 404 none; 409 when Campus holds it twice (unless `person_id`
    picks one of them)."""
    if person_id is not None:
        person_ids = [i for i in person_ids if i == person_id]
    if not person_ids:
        which = f" and personID {person_id}" if person_id is not None else ""
        raise NotFound(f"No staff member with staffNumber {staff_number!r}{which}", code="staff_not_found")
    if len(person_ids) > 1:
        raise Conflict(
            f"Campus holds staff number {staff_number!r} {len(person_ids)} times (personIDs "
            f"{', '.join(map(str, person_ids))}); the district must fix this in Campus (Check Campus Data)",
            code="duplicate_campus_staff_number", extra={"personIDs": person_ids})
    return person_ids[0]


def find_person(ctx: DistrictContext, staff_number: str, *, person_id: int | None = None) -> m.Person:
    """The one person holding this staff number, with identities, employments and positions loaded."""
    persons = repo.by_staff_number(ctx.session, ctx.district_id, staff_number)
    chosen = _one(staff_number, [p.id for p in persons], person_id)
    return next(p for p in persons if p.id == chosen)


def current_identity(person: m.Person) -> m.Identity:
    current = [i for i in person.identities if i.is_current]
    if current:
        return current[-1]
    return person.identities[-1]


def titles_of(ctx: DistrictContext, persons: Iterable[m.Person]) -> dict[str, str]:
    codes = {p.title_code for person in persons for p in person.positions if p.title_code}
    return repo.title_descriptions(ctx.session, ctx.district_id, codes)


def _position_row(p: m.DistrictAssignment, titles: dict[str, str]) -> repo.PositionRow:
    return repo.PositionRow(p.school_number, p.assignment_code, p.title_code, titles.get(p.title_code or ""),
                            p.start_date, p.end_date, p.linked)


def _position_out(p: repo.PositionRow) -> PositionOut:
    return PositionOut(school_number=p.school_number, assignment_code=p.assignment_code, title_code=p.title_code,
                       title_description=p.title_description, start_date=p.start_date, end_date=p.end_date)


def position_out(p: m.DistrictAssignment, titles: dict[str, str]) -> PositionOut:
    return _position_out(_position_row(p, titles))


def member_out(member: repo.MemberRow, employments: Sequence[repo.EmploymentRow],
                positions: Sequence[repo.PositionRow], household: HouseholdOut | None) -> StaffMemberOut:
    """The staff member object (CONTRACT §4): the current identity, isStaff once there is a position."""
    return StaffMemberOut(
        person_id=member.person_id, staff_number=member.staff_number, **member.demographics,
        is_staff=bool(positions),
        employments=[EmploymentOut(hire_date=e.hire_date, termination_date=e.termination_date) for e in employments],
        positions=[_position_out(p) for p in positions],
        household=household,
    )


def staff_out(ctx: DistrictContext, person: m.Person, *, titles: dict[str, str] | None = None,
              shown: Mapping[int, HouseholdOut | None] | None = None) -> StaffMemberOut:
    """The staff member object of a loaded person (after a write). `titles` (descriptions by code) and
    `shown` (the household shown, by personID) save looking up again what the write already knows."""
    titles = titles_of(ctx, [person]) if titles is None else titles
    household = shown[person.id] if shown is not None else households.household_out(ctx, person)
    ident = current_identity(person)
    member = repo.MemberRow(person.id, person.staff_number, Demographics.of(ident).as_dict())
    return member_out(member, [repo.EmploymentRow(e.hire_date, e.termination_date) for e in person.employments],
                       [_position_row(p, titles) for p in person.positions], household)


def _households(ctx: DistrictContext, person_ids: Sequence[int]) -> dict[int, HouseholdOut | None]:
    # households_out only reads `Person.id`: transient stand-ins save loading the persons.
    return households.households_out(ctx, [m.Person(id=i) for i in person_ids])


def _members_out(ctx: DistrictContext, members: Sequence[repo.MemberRow]) -> list[StaffMemberOut]:
    ids = [mem.person_id for mem in members]
    employments = repo.employments_of(ctx.session, ids)
    positions = repo.positions_of(ctx.session, ctx.district_id, ids)
    shown = _households(ctx, ids)
    return [member_out(mem, employments[mem.person_id], positions[mem.person_id], shown[mem.person_id])
            for mem in members]


def read_staff(ctx: DistrictContext, staff_number: str) -> StaffMemberOut:
    """STAFF-4: the staff member by staff number (404 none, 409 duplicates in Campus)."""
    members = repo.members_by_staff_number(ctx.session, ctx.district_id, staff_number)
    chosen = _one(staff_number, [mem.person_id for mem in members], None)
    return _members_out(ctx, [mem for mem in members if mem.person_id == chosen])[0]


MAX_OFFSET = 2**62


def search(ctx: DistrictContext, *, staff_number: str | None = None, last_name: str | None = None,
           first_name: str | None = None, birthdate: date | None = None, limit: int, offset: int
           ) -> tuple[int, list[StaffMemberOut]]:
    """STAFF-3 (and STAFF-7: persons with a staff number are found with or without positions).

    An offset past any district's size finds nothing, as it should: it is cut to one the databases' 64-bit
    integers hold (a larger one would be an OverflowError, a 500), not refused.
    """
    offset = min(offset, MAX_OFFSET)
    f = repo.StaffFilter(staff_number, last_name, first_name, birthdate)
    total, members = repo.search_members(ctx.session, ctx.district_id, f, limit=limit, offset=offset)
    return total, _members_out(ctx, members)


def positions_out(ctx: DistrictContext, rows: Sequence[m.DistrictAssignment]) -> list[PositionOut]:
    codes = {r.title_code for r in rows if r.title_code}
    titles = repo.title_descriptions(ctx.session, ctx.district_id, codes)
    return [position_out(r, titles) for r in rows]


# --- the control view (MOCK-4), reused by the Campus UI ---------------------------------------------------

DEMOGRAPHIC_WIRE = tuple(f.wire for f in DEMOGRAPHICS)
LOCKED_BY = {
    "staffNumber": ("staffNumber",),
    "staffDemographics": DEMOGRAPHIC_WIRE,
    "staffEmployment": ("employments",),
    "staffEmploymentAssignments": ("positions",),
    "staffHousehold": ("household",),
}


def locked_fields(district: m.District, person: m.Person) -> list[str]:
    """PREF-1/STAFF-8: what the Campus UI may not edit. Only HR-managed persons (created or written by the
    API, or by a sync commit) are locked; Staff Creation is district-wide, not a field of a person."""
    if person.synced_at is None:
        return []
    out: list[str] = []
    for area, fields in LOCKED_BY.items():
        if getattr(district, LOCK_FIELDS[area]):
            out.extend(fields)
    return out


def person_view(ctx: DistrictContext, person: m.Person) -> dict[str, Any]:
    """MOCK-4: everything Campus holds for the person: identities oldest first (creation order), employments,
    positions with `linked`, the household, and what the Campus UI locks."""
    titles = titles_of(ctx, [person])
    ident = current_identity(person)
    return {
        "personID": person.id,
        "staffNumber": person.staff_number,
        "isStaff": bool(person.positions),
        "syncedAt": iso(person.synced_at),
        # The current identity's other demographics (the fields not listed per identity).
        "demographics": {f.wire: _wire(getattr(ident, f.name)) for f in DEMOGRAPHICS if not f.listed},
        "identities": [{
            **{f.wire: _wire(getattr(i, f.name)) for f in LISTED},
            "startDate": _d(i.start_date), "endDate": _d(i.end_date), "current": i.is_current,
        } for i in person.identities],
        "employments": [{"hireDate": _d(e.hire_date), "terminationDate": _d(e.termination_date)}
                        for e in person.employments],
        "positions": [position_out(p, titles).model_dump(mode="json", by_alias=True) | {"linked": p.linked}
                      for p in person.positions],
        "household": households.household_view(ctx, person),
        "locked": locked_fields(ctx.district, person),
    }


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _wire(value: Any) -> Any:
    """A demographic as JSON shows it (a date as YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, date) else value
