"""Load a scenario document (CONTRACT §9) into a district, in bulk.

Scenarios describe Campus as it is, dirt included: duplicate staff numbers, persons without one,
addresses Campus already holds twice. So loading skips the API's rules (POS-2 etc. are checked
only as far as foreign keys need) but normalises addresses like the API does.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import clock_of
from boi_mock.db import Base
from boi_mock.domain.addresses import StreetParts, normalise_parts
from boi_mock.domain.demographics import DEMOGRAPHICS, Demographics
from boi_mock.errors import BadRequest, FieldError
from boi_mock.schemas.address import AddressIn
from boi_mock.schemas.scenario import Scenario, ScenarioPerson
from boi_mock.services import addresses, notifications


def _check_references(scenario: Scenario) -> None:
    errors: list[FieldError] = []
    refs = Counter(p.ref for p in scenario.persons if p.ref)
    for ref, n in refs.items():
        if n > 1:
            errors.append(FieldError("persons", "duplicate_ref", f"Person ref {ref!r} is used {n} times"))
    schools = {s.school_number for s in scenario.schools}
    codes = {a.code for a in scenario.assignment_codes}
    for i, p in enumerate(scenario.persons):
        for j, pos in enumerate(p.positions):
            if pos.school_number not in schools:
                errors.append(FieldError(f"persons[{i}].positions[{j}].schoolNumber", "unknown_school",
                                         f"School number {pos.school_number} is not in the scenario"))
            if pos.assignment_code is not None and pos.assignment_code not in codes:
                errors.append(FieldError(f"persons[{i}].positions[{j}].assignmentCode",
                                         "unknown_assignment_code",
                                         f"Assignment code {pos.assignment_code} is not in the scenario"))
    for i, h in enumerate(scenario.households):
        for j, ref in enumerate(h.members):
            if ref not in refs:
                errors.append(FieldError(f"households[{i}].members[{j}]", "unknown_ref",
                                         f"Household member {ref!r} is not a person ref"))
    errors.extend(_recipient_problems(scenario))
    errors.extend(_duplicate_keys(scenario))
    for i, p in enumerate(scenario.persons):
        errors.extend(_identity_problems(f"persons[{i}]", p))
    if errors:
        codes = {e.code for e in errors}
        raise BadRequest(f"The scenario has {len(errors)} problem(s): {errors[0].message}",
                         code=codes.pop() if len(codes) == 1 else "invalid_scenario", errors=errors[:50])


def _duplicate_keys(scenario: Scenario) -> list[FieldError]:
    """Reference data is keyed (a school number, a code, a username): a key given twice is the scenario's
    mistake, named at its second place (not a database conflict)."""
    errors: list[FieldError] = []
    keyed = [("schools", "schoolNumber", [s.school_number for s in scenario.schools]),
             ("genders", "code", [g.code for g in scenario.genders]),
             ("assignmentCodes", "code", [a.code for a in scenario.assignment_codes]),
             ("users", "username", [u.username for u in scenario.users])]
    for collection, key, values in keyed:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                errors.append(FieldError(f"{collection}[{i}].{key}", "duplicate_value",
                                         f"{key} {value!r} is given twice in {collection}"))
            seen.add(value)
    return errors


def _identity_problems(where: str, p: ScenarioPerson) -> list[FieldError]:
    """MOCK-12: an identity history has exactly one current identity, and the person's top-level demographics
    (those the document gives) are that identity's."""
    if p.identities is None:
        return []
    current = [i for i, ident in enumerate(p.identities) if ident.current]
    if len(current) != 1:
        return [FieldError(f"{where}.identities", "invalid_identities",
                           f"A person's identities need exactly one with current: true ({len(current)} given)")]
    ident = p.identities[current[0]]
    return [FieldError(f"{where}.{f.wire}", "identity_mismatch",
                       f"{f.wire} differs from the current identity's (identities[{current[0]}])")
            for f in DEMOGRAPHICS if f.name in p.model_fields_set and getattr(p, f.name) != getattr(ident, f.name)]


