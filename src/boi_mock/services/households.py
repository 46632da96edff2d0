"""Staff households and their locations (HH-1..5): what the HR system's `household` does to Campus.

Decided (docs/addresses.md, "Households"):
* `household` absent or null → nothing happens; the API never deletes a household.
* Create (HH-1), or update of a person in no household → a new staff household, the person its
  only member. Update of the only member of a staff household → that household (HH-2). A person
  sharing any household with others → ignored (HH-3). A person alone in a household that is not a
  staff household → ignored too ("HH-2 ignored: not a staff household"): it is not HR's to change.
* `householdLocations` present is the complete set of current locations: a sent address the
  household is already at keeps its location (explicitly sent flags/dates updated in place);
  a new one gets a new location; a current location not sent ends the day before the call, or the
  call date when it began that day (never deleted, never ending before it starts). "Current": no
  endDate, or endDate ≥ the district's today, but not one a move ended the day it began
  (`domain/locations.py`).
* Defaults (HH-4) apply to what is created: name "<lastName> Household", mailing/physical true,
  secondary/private false, startDate today. On update an absent name is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from boi_mock import models as m
from boi_mock.domain import locations
from boi_mock.schemas.staff import HouseholdIn, HouseholdLocationIn, HouseholdLocationOut, HouseholdOut
from boi_mock.services import addresses
from boi_mock.services.context import DistrictContext

FLAGS = ("mailing", "physical", "secondary", "private")
FLAG_DEFAULTS = {"mailing": True, "physical": True, "secondary": False, "private": False}


def default_name(last_name: str) -> str:
    return f"{last_name} Household"


def is_current(location: m.HouseholdLocation, today: date) -> bool:
    return locations.is_current(location.start_date, location.end_date, today)


def _location_path(i: int) -> str:
    return f"household.householdLocations[{i}].address"


# --------------------------------------------------------------------------- loading


# By person_id alone (the ids are the district's persons): with `household_member.district_id = ?` too,
# SQLite chose that index and read every member of the district (65 ms per staff read at 100k persons).
# Built once: every staff read runs it, and building it (loader options included) cost more than running it.
_HOUSEHOLDS_OF = (
    select(m.HouseholdMember.person_id, m.Household)
    .join(m.Household, m.Household.id == m.HouseholdMember.household_id)
    .where(m.HouseholdMember.person_id.in_(bindparam("person_ids", expanding=True)))
    .order_by(m.Household.id)
    .options(selectinload(m.Household.members),
             selectinload(m.Household.locations).selectinload(m.HouseholdLocation.address))
)


def _households_of(ctx: DistrictContext, person_ids: Sequence[int]) -> dict[int, list[m.Household]]:
    """Each person's households (members and locations with their addresses loaded), oldest first."""
    if not person_ids:
        return {}
    rows = ctx.session.execute(_HOUSEHOLDS_OF, {"person_ids": list(person_ids)}).all()
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


def _target(ctx: DistrictContext, person: m.Person | None) -> tuple[str | None, m.Household | None]:
    """Which household the HR data goes to: (None, household) to update, (None, None) to create a new
    one, or (rule, None) when it is ignored, naming the rule for the journal."""
    if not ctx.district.allow_household_updates:
        return "HH-5 ignored", None
    if person is None or person.id is None:
        return None, None
    households = _households_of(ctx, [person.id]).get(person.id, [])
    if any(len(h.members) > 1 for h in households):
        return "HH-3 ignored", None
    target = _own_staff_household(households)
    if target is None and households:
        return "HH-2 ignored: not a staff household", None
    return None, target


def accepts_household(ctx: DistrictContext, person: m.Person | None) -> bool:
    """Whether the person's household data would be applied (None: a person being created).

    When it is not (HH-3, HH-5), it is ignored entirely, so its addresses must not fail the call.
    """
    ignored, _target_household = _target(ctx, person)
    return ignored is None


def apply_household(ctx: DistrictContext, person: m.Person, household: HouseholdIn | None, *,
                    creating: bool, last_name: str,
                    parsed: Mapping[int, addresses.Candidates] | None = None) -> None:
    """Apply the HR system's household data to the person (HH-1..5). The caller holds the district lock.

    `parsed`: the ADDR-5 candidates of the locations' addresses by index, from the caller's checks
    (`staff_checks.check_staff`), so an address is parsed once per call."""
    if household is None:
        return
    if person.id is None:
        ctx.session.flush()
    ignored, target = _target(ctx, None if creating else person)
    if ignored is not None:
        ctx.fire(ignored)
        return
    parsed = parsed or {}
    sent = [(loc, addresses.resolve_for(ctx, loc.address, _location_path(i), candidates=parsed.get(i)))
            for i, loc in enumerate(household.household_locations or [])]
    if target is None:
        _create(ctx, person, household, sent, last_name)
    else:
        _update(ctx, target, household, sent)


def clean(value: str | None) -> str | None:
    """Blank is absent (HR systems send "" for what they do not have)."""
    if value is None or not value.strip():
        return None
    return value.strip()


def _create(ctx: DistrictContext, person: m.Person, household: HouseholdIn,
            sent: list[tuple[HouseholdLocationIn, m.Address]], last_name: str) -> None:
    """HH-1 (+ HH-4 defaults): a new staff household with the person as its only member."""
    if clean(household.name) is None:
        ctx.fire("HH-4 defaults")
    created = m.Household(district_id=ctx.district_id, name=clean(household.name) or default_name(last_name),
                          phone=clean(household.phone), staff_household=True)
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
    name, phone = clean(household.name), clean(household.phone)
    if name is not None and name != target.name:
        target.name = name
        changed = True
    if "phone" in given and phone != target.phone:
        target.phone = phone
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
    keep: set[int] = set()
    changed = False
    for location_in, address in sent:
        keep.add(address.id)
        existing = _matching_location(household, location_in, address, today)
        if existing is None:
            _new_location(ctx, household, location_in, address, today)
            changed = True
        else:
            changed = _update_location(existing, location_in) or changed
    for location in household.locations:
        if is_current(location, today) and location.address_id not in keep:
            # The day before the move; the call date when it began today (never before its start).
            location.end_date = locations.moved_out_end_date(location.start_date, today)
            ctx.fire("HH-2 location moved")
            changed = True
    return changed


def _matching_location(household: m.Household, location_in: HouseholdLocationIn, address: m.Address,
                       today: date) -> m.HouseholdLocation | None:
    """The household's location at this address: the current one, else (for a sent past location) the
    one with the same dates, so sending the same history twice does not duplicate it."""
    at_address = [loc for loc in household.locations if loc.address_id == address.id]
    current = next((loc for loc in at_address if is_current(loc, today)), None)
    if current is not None or location_in.end_date is None:
        return current
    return next((loc for loc in at_address if (loc.start_date, loc.end_date)
                 == (location_in.start_date or today, location_in.end_date)), None)


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
    today = ctx.clock.today()
    return {
        "householdID": shown.id,
        "name": shown.name,
        "phone": shown.phone,
        "staffHousehold": shown.staff_household,
        "members": [member.person_id for member in shown.members],
        # `current` as the staff member object and the sync report judge it (HH-2: a same-day move's end is not).
        "locations": [{**_location_out(loc).model_dump(mode="json", by_alias=True), "current": is_current(loc, today)}
                      for loc in shown.locations],
    }
