"""Staff households and their locations (HH-1..5): what the HR system's `household` does to Campus.

Decided (docs/addresses.md, "Households"):
* `household` absent or null → nothing happens; the API never deletes a household.
* Create (HH-1), or update of a person in no household → a new staff household, the person its
  only member. Update of the only member of a staff household → that household (HH-2). A person
  sharing any household with others → ignored (HH-3). A person alone in a household that is not a
  staff household → ignored too ("HH-2 ignored: not a staff household"): it is not HR's to change.
* `householdLocations` present is the complete set of current locations: a sent address the
  household is already at keeps its location (explicitly sent flags/dates updated in place);
  a new one gets a new location; a current location not sent ends the day before the call
  (never deleted). "Current": no endDate, or endDate ≥ the district's today.
* Defaults (HH-4) apply to what is created: name "<lastName> Household", mailing/physical true,
  secondary/private false, startDate today. On update an absent name is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import models as m
from app.schemas.staff import HouseholdIn, HouseholdLocationIn, HouseholdLocationOut, HouseholdOut
from app.services import addresses
from app.services.context import DistrictContext

FLAGS = ("mailing", "physical", "secondary", "private")
FLAG_DEFAULTS = {"mailing": True, "physical": True, "secondary": False, "private": False}


def default_name(last_name: str) -> str:
    return f"{last_name} Household"


def is_current(location: m.HouseholdLocation, today: date) -> bool:
    return location.end_date is None or location.end_date >= today


def _location_path(i: int) -> str:
    return f"household.householdLocations[{i}].address"


def check_household(household: HouseholdIn, field: str = "household") -> None:
    """ADDR-1..3 on every sent address, without the database (for validation ahead of a write, SYNC-2)."""
    for i, location in enumerate(household.household_locations or []):
        addresses.candidate_parts(location.address, f"{field}.householdLocations[{i}].address")


# --------------------------------------------------------------------------- loading


def _households_of(ctx: DistrictContext, person_ids: Sequence[int]) -> dict[int, list[m.Household]]:
    """Each person's households (members and locations with their addresses loaded), oldest first."""
    if not person_ids:
        return {}
    rows = ctx.session.execute(
        select(m.HouseholdMember.person_id, m.Household)
        .join(m.Household, m.Household.id == m.HouseholdMember.household_id)
        .where(m.HouseholdMember.district_id == ctx.district_id, m.HouseholdMember.person_id.in_(person_ids))
        .order_by(m.Household.id)
        .options(selectinload(m.Household.members),
                 selectinload(m.Household.locations).selectinload(m.HouseholdLocation.address))
    ).all()
    out: dict[int, list[m.Household]] = {}
    for person_id, household in rows:
        out.setdefault(person_id, []).append(household)
    return out


def _own_staff_household(households: list[m.Household]) -> m.Household | None:
    """The household HR writes to: a staff household with the person as its only member."""
    return next((h for h in households if h.staff_household and len(h.members) == 1), None)


def _shown(households: list[m.Household]) -> m.Household | None:
    """The household a staff member's read shows: the one HR writes to, else the oldest."""
    return _own_staff_household(households) or (households[0] if households else None)


# --------------------------------------------------------------------------- writing


def apply_household(ctx: DistrictContext, person: m.Person, household: HouseholdIn | None, *,
                    creating: bool, last_name: str) -> None:
    """Apply the HR system's household data to the person (HH-1..5). The caller holds the district lock."""
    if household is None:
        return
    if not ctx.district.allow_household_updates:
        ctx.fire("HH-5 ignored")
        return
    if person.id is None:
        ctx.session.flush()
    target: m.Household | None = None
    if not creating:
        households = _households_of(ctx, [person.id]).get(person.id, [])
        if any(len(h.members) > 1 for h in households):
            ctx.fire("HH-3 ignored")
            return
        target = _own_staff_household(households)
        if target is None and households:
            ctx.fire("HH-2 ignored: not a staff household")
            return
    sent = [(loc, addresses.resolve_for(ctx, loc.address, _location_path(i)))
            for i, loc in enumerate(household.household_locations or [])]
    if target is None:
        _create(ctx, person, household, sent, last_name)
    else:
        _update(ctx, target, household, sent)


def _create(ctx: DistrictContext, person: m.Person, household: HouseholdIn,
            sent: list[tuple[HouseholdLocationIn, m.Address]], last_name: str) -> None:
    """HH-1 (+ HH-4 defaults): a new staff household with the person as its only member."""
    if household.name is None:
        ctx.fire("HH-4 defaults")
    created = m.Household(district_id=ctx.district_id, name=household.name or default_name(last_name),
                          phone=household.phone, staff_household=True)
    created.members.append(m.HouseholdMember(district_id=ctx.district_id, person_id=person.id))
    ctx.session.add(created)
    _set_locations(ctx, created, sent)
    ctx.session.flush()
    ctx.fire("HH-1 staff household created")
    ctx.campus_changed()


