"""Which staged staff members a commit would not change at all (SYNC-6), as a pure predicate.

A sync usually sends every staff member, and most of them equal Campus. Running `update_staff` on
those writes nothing, yet costs a dozen queries each; the commit marks them synced (SYNC-8) in bulk
instead. So this predicate must be exact where it says "unchanged": it mirrors, field by field,
what the staff service (IDENT-1..3, EMP-2, POS-5, POS-8) and the households service (HH-1..5)
would write, and answers False whenever in doubt. `tests/api/test_sync_commit.py` proves that a
commit with the shortcut leaves Campus exactly as a commit through `update_staff` for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from boi_mock.domain.sync_report import (
    CampusLocation,
    CampusPerson,
    HrStaff,
    assignment_plan,
    demographic_fields,
    employment_differs,
    resolve_key,
    wire_date,
)

FLAGS = ("mailing", "physical", "secondary", "private")


def location_changes(stored: CampusLocation, sent: Mapping[str, Any]) -> bool:
    """households._update_location: explicitly sent flags (non-null), startDate (non-null), endDate."""
    for flag in FLAGS:
        if sent.get(flag) is not None and sent[flag] != getattr(stored, flag):
            return True
    start = wire_date(sent.get("startDate"))
    if start is not None and start != stored.start_date:
        return True
    return "endDate" in sent and wire_date(sent["endDate"]) != stored.end_date


def household_unchanged(person: CampusPerson, hr: HrStaff, address_ids: Mapping[str, int]) -> bool:
    """HH-1..5: True when applying HR's household data would write nothing.

    `address_ids`: match key → the address id `addresses.resolve` picks for it (lowest duplicate_no).
    """
    sent = hr.payload.get("household")
    if sent is None or not person.household_applies:
        return True  # nothing sent, or ignored (HH-3, HH-5, not a staff household)
    household = person.household
    if household is None:
        return False  # HH-1: a staff household would be created
    if sent.get("name") is not None and sent["name"] != household.name:
        return False
    if "phone" in sent and sent["phone"] != household.phone:
        return False
    if sent.get("householdLocations") is None:
        return True
    if hr.address_error or hr.addresses is None:
        return False
    current: dict[int, CampusLocation] = {}
    for location in household.locations:
        current.setdefault(location.address_id, location)
    seen: set[int] = set()
    for address in hr.addresses:
        address_id = address_ids.get(resolve_key(address.candidate_keys, address_ids.keys()))
        if address_id is None or address_id not in current or address_id in seen:
            return False  # a new address or location (or the same address sent twice)
        seen.add(address_id)
        if location_changes(current[address_id], address.location):
            return False
    return set(current) <= seen  # a current location not sent would be end-dated


def unchanged(person: CampusPerson, hr: HrStaff, address_ids: Mapping[str, int], title_codes: Set[str]) -> bool:
    """True when `update_staff(person, hr)` would change nothing in Campus."""
    if hr.address_error:
        return False
    if demographic_fields(person, hr) or employment_differs(person, hr):
        return False
    differs, _blocked = assignment_plan(person, hr)
    if differs:
        return False
    if any(p.title_code and p.title_code not in title_codes for p in hr.positions or []):
        return False  # POS-5 would create the title
    return household_unchanged(person, hr, address_ids)


def unchanged_staff(campus: list[CampusPerson], hr: list[HrStaff], address_ids: Mapping[str, int],
                    title_codes: Set[str]) -> dict[int, int]:
    """Staging row id → person id of every HR staff member matched to exactly one person and unchanged."""
    by_number: dict[str, list[CampusPerson]] = {}
    for person in campus:
        if person.staff_number:
            by_number.setdefault(person.staff_number, []).append(person)
    out: dict[int, int] = {}
    for h in hr:
        matches = by_number.get(h.staff_number, [])
        if len(matches) == 1 and unchanged(matches[0], h, address_ids, title_codes):
            out[h.row_id] = matches[0].person_id
    return out
