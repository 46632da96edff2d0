"""SYNC-6/7: the commit's new staff members, created set-wise (issue 12 item 8).

A first synchronization creates every HR staff member. One `create_staff` each (a SAVEPOINT, ORM flushes of
the household, its member, location and address, a lookup per address, a notification query, two
`data_version` UPDATEs) cost ~7 ms a staff member, 140 s for 20,000. Here the consecutive new staff members
of a commit chunk are built in Python and written with one executemany per table.

The rules are `create_staff`'s, applied in the same order, so the rows are the ones the per-staff path
writes (ids included, as each table's rows are inserted in staff order); `test_sync6_set_wise_create_
writes_the_rows_of_the_per_staff_create` compares both:

* `check_staff` per staff member (STAFF-1/2, POS-1..3, ADDR-1..3): a staff member with problems fails
  alone (the caller records its outcome and Error Log row), as `create_staff` raising in its SAVEPOINT;
* POS-5: an unknown titleCode becomes a title once, with the description of its first staff member;
* STAFF-5 person + current identity dated today, EMP-1 employments, positions; synced (SYNC-8);
* HH-1/HH-4/HH-5: a staff household with its only member and locations (`households._set_locations`'
  rules for a new household); ADDR-4/5: each location's address is the first candidate key Campus holds,
  counting the addresses created by earlier staff members of the batch, else a new one;
* NOTE-1: an HR-Staff "staff created" message per recipient and staff member;
* SYNC-5: `data_version` moves as often as the per-staff path moves it (once per staff member, per
  created address and per created household), in one UPDATE.

Staff numbers: the caller passes only staff members Campus does not hold (read under the district lock),
and a sync never stages a number twice; a repeated one is left to the per-staff path all the same.
Anything unexpected raises: the caller rolls the batch's SAVEPOINT back and commits those staff members
one by one, so the per-staff path decides each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from boi_mock import models as m
from boi_mock.domain import locations
from boi_mock.errors import DomainError
from boi_mock.repositories import staff as repo
from boi_mock.schemas.staff import HouseholdIn, HouseholdLocationIn, StaffMemberIn
from boi_mock.services import addresses, households, notifications
from boi_mock.services import staff as staff_service
from boi_mock.services.context import DistrictContext
from boi_mock.services.staff_checks import ReferenceSets, check_staff, invalid

_BUMP = (update(m.District).where(m.District.id == bindparam("district_id"))
         .values(data_version=m.District.data_version + bindparam("by")))
_ADDRESS_IDS = (select(m.Address.match_key, m.Address.id)
                .where(m.Address.district_id == bindparam("district_id"),
                       m.Address.match_key.in_(bindparam("keys", expanding=True)))
                .order_by(m.Address.duplicate_no, m.Address.id))
_INSERT_ADDRESSES = insert(m.Address).returning(m.Address.id, sort_by_parameter_order=True)
_INSERT_HOUSEHOLDS = insert(m.Household).returning(m.Household.id, sort_by_parameter_order=True)
_INSERT_MEMBER, _INSERT_LOCATION = insert(m.HouseholdMember), insert(m.HouseholdLocation)
_INSERT_TITLE, _INSERT_MESSAGE = insert(m.Title), insert(m.Message)


@dataclass
class _Address:
    """An address a location points at: one Campus holds (`id` known) or one this batch creates."""

    id: int | None
    row: dict[str, Any] | None = None  # the columns of a new one


@dataclass
class _Location:
    address: _Address
    start_date: date | None
    end_date: date | None
    flags: dict[str, bool]


@dataclass
class _Household:
    name: str
    phone: str | None
    locations: list[_Location] = field(default_factory=list)


@dataclass
class _New:
    staging_id: int
    member: staff_service.NewStaffMember
    household: _Household | None


Staged = tuple[int, Mapping[str, Any], Mapping[str, list[dict[str, Any]]] | None]
"""A staging row: its id, payload and the addresses its transfer parsed (`addresses.parsed_to_json`)."""


def create_new(ctx: DistrictContext, staged: Sequence[Staged],
               ref: ReferenceSets, now: datetime) -> dict[int, DomainError]:
    """Create the staff members of `staged` (staging row id, payload, the transfer's parsed addresses), in order.

    Returns the failures by staging row id (a staff member whose checks fail); every other one is created.
    Raises on anything unexpected, having written part of the batch: the caller's SAVEPOINT undoes it."""
    session, district_id = ctx.session, ctx.district_id
    today = ctx.clock.today()
    failures: dict[int, DomainError] = {}
    checked: list[tuple[int, StaffMemberIn, dict[int, addresses.Candidates]]] = []
    seen: set[str] = set()
    for staging_id, document, transferred in staged:
        payload = StaffMemberIn.model_validate(document)
        if payload.staff_number is None or payload.staff_number in seen:
            raise ValueError("a staff number missing or repeated in the batch: left to the per-staff path")
        seen.add(payload.staff_number)
        result = check_staff(ctx, payload, creating=True, ref=ref, parsed=addresses.parsed_from_json(transferred))
        if result.problems:
            failures[staging_id] = invalid(result.problems)
        else:
            checked.append((staging_id, payload, result.addresses))
    if not checked:
        return failures

    # POS-5: titles, the first staff member sending an unknown code naming it.
    codes = {code for _id, payload, _a in checked for code in staff_service.wanted_titles(payload.positions or [])}
    known = repo.title_descriptions(session, district_id, codes)
    new_titles: list[dict[str, Any]] = []
    # ADDR-4/5: every candidate key of the batch, looked up at once.
    keys = {addresses.key_of(parts, location.address)
            for _id, payload, parsed in checked if payload.household is not None
            for i, location in enumerate(payload.household.household_locations or [])
            for _how, parts in parsed.get(i, [])}
    by_key: dict[str, _Address] = {}
    if keys and ctx.district.allow_household_updates:
        for key, address_id in session.execute(_ADDRESS_IDS, {"district_id": district_id, "keys": sorted(keys)}):
            by_key.setdefault(key, _Address(address_id))
    new_addresses: list[_Address] = []
    bumps = 0
    batch: list[_New] = []
    for staging_id, payload, parsed in checked:
        for code, description in staff_service.wanted_titles(payload.positions or []).items():
            if code not in known:
                known[code] = description[:200]
                new_titles.append({"district_id": district_id, "title_code": code, "description": known[code]})
                ctx.fire("POS-5")
        member = staff_service.new_staff(payload, known, today)
        bumps += 1
        household = None
        if payload.household is not None:
            household, created = _plan_household(ctx, payload.household, parsed, by_key,
                                                 member.demographics["last_name"], today)
            new_addresses += created
            bumps += len(created) + (household is not None)
        batch.append(_New(staging_id, member, household))
        ctx.fire("STAFF-5")
        if member.rows.employments:
            ctx.fire("EMP-1")

    connection = session.connection()
    if new_titles:
        connection.execute(_INSERT_TITLE, new_titles)
    person_ids = repo.insert_staff_many(session, district_id, now, [new.member.rows for new in batch])
    if new_addresses:
        ids = connection.execute(_INSERT_ADDRESSES, [a.row for a in new_addresses if a.row]).scalars()
        for address, address_id in zip(new_addresses, ids, strict=True):
            address.id = address_id
    _insert_households(ctx, [(person_id, new.household) for person_id, new in zip(person_ids, batch, strict=True)
                             if new.household is not None])
    _insert_messages(ctx, [new.member for new in batch], now)
    connection.execute(_BUMP, {"district_id": district_id, "by": bumps})
    session.expire(ctx.district, ["data_version"])
    return failures


def _plan_household(ctx: DistrictContext, household: HouseholdIn, parsed: Mapping[int, addresses.Candidates],
                    by_key: dict[str, _Address], last_name: str, today: date
                    ) -> tuple[_Household | None, list[_Address]]:
    """`households.apply_household` for a person being created: the staff household (None when HH-5 ignores
    it) and the addresses it creates."""
    if not ctx.district.allow_household_updates:
        ctx.fire("HH-5 ignored")
        return None, []
    created: list[_Address] = []
    sent: list[tuple[HouseholdLocationIn, _Address]] = []
    for i, location in enumerate(household.household_locations or []):
        candidates = parsed[i]
        address = None
        for how, parts in candidates:
            address = by_key.get(addresses.key_of(parts, location.address))
            if address is not None:
                ctx.fire(addresses.RULES[how])
                break
        if address is None:
            _how, parts = candidates[-1]
            key = addresses.key_of(parts, location.address)
            address = by_key[key] = _Address(None, addresses.new_address_row(ctx.district_id, parts,
                                                                              location.address, key))
            created.append(address)
            ctx.fire(addresses.RULES["created"])
        sent.append((location, address))
    name = households.clean(household.name)
    if name is None:
        ctx.fire("HH-4 defaults")
    planned = _Household(name or households.default_name(last_name), households.clean(household.phone))
    for location_in, address in sent:
        existing = _matching_location(planned, location_in, address, today)
        if existing is None:
            flags = {flag: getattr(location_in, flag) for flag in households.FLAGS}
            if location_in.start_date is None or any(v is None for v in flags.values()):
                ctx.fire("HH-4 defaults")
            planned.locations.append(_Location(
                address, location_in.start_date or today, location_in.end_date,
                {flag: households.FLAG_DEFAULTS[flag] if value is None else value for flag, value in flags.items()}))
        else:
            _update_location(existing, location_in)
    ctx.fire("HH-1 staff household created")
    return planned, created


def _matching_location(household: _Household, location_in: HouseholdLocationIn, address: _Address,
                       today: date) -> _Location | None:
    """`households._matching_location` within the household being planned."""
    at_address = [loc for loc in household.locations if loc.address is address]
    current = next((loc for loc in at_address if locations.is_current(loc.start_date, loc.end_date, today)), None)
    if current is not None or location_in.end_date is None:
        return current
    return next((loc for loc in at_address if (loc.start_date, loc.end_date)
                 == (location_in.start_date or today, location_in.end_date)), None)


def _update_location(location: _Location, location_in: HouseholdLocationIn) -> None:
    """`households._update_location`: only what was sent explicitly changes (null endDate clears it)."""
    given = location_in.model_fields_set
    for flag in households.FLAGS:
        value = getattr(location_in, flag)
        if flag in given and value is not None:
            location.flags[flag] = value
    if location_in.start_date is not None:
        location.start_date = location_in.start_date
    if "end_date" in given:
        location.end_date = location_in.end_date


def _insert_households(ctx: DistrictContext, planned: list[tuple[int, _Household]]) -> None:
    if not planned:
        return
    connection, district_id = ctx.session.connection(), ctx.district_id
    household_ids = list(connection.execute(_INSERT_HOUSEHOLDS, [
        {"district_id": district_id, "name": h.name, "phone": h.phone, "staff_household": True}
        for _person_id, h in planned]).scalars())
    connection.execute(_INSERT_MEMBER, [{"district_id": district_id, "household_id": household_id,
                                         "person_id": person_id}
                                        for household_id, (person_id, _h) in zip(household_ids, planned, strict=True)])
    rows = [{"district_id": district_id, "household_id": household_id, "address_id": loc.address.id,
             "start_date": loc.start_date, "end_date": loc.end_date, **loc.flags}
            for household_id, (_person_id, h) in zip(household_ids, planned, strict=True) for loc in h.locations]
    if rows:
        connection.execute(_INSERT_LOCATION, rows)


def _insert_messages(ctx: DistrictContext, created: list[staff_service.NewStaffMember], now: datetime) -> None:
    """NOTE-1: what `notifications.notify` delivers for each created staff member, in one INSERT."""
    recipients = notifications.recipients(ctx, notifications.HR_STAFF)
    if not recipients:
        return
    rows = []
    for member in created:
        subject, body = staff_service.created_message(ctx.actor, member.demographics["last_name"],
                                                      member.demographics["first_name"], member.rows.staff_number)
        rows += [{"district_id": ctx.district_id, "campus_user_id": user_id,
                  "notification_type": notifications.HR_STAFF, "event": notifications.STAFF_CREATED,
                  "subject": subject, "body": body, "created_at": now, "read": False} for user_id in recipients]
    ctx.session.connection().execute(_INSERT_MESSAGE, rows)
    ctx.fire(f"NOTE-1 {notifications.HR_STAFF}: {notifications.STAFF_CREATED}")