def _identity_rows(did: int, person_id: int, p: ScenarioPerson) -> list[dict[str, Any]]:
    """The person's identity rows: its history (MOCK-12), or one current identity without dates."""
    history = p.identities if p.identities is not None else [None]
    rows = []
    for ident in history:
        demographics = Demographics.of(ident if ident is not None else p)
        rows.append({
            "district_id": did, "person_id": person_id, **demographics.as_dict(),
            # A Core INSERT: the model's validator does not run, so the search's folded names are filled here.
            "last_name_folded": m.fold_name(demographics.last_name),
            "first_name_folded": m.fold_name(demographics.first_name),
            "start_date": ident.start_date if ident is not None else None,
            "end_date": ident.end_date if ident is not None else None,
            "is_current": ident.current if ident is not None else True,
        })
    return rows


def _recipient_problems(scenario: Scenario) -> list[FieldError]:
    """NOTE-2: each recipient is one of the scenario's `users`, with tool rights to District Employment and/or
    District Assignments (the same refusal as the Campus UI's, `notifications.recipient_refusal`)."""
    users = {u.username: u for u in scenario.users}
    errors: list[FieldError] = []
    for i, n in enumerate(scenario.notifications):
        for j, username in enumerate(n.recipients):
            field = f"notifications[{i}].recipients[{j}]"
            user = users.get(username)
            if user is None:
                errors.append(FieldError(field, "unknown_campus_user",
                                         f"Recipient {username!r} is not one of the scenario's users"))
            elif not user.tool_rights:
                errors.append(FieldError(field, notifications.NO_TOOL_RIGHTS,
                                         notifications.no_tool_rights_message(user.name, user.username)))
    return errors


