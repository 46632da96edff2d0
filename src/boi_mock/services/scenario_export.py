"""MOCK-12: a district as a scenario document that recreates it under another appName.

Everything MOCK-4 shows for every person (identity history with dates, employments, positions with `linked`,
households with dated locations and flags, addresses), the reference data (with the titles POS-5 created),
Campus users and notification recipients, preferences, the clock and the caps. Not exported: the appName and
the credentials (the new district gets its own), the journal, the Error Log, fault rules, Message Center
messages and sync runs (none of them is Campus data).

Read set-wise, one query per table, in id order: the loader (services/scenarios.py) inserts in document order,
so the new district's rows come back in the same order (identities oldest first, households as MOCK-4 picks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import iso
from boi_mock.domain.demographics import DEMOGRAPHICS
from boi_mock.repositories import districts as repo
from boi_mock.services.districts import preferences

_ADDRESS_PARTS = (("post_office_box", "postOfficeBox"), ("number", "number"), ("prefix", "prefix"),
                  ("street", "street"), ("tag", "tag"), ("direction", "direction"), ("apt", "apt"),
                  ("city", "city"), ("state", "state"), ("zip", "zip"), ("county", "county"),
                  ("location_code", "locationCode"), ("tract", "tract"), ("block", "block"))


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _compact(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object without its nulls (a scenario's absent field is null)."""
    return {key: value for key, value in values if value is not None}


def export(session: Session, district: m.District, *, with_ssn: bool = True) -> dict[str, Any]:
    """The district as a scenario document (JSON-ready). `with_ssn=False` leaves every SSN out (a copy that
    leaves the machine, e.g. attached to a support case: SSNs are never shown whole, ERR-1)."""
    did = district.id
    repo.hold_for_reading(session, did)  # one consistent picture, whatever writes run meanwhile
    doc: dict[str, Any] = _compact([
        ("today", _d(district.frozen_today)),
        ("clockOffsetSeconds", district.clock_offset_seconds or None),
        ("tokenLifetimeSeconds", district.token_lifetime_seconds),
        ("journalCap", district.journal_cap),
        ("errorLogCap", district.error_log_cap),
    ])
    doc["preferences"] = preferences(district)
    doc.update(_reference(session, did))
    refs, doc["persons"] = _persons(session, did, with_ssn=with_ssn)
    doc["households"], doc["addresses"] = _households(session, did, refs)
    doc["notifications"] = _notifications(session, did)
    return doc


def _reference(session: Session, did: int) -> dict[str, list[dict[str, Any]]]:
    def rows(*columns: Any) -> list[Any]:
        table = columns[0].class_
        return list(session.execute(select(*columns).where(table.district_id == did).order_by(table.id)))

    return {
        "schools": [{"schoolNumber": n, "name": name} for n, name in rows(m.School.school_number, m.School.name)],
        "genders": [{"code": c, "name": name} for c, name in rows(m.Gender.code, m.Gender.name)],
        "assignmentCodes": [{"code": c, "name": name}
                            for c, name in rows(m.AssignmentCode.code, m.AssignmentCode.name)],
        # Every title, those POS-5 created on the fly included (REF-4 lists them).
        "titles": [{"titleCode": c, "description": d} for c, d in rows(m.Title.title_code, m.Title.description)],
        "users": [_compact([("username", u), ("name", name), ("toolRights", [right for right, held in (
                      (m.DISTRICT_EMPLOYMENT, employment), (m.DISTRICT_ASSIGNMENTS, assignments)) if held])])
                  for u, name, employment, assignments in rows(
                      m.CampusUser.username, m.CampusUser.name, m.CampusUser.district_employment_rights,
                      m.CampusUser.district_assignments_rights)],
    }


def _rows(session: Session, model: Any, did: int) -> list[Row[Any]]:
    """A table's rows of the district in id order, as plain rows (named like the ORM's attributes): loading
    ORM objects cost three quarters of an export."""
    table = model.__table__
    return list(session.execute(select(table).where(table.c.district_id == did).order_by(table.c.id)))


def _by_person(session: Session, model: Any, did: int) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in _rows(session, model, did):
        grouped[row.person_id].append(row)
    return grouped


def _demographics(identity: Any, *, with_ssn: bool) -> list[tuple[str, Any]]:
    out = []
    for f in DEMOGRAPHICS:
        value = getattr(identity, f.name)
        if f.kind == "ssn" and not with_ssn:
            continue
        out.append((f.wire, _d(value) if f.kind == "date" else value))
    return out


def _current_index(identities: list[Any]) -> int:
    """Which identity is current: the last marked current (as MOCK-4 reads it), else the newest."""
    marked = [i for i, ident in enumerate(identities) if ident.is_current]
    return marked[-1] if marked else len(identities) - 1