def _update(ctx: DistrictContext, target: m.Household, household: HouseholdIn,
            sent: list[tuple[HouseholdLocationIn, m.Address]]) -> None:
    """HH-2: the person's own staff household follows the HR system; the old location is end-dated."""
    given = household.model_fields_set
    changed = False
    if household.name is not None and household.name != target.name:
        target.name = household.name
        changed = True
    if "phone" in given and household.phone != target.phone:
        target.phone = household.phone
        changed = True
    if household.household_locations is not None:
        changed = _set_locations(ctx, target, sent) or changed
    if changed:
        ctx.session.flush()
        ctx.fire("HH-2 household updated")
        ctx.campus_changed()
    else:
        ctx.fire("HH-2 unchanged")


def _set_locations(ctx: DistrictContext, household: m.Household,
                   sent: list[tuple[HouseholdLocationIn, m.Address]]) -> bool:
    """The sent locations become the household's current ones. True when anything changed."""
    today = ctx.clock.today()
    current: dict[int, m.HouseholdLocation] = {}
    for location in household.locations:
        if is_current(location, today):
            current.setdefault(location.address_id, location)
    keep: set[int] = set()
    changed = False
    for location_in, address in sent:
        keep.add(address.id)
        existing = current.get(address.id)
        if existing is None:
            current[address.id] = _new_location(ctx, household, location_in, address, today)
            changed = True
        else:
            changed = _update_location(existing, location_in) or changed
    for location in household.locations:
        if is_current(location, today) and location.address_id not in keep:
            # The day before the move: a location that began today thus never took effect.
            location.end_date = today - timedelta(days=1)
            ctx.fire("HH-2 location moved")
            changed = True
    return changed


def _new_location(ctx: DistrictContext, household: m.Household, location_in: HouseholdLocationIn,
                  address: m.Address, today: date) -> m.HouseholdLocation:
    values: dict[str, Any] = {flag: getattr(location_in, flag) for flag in FLAGS}
    if location_in.start_date is None or any(v is None for v in values.values()):
        ctx.fire("HH-4 defaults")
    location = m.HouseholdLocation(
        district_id=ctx.district_id, address_id=address.id, address=address,
        start_date=location_in.start_date or today, end_date=location_in.end_date,
        **{flag: FLAG_DEFAULTS[flag] if value is None else value for flag, value in values.items()},
    )
    household.locations.append(location)
    return location


def _update_location(location: m.HouseholdLocation, location_in: HouseholdLocationIn) -> bool:
    """Same address: only what the HR system sent explicitly changes (null endDate clears it)."""
    changed = False
    given = location_in.model_fields_set
    updates: dict[str, Any] = {flag: getattr(location_in, flag) for flag in FLAGS
                               if flag in given and getattr(location_in, flag) is not None}
    if location_in.start_date is not None:
        updates["start_date"] = location_in.start_date
    if "end_date" in given:
        updates["end_date"] = location_in.end_date
    for name, value in updates.items():
        if getattr(location, name) != value:
            setattr(location, name, value)
            changed = True
    return changed


# --------------------------------------------------------------------------- reading


def _location_out(location: m.HouseholdLocation) -> HouseholdLocationOut:
    return HouseholdLocationOut(
        address=addresses.address_out(location.address), start_date=location.start_date,
        end_date=location.end_date, mailing=location.mailing, physical=location.physical,
        secondary=location.secondary, private=location.private,
    )


def households_out(ctx: DistrictContext, persons: Sequence[m.Person]) -> dict[int, HouseholdOut | None]:
    """`household_out` for many persons in three queries (staff search, STAFF-3)."""
    today = ctx.clock.today()
    by_person = _households_of(ctx, [p.id for p in persons])
    out: dict[int, HouseholdOut | None] = {}
    for person in persons:
        shown = _shown(by_person.get(person.id, []))
        out[person.id] = None if shown is None else HouseholdOut(
            name=shown.name, phone=shown.phone,
            household_locations=[_location_out(loc) for loc in shown.locations if is_current(loc, today)],
        )
    return out


def household_out(ctx: DistrictContext, person: m.Person) -> HouseholdOut | None:
    """The person's household as the staff member object shows it (current locations only); None when none."""
    return households_out(ctx, [person])[person.id]


def household_view(ctx: DistrictContext, person: m.Person) -> dict[str, Any] | None:
    """MOCK-4: everything Campus holds about the person's household, end-dated locations included (JSON-ready)."""
    shown = _shown(_households_of(ctx, [person.id]).get(person.id, []))
    if shown is None:
        return None
    return {
        "householdID": shown.id,
        "name": shown.name,
        "phone": shown.phone,
        "staffHousehold": shown.staff_household,
        "members": [member.person_id for member in shown.members],
        "locations": [_location_out(loc).model_dump(mode="json", by_alias=True) for loc in shown.locations],
    }
