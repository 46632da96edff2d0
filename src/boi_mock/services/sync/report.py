"""SYNC-4 validate and SYNC-9 Check Campus Data: load Campus and staging set-wise, compare in boi_mock/domain.

Loading is a handful of queries per district (persons with their current identity, employments,
positions, household members, current locations with addresses, address keys, staging rows), never
one query per staff member. The comparison is `boi_mock.domain.sync_report`.

`validate` reads a consistent snapshot in a read transaction (REPEATABLE READ on PostgreSQL, the
WAL snapshot on SQLite) without holding the district's write lock, then stores the report in a
short write transaction. The run remembers the `data_version` it saw, so any Campus write after
that snapshot makes the commit answer validation_stale (SYNC-5).
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterator, Set
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import clock_of, iso
from boi_mock.db import Database
from boi_mock.domain import locations
from boi_mock.domain import sync_report as rules
from boi_mock.domain.addresses import StreetParts, match_key, normalise_parts
from boi_mock.domain.demographics import DEMOGRAPHICS, Demographics
from boi_mock.domain.employments import EmploymentRecord
from boi_mock.domain.positions import PositionRecord
from boi_mock.errors import BadRequest, Conflict, NotFound
from boi_mock.repositories import districts as district_repo
from boi_mock.schemas.address import AddressIn
from boi_mock.services import addresses
from boi_mock.services.sync import state

# The current identity's demographics, in `Demographics`' order; a required one (the names) reads "" when the
# person has no identity (the outer join).
_IDENTITY_COLUMNS = tuple(getattr(m.Identity, f.name) for f in DEMOGRAPHICS)
_REQUIRED = tuple(i for i, f in enumerate(DEMOGRAPHICS) if f.required)


# How the report shows a Campus address.
_ADDRESS_VIEW = ("addressID", "postOfficeBox", "number", "prefix", "street", "tag", "direction", "apt", "city",
                 "state", "zip")
_ADDRESS_COLUMNS = (m.Address.id, m.Address.post_office_box, m.Address.number, m.Address.prefix, m.Address.street,
                    m.Address.tag, m.Address.direction, m.Address.apt, m.Address.city, m.Address.state, m.Address.zip)


def load_campus(session: Session, district: m.District, today: date) -> list[rules.CampusPerson]:
    """Every person who is (or may be, SYNC-10) Campus staff, with what the report compares."""
    did = district.id
    has_position = exists().where(m.DistrictAssignment.person_id == m.Person.id)
    has_employment = exists().where(m.Employment.person_id == m.Person.id)
    current = and_(m.Identity.person_id == m.Person.id, m.Identity.is_current.is_(True))
    rows = session.execute(
        select(m.Person.id, m.Person.staff_number, *_IDENTITY_COLUMNS)
        .outerjoin(m.Identity, current)
        .where(m.Person.district_id == did,
               or_(m.Person.staff_number.is_not(None), has_position, has_employment))
        .order_by(m.Person.id, m.Identity.id)
    ).all()
    persons: dict[int, rules.CampusPerson] = {}
    for row in rows:
        if row[0] in persons:
            continue
        values = list(row[2:])
        for i in _REQUIRED:
            values[i] = values[i] or ""
        demographics = Demographics(*values)
        persons[row[0]] = rules.CampusPerson(person_id=row[0], staff_number=row[1] or None,
                                             demographics=demographics)

    for pid, hire, termination in session.execute(
            select(m.Employment.person_id, m.Employment.hire_date, m.Employment.termination_date)
            .where(m.Employment.district_id == did).order_by(m.Employment.id)):
        if pid in persons:
            persons[pid].employments.append(EmploymentRecord(hire, termination))
    for pid, school, code, title, start, end, linked in session.execute(
            select(m.DistrictAssignment.person_id, m.DistrictAssignment.school_number,
                   m.DistrictAssignment.assignment_code, m.DistrictAssignment.title_code,
                   m.DistrictAssignment.start_date, m.DistrictAssignment.end_date, m.DistrictAssignment.linked)
            .where(m.DistrictAssignment.district_id == did).order_by(m.DistrictAssignment.id)):
        if pid in persons:
            persons[pid].positions.append(PositionRecord(school, code, title, start, end, linked))

    _attach_households(session, district, today, persons)
    return list(persons.values())


def _attach_households(session: Session, district: m.District, today: date,
                       persons: dict[int, rules.CampusPerson]) -> None:
    """Current addresses, and what a commit would do with HR household data (HH-1, HH-2, HH-3, HH-5)."""
    did = district.id
    members: dict[int, list[int]] = defaultdict(list)
    households_of: dict[int, list[int]] = defaultdict(list)
    for hid, pid in session.execute(select(m.HouseholdMember.household_id, m.HouseholdMember.person_id)
                                    .where(m.HouseholdMember.district_id == did)
                                    .order_by(m.HouseholdMember.household_id)):
        members[hid].append(pid)
        households_of[pid].append(hid)
    staff_households = {hid: (name, phone) for hid, name, phone in session.execute(
        select(m.Household.id, m.Household.name, m.Household.phone)
        .where(m.Household.district_id == did, m.Household.staff_household.is_(True)))}
    addresses_at: dict[int, list[rules.CampusAddress]] = defaultdict(list)
    locations_at: dict[int, list[rules.CampusLocation]] = defaultdict(list)
    hl, a = m.HouseholdLocation, m.Address
    for row in session.execute(
            select(hl.household_id, hl.address_id, hl.start_date, hl.end_date, hl.mailing, hl.physical,
                   hl.secondary, hl.private, a.match_key, *_ADDRESS_COLUMNS)
            .join(a, a.id == hl.address_id)
            # Current locations, as `domain.locations.is_current` says (a move's same-day end is not current).
            .where(hl.district_id == did, or_(hl.end_date.is_(None), and_(
                hl.end_date >= today, or_(hl.start_date.is_(None), hl.end_date != hl.start_date))))
            .order_by(hl.id)):
        addresses_at[row[0]].append(rules.CampusAddress(row[8], dict(zip(_ADDRESS_VIEW, row[9:], strict=True))))
        locations_at[row[0]].append(rules.CampusLocation(*row[1:8]))
    for pid, person in persons.items():
        hids = households_of.get(pid, [])
        shared = any(len(members[h]) > 1 for h in hids)
        own = [h for h in hids if h in staff_households and len(members[h]) == 1]
        # households.apply_household: shared → ignored (HH-3); alone in a non-staff household → ignored.
        person.household_applies = district.allow_household_updates and not shared and (bool(own) or not hids)
        if own:
            name, phone = staff_households[own[0]]
            person.household = rules.CampusHousehold(name, phone, locations_at.get(own[0], []))
        person.addresses = [a for h in (own[:1] if own else hids) for a in addresses_at.get(h, [])]


def _width_ok(parts: StreetParts, raw: dict[str, Any]) -> bool:
    values = {name: getattr(parts, name) for name in addresses.STREET_PARTS}
    values.update(city=raw.get("city"), state=raw.get("state"), zip=raw.get("zip"), county=raw.get("county"))
    return all(v is None or len(v) <= addresses.COLUMN_WIDTHS[k] for k, v in values.items())


def exact_key(raw: dict[str, Any]) -> str | None:
    """ADDR-5's first candidate (the normalised parts as given) without running the parser.

    `addresses.resolve` tries it first, so when Campus holds it the address is found without the
    (slow) re-parse. None for a fullStreetAddress, or parts `candidate_parts` would reject.
    """
    def given(name: str) -> str | None:
        value = raw.get(name)
        return value if isinstance(value, str) and value.strip() else None

    if given("fullStreetAddress") is not None:
        return None
    box = bool(raw.get("postOfficeBox"))
    if box and any(given(p) is not None for p in addresses.PO_BOX_FORBIDDEN):
        return None
    parts = normalise_parts(StreetParts(post_office_box=box, number=given("number"), prefix=given("prefix"),
                                        street=given("street"), tag=given("tag"), direction=given("direction"),
                                        apt=given("apt")))
    if (parts.street is None and not (box and parts.number)) or not _width_ok(parts, raw):
        return None
    return match_key(parts, city=raw.get("city"), state=raw.get("state"), zip=raw.get("zip"))


def _candidate_keys(raw: dict[str, Any], existing: Set[str],
                    staged: addresses.Candidates | None = None) -> tuple[str, ...] | None:
    """The ADDR-5 candidate keys of a sent address (None: it does not parse).

    `staged`: its candidates as the transfer parsed them (then the parser does not run again)."""
    exact = exact_key(raw)
    if exact is not None and exact in existing:
        return (exact,)
    a = AddressIn.model_validate(raw)
    if staged is not None:
        return tuple(addresses.key_of(parts, a) for _how, parts in staged)
    try:
        return tuple(addresses.key_of(parts, a) for _how, parts in addresses.candidate_parts(a))
    except BadRequest:  # checked at transfer only when PREF-2 was on
        return None


def _hr_addresses(payload: dict[str, Any], today: date, existing: Set[str],
                  cache: dict[str, tuple[str, ...] | None], staged: dict[int, addresses.Candidates]
                  ) -> tuple[list[rules.HrAddress] | None, bool]:
    """The sent household locations with their ADDR-5 candidate keys; and whether one did not parse."""
    household = payload.get("household")
    if not household or household.get("householdLocations") is None:
        return None, False
    out = []
    error = False
    for j, loc in enumerate(household["householdLocations"]):
        raw = loc.get("address") or {}
        cache_key = repr(sorted(raw.items()))
        if cache_key not in cache:
            cache[cache_key] = _candidate_keys(raw, existing, staged.get(j))
        keys = cache[cache_key]
        if keys is None:
            error = True
            continue
        # Current as the households service will store it (HH-4: no startDate means today).
        start, end = rules.wire_date(loc.get("startDate")) or today, rules.wire_date(loc.get("endDate"))
        out.append(rules.HrAddress(keys, raw, current=locations.is_current(start, end, today), location=loc))
    return out, error


def load_hr(session: Session, run: m.SyncRun, today: date, existing: Set[str], *,
            pending_only: bool = False) -> list[rules.HrStaff]:
    """The staged staff (all, or those the commit has not done yet), in transfer order.

    `existing`: the district's address match keys (an address found by its exact parts skips the parser).
    """
    cache: dict[str, tuple[str, ...] | None] = {}
    stmt = (select(m.SyncStagingRow.id, m.SyncStagingRow.payload, m.SyncStagingRow.address_parts)
            .where(m.SyncStagingRow.sync_id == run.id).order_by(m.SyncStagingRow.seq))
    if pending_only:
        stmt = stmt.where(m.SyncStagingRow.outcome.is_(None))
    out = []
    for row_id, payload, address_parts in session.execute(stmt):
        found, error = _hr_addresses(payload, today, existing, cache, addresses.parsed_from_json(address_parts))
        out.append(rules.hr_staff(payload, found, row_id=row_id, address_error=error))
    return out


def address_ids(session: Session, district_id: int) -> dict[str, int]:
    """Match key → the address `addresses.resolve` picks for it (the lowest duplicate_no)."""
    out: dict[str, int] = {}
    for key, address_id in session.execute(select(m.Address.match_key, m.Address.id)
                                           .where(m.Address.district_id == district_id)
                                           .order_by(m.Address.duplicate_no.desc(), m.Address.id.desc())):
        out[key] = address_id
    return out


_gc_lock = threading.Lock()
_gc_pauses = 0


@contextmanager
def gc_paused(enabled: bool) -> Iterator[None]:
    """Pause automatic garbage collection while a district is loaded and compared (setting `sync_pause_gc`).

    Loading allocates hundreds of thousands of acyclic objects (rows, payload dicts); each automatic
    full collection would traverse all of them again (measured: validate ~1.5 times slower, docs/sync.md).
    Reference counting still frees everything; cycles wait until the pause ends. Process-wide, so counted
    across threads: collection resumes when the last pause ends. `enabled=False`: the GC is left alone.
    """
    global _gc_pauses
    if not enabled:
        yield
        return
    with _gc_lock:
        _gc_pauses += 1
        if _gc_pauses == 1:
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.enable()


def compute(session: Session, district: m.District, run: m.SyncRun, *, pause_gc: bool = True) -> dict[str, Any]:
    clock = clock_of(district)
    today = clock.today()
    with gc_paused(pause_gc):
        existing = address_ids(session, district.id).keys()
        return rules.build_report(
            load_campus(session, district, today), load_hr(session, run, today, existing), existing,
            allow_household_updates=district.allow_household_updates, generated_date=iso(clock.now()) or "")


def _snapshot(session: Session) -> None:
    """One consistent view for all the loading queries (PostgreSQL's default is per statement)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def validate(db: Database, district_id: int, *, pause_gc: bool = True) -> dict[str, Any]:
    """SYNC-4: TRANSFER_ENDED (or VALIDATED again, after Campus changed) → VALIDATED, with the report.

    `pause_gc`: the `sync_pause_gc` setting (`gc_paused`)."""
    with db.unit_of_work(write=False) as session:
        _snapshot(session)
        district = session.get(m.District, district_id)
        if district is None:
            raise NotFound("The district no longer exists", code="district_not_found")
        run = state.require(state.current_run(session, district_id), "validate",
                            state.TRANSFER_ENDED, state.VALIDATED)
        run_id, seen_version = run.id, district.data_version
        report = compute(session, district, run, pause_gc=pause_gc)
    with db.unit_of_work() as session:
        district_repo.lock(session, district_id)
        district = session.get(m.District, district_id)
        run = state.require(state.current_run(session, district_id), "validate",
                            state.TRANSFER_ENDED, state.VALIDATED)
        if run.id != run_id:
            raise Conflict(f"Sync {run_id} was restarted while it was being validated",
                           code="sync_state_conflict", extra={"syncStatus": run.status})
        run.status = state.VALIDATED
        run.report = report
        run.validated_at = clock_of(district).now() if district is not None else None
        run.validated_data_version = seen_version
    return report


def last_report(session: Session, district_id: int) -> dict[str, Any]:
    """The report of the current run's last validation (decided: a convenience read for the UI and vendors)."""
    run = state.current_run(session, district_id)
    if run is None or run.report is None:
        raise NotFound("The current sync has no validation report; validate first (POST staffMembers/sync/validate)",
                       code="report_not_found")
    report: dict[str, Any] = run.report
    return report


def check_campus_data(session: Session, district: m.District) -> dict[str, Any]:
    """SYNC-9 / MOCK-10: Campus staff with duplicate staff numbers and with none."""
    clock = clock_of(district)
    return rules.check_campus_data(load_campus(session, district, clock.today()),
                                   generated_date=iso(clock.now()) or "")