def load(session: Session, district: m.District, scenario: Scenario) -> None:
    _check_references(scenario)
    did = district.id
    clock = clock_of(district)
    today = clock.today()

    def bulk(model: type[Base], rows: list[dict[str, Any]]) -> None:
        if rows:
            session.execute(insert(model), rows)

    bulk(m.School, [{"district_id": did, "school_number": s.school_number, "name": s.name}
                    for s in scenario.schools])
    bulk(m.Gender, [{"district_id": did, "code": g.code, "name": g.name} for g in scenario.genders])
    bulk(m.AssignmentCode, [{"district_id": did, "code": a.code, "name": a.name}
                            for a in scenario.assignment_codes])
    titles = {t.title_code: t.description for t in scenario.titles}
    for p in scenario.persons:
        for pos in p.positions:
            if pos.title_code and pos.title_code not in titles:
                titles[pos.title_code] = pos.title_description or pos.title_code
    bulk(m.Title, [{"district_id": did, "title_code": c, "description": d} for c, d in titles.items()])
    bulk(m.CampusUser, [{"district_id": did, "username": u.username, "name": u.name,
                         "district_employment_rights": m.DISTRICT_EMPLOYMENT in u.tool_rights,
                         "district_assignments_rights": m.DISTRICT_ASSIGNMENTS in u.tool_rights}
                        for u in scenario.users])

    now = clock.now()
    persons = [m.Person(district_id=did, staff_number=p.staff_number, scenario_ref=p.ref, created_at=now,
                        synced_at=p.synced_at) for p in scenario.persons]
    session.add_all(persons)
    session.flush()
    ids_by_ref = {p.ref: row.id for p, row in zip(scenario.persons, persons, strict=True) if p.ref}

    identities: list[dict[str, Any]] = []
    employments: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    for p, row in zip(scenario.persons, persons, strict=True):
        identities.extend(_identity_rows(did, row.id, p))
        employments.extend({"district_id": did, "person_id": row.id, "hire_date": e.hire_date,
                            "termination_date": e.termination_date} for e in p.employments)
        positions.extend({"district_id": did, "person_id": row.id, "school_number": pos.school_number,
                          "assignment_code": pos.assignment_code, "title_code": pos.title_code,
                          "start_date": pos.start_date, "end_date": pos.end_date, "linked": pos.linked}
                         for pos in p.positions)
    bulk(m.Identity, identities)
    bulk(m.Employment, employments)
    bulk(m.DistrictAssignment, positions)

    if scenario.notifications:
        users = {u.username: u.id for u in session.scalars(select(m.CampusUser).where(m.CampusUser.district_id == did))}
        for n in scenario.notifications:
            note = m.Notification(district_id=did, type=n.type)
            note.recipients = [m.NotificationRecipient(district_id=did, campus_user_id=users[name])
                               for name in dict.fromkeys(n.recipients)]  # all known: _recipient_problems
            session.add(note)
        session.flush()

    # Households, their addresses and locations in three set-wise steps: the district is empty
    # here (create, or reset after delete), so identical addresses are merged in memory.
    address_rows: list[m.Address] = []
    index_by_key: dict[str, int] = {}
    copies: Counter[str] = Counter()
    location_address: list[list[int]] = []
    for i, h in enumerate(scenario.households):
        indexes = []
        for j, loc in enumerate(h.locations):
            field = f"households[{i}].locations[{j}].address"
            parts = _scenario_parts(loc.address, field)
            key = addresses.key_of(parts, loc.address)
            if key in index_by_key and not loc.duplicate_address:
                indexes.append(index_by_key[key])
                continue
            address_rows.append(_address_row(did, parts, loc.address, key, copies[key]))
            copies[key] += 1
            index_by_key.setdefault(key, len(address_rows) - 1)
            indexes.append(len(address_rows) - 1)
        location_address.append(indexes)
    for k, a in enumerate(scenario.addresses):  # addresses no location uses (MOCK-12)
        parts = _scenario_parts(a, f"addresses[{k}]")
        key = addresses.key_of(parts, a)
        if key in index_by_key and not a.duplicate_address:
            continue
        address_rows.append(_address_row(did, parts, a, key, copies[key]))
        copies[key] += 1
        index_by_key.setdefault(key, len(address_rows) - 1)
    households = [m.Household(district_id=did, name=h.name, phone=h.phone, staff_household=h.staff_household)
                  for h in scenario.households]
    session.add_all(address_rows)
    session.add_all(households)
    session.flush()
    bulk(m.HouseholdMember, [{"district_id": did, "household_id": row.id, "person_id": ids_by_ref[ref]}
                             for h, row in zip(scenario.households, households, strict=True)
                             for ref in dict.fromkeys(h.members)])
    bulk(m.HouseholdLocation, [{
        "district_id": did, "household_id": row.id, "address_id": address_rows[index].id,
        "start_date": loc.start_date or today, "end_date": loc.end_date, "mailing": loc.mailing,
        "physical": loc.physical, "secondary": loc.secondary, "private": loc.private,
    } for h, row, indexes in zip(scenario.households, households, location_address, strict=True)
        for loc, index in zip(h.locations, indexes, strict=True)])


def _scenario_parts(a: AddressIn, field: str) -> StreetParts:
    """The address as Campus stores it: parsed when given whole, else its normalised parts (no re-parse)."""
    addresses.check_shape(a, field)
    if a.full_street_address is not None:
        return addresses.candidate_parts(a, field)[0][1]
    parts = normalise_parts(StreetParts(
        post_office_box=bool(a.post_office_box), number=a.number, prefix=a.prefix, street=a.street, tag=a.tag,
        direction=a.direction, apt=a.apt,
    ))
    addresses.check_widths(parts, a, field)
    return parts


def _address_row(district_id: int, parts: StreetParts, a: AddressIn, key: str, duplicate_no: int) -> m.Address:
    return m.Address(
        district_id=district_id, post_office_box=parts.post_office_box, number=parts.number, prefix=parts.prefix,
        street=parts.street, tag=parts.tag, direction=parts.direction, apt=parts.apt, city=a.city,
        state=a.state.upper() if a.state else None, zip=a.zip, county=a.county, location_code=a.location_code,
        tract=a.tract, block=a.block, match_key=key, duplicate_no=duplicate_no,
    )
