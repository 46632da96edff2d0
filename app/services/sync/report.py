"""SYNC-4 validate and SYNC-9 Check Campus Data: load Campus and staging set-wise, compare in app/domain.

Loading is a handful of queries per district (persons with their current identity, employments,
positions, household members, current locations with addresses, address keys, staging rows), never
one query per staff member. The comparison is `app.domain.sync_report`.

`validate` reads a consistent snapshot in a read transaction (REPEATABLE READ on PostgreSQL, the
WAL snapshot on SQLite) without holding the district's write lock, then stores the report in a
short write transaction. The run remembers the `data_version` it saw, so any Campus write after
that snapshot makes the commit answer validation_stale (SYNC-5).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from app import models as m
from app.clock import iso
from app.db import Database
from app.domain import sync_report as rules
from app.domain.employments import EmploymentRecord
from app.domain.identities import Demographics
from app.domain.positions import PositionRecord
from app.errors import BadRequest, Conflict, NotFound
from app.repositories import districts as district_repo
from app.schemas.address import AddressIn
from app.services import addresses
from app.services.context import clock_of
from app.services.sync import state

_IDENTITY_COLUMNS = (m.Identity.last_name, m.Identity.first_name, m.Identity.middle_name, m.Identity.gender,
                     m.Identity.ssn, m.Identity.birthdate, m.Identity.work_phone, m.Identity.cell_phone,
                     m.Identity.other_phone, m.Identity.work_email, m.Identity.personal_email)


def _address_view(a: m.Address) -> dict[str, Any]:
    return {"addressID": a.id, "postOfficeBox": a.post_office_box, "number": a.number, "prefix": a.prefix,
            "street": a.street, "tag": a.tag, "direction": a.direction, "apt": a.apt, "city": a.city,
            "state": a.state, "zip": a.zip}


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
        demographics = Demographics(row[2] or "", row[3] or "", *row[4:])
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
    """Current addresses, and whether a commit would apply HR household data (HH-2, HH-3, HH-5)."""
    did = district.id
    members: dict[int, list[int]] = defaultdict(list)
    households_of: dict[int, list[int]] = defaultdict(list)
    for hid, pid in session.execute(select(m.HouseholdMember.household_id, m.HouseholdMember.person_id)
                                    .where(m.HouseholdMember.district_id == did)):
        members[hid].append(pid)
        households_of[pid].append(hid)
    staff_households = set(session.scalars(select(m.Household.id).where(
        m.Household.district_id == did, m.Household.staff_household.is_(True))))
    locations: dict[int, list[rules.CampusAddress]] = defaultdict(list)
    for hid, address in session.execute(
            select(m.HouseholdLocation.household_id, m.Address)
            .join(m.Address, m.Address.id == m.HouseholdLocation.address_id)
            .where(m.HouseholdLocation.district_id == did,
                   or_(m.HouseholdLocation.end_date.is_(None), m.HouseholdLocation.end_date >= today))
            .order_by(m.HouseholdLocation.id)):
        locations[hid].append(rules.CampusAddress(address.match_key, _address_view(address)))
    for pid, person in persons.items():
        hids = households_of.get(pid, [])
        shared = any(len(members[h]) > 1 for h in hids)
        own = [h for h in hids if h in staff_households and len(members[h]) == 1]
        # households.apply_household: shared → ignored (HH-3); alone in a non-staff household → ignored.
        person.household_applies = district.allow_household_updates and not shared and (bool(own) or not hids)
        shown = own[:1] if own else hids
        person.addresses = [a for h in shown for a in locations.get(h, [])]


def _hr_addresses(payload: dict[str, Any], today: date, cache: dict[str, tuple[str, ...]]
                  ) -> list[rules.HrAddress] | None:
    household = payload.get("household")
    if not household or household.get("householdLocations") is None:
        return None
    out = []
    for loc in household["householdLocations"]:
        raw = loc.get("address") or {}
        cache_key = repr(sorted(raw.items()))
        keys = cache.get(cache_key)
        if keys is None:
            a = AddressIn.model_validate(raw)
            try:
                keys = tuple(addresses.key_of(parts, a) for _how, parts in addresses.candidate_parts(a))
            except BadRequest:  # checked at transfer; a district switching PREF-2 on later may meet one
                continue
            cache[cache_key] = keys
        end = loc.get("endDate")
        out.append(rules.HrAddress(keys, raw, current=end is None or date.fromisoformat(end) >= today))
    return out


def load_hr(session: Session, run: m.SyncRun, today: date) -> list[rules.HrStaff]:
    cache: dict[str, tuple[str, ...]] = {}
    rows = session.execute(select(m.SyncStagingRow.payload).where(m.SyncStagingRow.sync_id == run.id)
                           .order_by(m.SyncStagingRow.seq))
    return [rules.hr_staff(payload, _hr_addresses(payload, today, cache)) for (payload,) in rows]


def address_keys(session: Session, district_id: int) -> set[str]:
    return set(session.scalars(select(m.Address.match_key).where(m.Address.district_id == district_id)))


def compute(session: Session, district: m.District, run: m.SyncRun) -> dict[str, Any]:
    clock = clock_of(district)
    today = clock.today()
    return rules.build_report(
        load_campus(session, district, today), load_hr(session, run, today), address_keys(session, district.id),
        allow_household_updates=district.allow_household_updates, generated_date=iso(clock.now()) or "")


def _snapshot(session: Session) -> None:
    """One consistent view for all the loading queries (PostgreSQL's default is per statement)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def validate(db: Database, district_id: int) -> dict[str, Any]:
    """SYNC-4: TRANSFER_ENDED (or VALIDATED again, after Campus changed) → VALIDATED, with the report."""
    with db.unit_of_work(write=False) as session:
        _snapshot(session)
        district = session.get(m.District, district_id)
        if district is None:
            raise NotFound("The district no longer exists", code="district_not_found")
        run = state.require(state.current_run(session, district_id), "validate",
                            state.TRANSFER_ENDED, state.VALIDATED)
        run_id, seen_version = run.id, district.data_version
        report = compute(session, district, run)
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