def _persons(session: Session, did: int, *, with_ssn: bool) -> tuple[dict[int, str], list[dict[str, Any]]]:
    persons = list(session.execute(select(m.Person.id, m.Person.staff_number, m.Person.scenario_ref,
                                          m.Person.synced_at).where(m.Person.district_id == did)
                                   .order_by(m.Person.id)))
    identities = _by_person(session, m.Identity, did)
    employments = _by_person(session, m.Employment, did)
    positions = _by_person(session, m.DistrictAssignment, did)
    refs = _refs([(pid, ref) for pid, _n, ref, _s in persons])
    out = []
    for pid, staff_number, _ref, synced_at in persons:
        history = identities.get(pid, [])
        if not history:  # no identity: nothing Campus could show (MOCK-4 needs a name); not exported
            continue
        current = _current_index(history)
        person = _compact([("ref", refs[pid]), ("staffNumber", staff_number),
                           *_demographics(history[current], with_ssn=with_ssn)])
        if employments.get(pid):
            person["employments"] = [_compact([("hireDate", _d(e.hire_date)),
                                               ("terminationDate", _d(e.termination_date))])
                                     for e in employments[pid]]
        if positions.get(pid):
            person["positions"] = [_position(p) for p in positions[pid]]
        only = history[0]
        if len(history) > 1 or only.start_date is not None or only.end_date is not None or not only.is_current:
            person["identities"] = [
                _compact([("current", i == current), *_demographics(ident, with_ssn=with_ssn),
                          ("startDate", _d(ident.start_date)), ("endDate", _d(ident.end_date))])
                for i, ident in enumerate(history)]
        if synced_at is not None:
            person["syncedAt"] = iso(synced_at)
        out.append(person)
    return refs, out


def _refs(persons: list[tuple[int, str | None]]) -> dict[int, str]:
    """Each person's ref: the scenario's own when it still names one person, else `p<personID>` (made unique)."""
    counts: dict[str | None, int] = defaultdict(int)
    for _pid, ref in persons:
        counts[ref] += 1
    taken = {ref for ref, n in counts.items() if ref is not None and n == 1}
    out: dict[int, str] = {}
    for pid, ref in persons:
        if ref is not None and counts[ref] == 1:
            out[pid] = ref
            continue
        made = f"p{pid}"
        while made in taken:
            made += "x"
        taken.add(made)
        out[pid] = made
    return out


def _position(p: Any) -> dict[str, Any]:
    position = _compact([("schoolNumber", p.school_number), ("assignmentCode", p.assignment_code),
                         ("titleCode", p.title_code), ("startDate", _d(p.start_date)), ("endDate", _d(p.end_date))])
    if p.linked:
        position["linked"] = True
    return position


def _households(session: Session, did: int, refs: dict[int, str]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The households, and the addresses no location uses (after them, as the loader reads them)."""
    members: dict[int, list[str]] = defaultdict(list)
    for household_id, person_id in session.execute(
            select(m.HouseholdMember.household_id, m.HouseholdMember.person_id)
            .where(m.HouseholdMember.district_id == did).order_by(m.HouseholdMember.id)):
        if person_id in refs:
            members[household_id].append(refs[person_id])
    addresses = {row.id: row for row in _rows(session, m.Address, did)}
    locations: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for location in _rows(session, m.HouseholdLocation, did):
        locations[location.household_id].append((location, addresses[location.address_id]))
    seen_ids: set[int] = set()
    first_of_key: dict[str, int] = {}
    out = []
    for h in _rows(session, m.Household, did):
        shown = []
        for location, address in locations.get(h.id, []):
            shown.append(_location(location, address, seen_ids, first_of_key))
        out.append(_compact([("name", h.name), ("phone", h.phone), ("staffHousehold", h.staff_household),
                             ("members", members.get(h.id, [])), ("locations", shown)]))
    unused = []
    for address in addresses.values():
        if address.id in seen_ids:
            continue
        entry = _compact((wire, getattr(address, name)) for name, wire in _ADDRESS_PARTS)
        if address.match_key in first_of_key:
            entry["duplicateAddress"] = True
        first_of_key.setdefault(address.match_key, address.id)
        unused.append(entry)
    return out, unused


def _location(location: Any, address: Any, seen_ids: set[int],
              first_of_key: dict[str, int]) -> dict[str, Any]:
    """One location; an address Campus holds twice (ADDR-6 dirt) is a second copy (`duplicateAddress`), an address
    already exported is the same row again (the loader merges equal addresses)."""
    out: dict[str, Any] = {
        "address": _compact((wire, getattr(address, name)) for name, wire in _ADDRESS_PARTS),
        **_compact([("startDate", _d(location.start_date)), ("endDate", _d(location.end_date))]),
        "mailing": location.mailing, "physical": location.physical, "secondary": location.secondary,
        "private": location.private,
    }
    if address.id not in seen_ids and address.match_key in first_of_key:
        out["duplicateAddress"] = True
    seen_ids.add(address.id)
    first_of_key.setdefault(address.match_key, address.id)
    return out


def _notifications(session: Session, did: int) -> list[dict[str, Any]]:
    recipients: dict[int, list[str]] = defaultdict(list)
    for notification_id, username in session.execute(
            select(m.NotificationRecipient.notification_id, m.CampusUser.username)
            .join(m.CampusUser, m.CampusUser.id == m.NotificationRecipient.campus_user_id)
            .where(m.NotificationRecipient.district_id == did).order_by(m.NotificationRecipient.id)):
        recipients[notification_id].append(username)
    return [{"type": n.type, "recipients": recipients.get(n.id, [])}
            for n in session.scalars(select(m.Notification).where(m.Notification.district_id == did)
                                     .order_by(m.Notification.id))]
