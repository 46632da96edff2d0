"""The staff synchronization validation report (SYNC-4) and Check Campus Data (SYNC-9), as pure functions.

The service loads Campus and the staging rows into the plain values below with a few set-wise
queries; everything here is comparison. The rules are the commit's own (IDENT-1..3 via
`identities.plan_update`, EMP-2 via `plan_employments`, POS-8 via `plan_positions`, ADDR-5 key
resolution), so the report says exactly what a commit would change.

Counting (SYNC-10): "Campus staff" is a person with a staff number, or with a position or an
employment; every count is of persons, not of staff numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from boi_mock.domain.demographics import DEMOGRAPHICS, LISTED, WIRE, DemographicField
from boi_mock.domain.employments import EmploymentRecord, plan_employments
from boi_mock.domain.identities import NAME_FIELDS, Demographics, plan_update
from boi_mock.domain.masking import mask_ssn
from boi_mock.domain.positions import PositionRecord, plan_positions

# The guide's columns, in its order: summary.demographicDifferences.byField.
BY_FIELD = ("ssn", "staffNumber", "name", "gender", "personalEmail", "workEmail", "cellPhone", "otherPhone",
            "workPhone", "birthdate")
SUMMARY_KEYS = ("employmentDifferences", "assignmentDifferences", "addressDifferences", "hrStaffNotInCampus",
                "campusStaffNotInHr", "campusDuplicateStaffNumbers", "campusStaffWithoutStaffNumber")
DETAIL_KEYS = ("demographicDifferences", *SUMMARY_KEYS, "staffToAdd", "addressesToAdd")
# A date far enough in the past that identities.plan_update never matters for end dates here.
_NO_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class CampusAddress:
    """One current household location of a Campus person: its match key and how to show it."""

    key: str
    view: dict[str, Any]


@dataclass(frozen=True)
class CampusLocation:
    """A current location of the person's own staff household, as the households service compares it."""

    address_id: int
    start_date: date | None
    end_date: date | None
    mailing: bool
    physical: bool
    secondary: bool
    private: bool


@dataclass
class CampusHousehold:
    """The staff household HR data would update (HH-2): the person is its only member."""

    name: str
    phone: str | None
    locations: list[CampusLocation] = field(default_factory=list)


@dataclass
class CampusPerson:
    person_id: int
    staff_number: str | None
    demographics: Demographics
    employments: list[EmploymentRecord] = field(default_factory=list)
    positions: list[PositionRecord] = field(default_factory=list)
    # Current locations of the person's household(s).
    addresses: list[CampusAddress] = field(default_factory=list)
    # Whether a commit would apply HR household data to this person (HH-2/HH-3/HH-5).
    household_applies: bool = True
    # The own staff household HR data would update; None when there is none (a commit creates one).
    household: CampusHousehold | None = None

    @property
    def is_campus_staff(self) -> bool:
        """SYNC-10: a staff number, or a position, or an employment."""
        return bool(self.staff_number) or bool(self.positions) or bool(self.employments)


@dataclass(frozen=True)
class HrAddress:
    """An HR household location: the ADDR-5 candidate match keys (in order) and the address as sent.

    `current`: as `domain.locations.is_current` says (no end date, or ending today or later, but not one
    ending the day it starts, today or later). A commit makes exactly the current ones the household's
    current locations (households service); every sent one resolves to an address.
    """

    candidate_keys: tuple[str, ...]
    view: dict[str, Any]
    current: bool = True
    # The sent household location (flags, dates; only what HR sent).
    location: dict[str, Any] = field(default_factory=dict)


@dataclass
class HrStaff:
    """One staged HR staff member, decoded from its wire payload."""

    staff_number: str
    payload: dict[str, Any]
    # Demographic fields present in the payload (STAFF-6: absent = unchanged), snake_case → value.
    sent: dict[str, Any]
    employments: list[EmploymentRecord] | None
    positions: list[PositionRecord] | None
    # None: no locations to compare (household or householdLocations absent/null: locations unchanged).
    addresses: list[HrAddress] | None
    # The staging row (commit bookkeeping).
    row_id: int = 0
    # A sent address that does not parse (possible when PREF-2 was off at transfer): never skipped.
    address_error: bool = False


# --- decoding the wire payload ------------------------------------------------------------------------


def wire_date(value: Any) -> date | None:
    """A wire date ("YYYY-MM-DD") as a date; absent/null as None."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _clean(value: Any) -> str | None:
    """As the staff service stores position codes: trimmed, blank = none."""
    return (value.strip() or None) if isinstance(value, str) else None


def hr_staff(payload: Mapping[str, Any], addresses: list[HrAddress] | None, *, row_id: int = 0,
             address_error: bool = False) -> HrStaff:
    """A staged payload (camelCase JSON, already validated and normalised at transfer) as comparable values."""
    sent: dict[str, Any] = {}
    for f in DEMOGRAPHICS:
        if f.wire in payload:
            sent[f.name] = wire_date(payload[f.wire]) if f.kind == "date" else payload[f.wire]
    employments = None
    if payload.get("employments") is not None:
        employments = [EmploymentRecord(wire_date(e.get("hireDate")), wire_date(e.get("terminationDate")))
                       for e in payload["employments"]]
    positions = None
    if payload.get("positions") is not None:
        positions = [PositionRecord(_clean(p.get("schoolNumber")), _clean(p.get("assignmentCode")),
                                    _clean(p.get("titleCode")), wire_date(p.get("startDate")),
                                    wire_date(p.get("endDate")))
                     for p in payload["positions"]]
    return HrStaff(staff_number=str(payload["staffNumber"]), payload=dict(payload), sent=sent,
                   employments=employments, positions=positions, addresses=addresses, row_id=row_id,
                   address_error=address_error)


def resolve_key(candidate_keys: Sequence[str], existing: Set[str]) -> str:
    """ADDR-5: the first candidate Campus already holds, else the one a commit would create (the last)."""
    for key in candidate_keys:
        if key in existing:
            return key
    return candidate_keys[-1]


# --- the views shown side by side ---------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _shown(f: DemographicField, value: Any) -> Any:
    """A Campus demographic as the report shows it: dates as YYYY-MM-DD, the SSN masked."""
    if f.kind == "ssn":
        return mask_ssn(value) if value else None
    return _iso(value) if f.kind == "date" else value


def _demographics_view(d: Demographics) -> dict[str, Any]:
    return {f.wire: _shown(f, getattr(d, f.name)) for f in DEMOGRAPHICS}


def _sent_view(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The HR side: only the fields HR sent (an absent field leaves Campus unchanged); SSNs masked."""
    out: dict[str, Any] = {}
    for wire in WIRE.values():
        if wire in payload:
            value = payload[wire]
            out[wire] = mask_ssn(value) if wire == "ssn" and value else value
    return out


def _employment_view(records: Iterable[EmploymentRecord]) -> list[dict[str, Any]]:
    return [{"hireDate": _iso(r.hire_date), "terminationDate": _iso(r.termination_date)} for r in records]


def _position_view(records: Iterable[PositionRecord], *, with_linked: bool = False) -> list[dict[str, Any]]:
    out = []
    for r in records:
        row: dict[str, Any] = {"schoolNumber": r.school_number, "assignmentCode": r.assignment_code,
                               "titleCode": r.title_code, "startDate": _iso(r.start_date),
                               "endDate": _iso(r.end_date)}
        if with_linked:
            row["linked"] = r.linked
        out.append(row)
    return out


def _person_row(p: CampusPerson, *, in_hr: bool | None = None) -> dict[str, Any]:
    d = p.demographics
    row: dict[str, Any] = {"personID": p.person_id, "staffNumber": p.staff_number,
                           **{f.wire: _shown(f, getattr(d, f.name)) for f in LISTED},
                           "positions": len(p.positions), "employments": len(p.employments)}
    if in_hr is not None:
        row["inHr"] = in_hr
    return row


def _hr_row(h: HrStaff) -> dict[str, Any]:
    payload = h.payload
    return {"staffNumber": h.staff_number, **{f.wire: payload.get(f.wire) for f in LISTED},
            "positions": len(payload.get("positions") or []), "employments": len(payload.get("employments") or [])}


# --- the comparisons ----------------------------------------------------------------------------------


def demographic_fields(person: CampusPerson, hr: HrStaff) -> list[str]:
    """The guide's columns that differ; names compared as IDENT-1/IDENT-3 do (case/whitespace ignored)."""
    change = plan_update(person.demographics, _NO_DATE, hr.sent, _NO_DATE)
    out: list[str] = []
    for name in change.changed:
        column = "name" if name in NAME_FIELDS else WIRE[name]
        if column not in out:
            out.append(column)
    return sorted(out, key=BY_FIELD.index)


def employment_differs(person: CampusPerson, hr: HrStaff) -> bool:
    """EMP-2: the list sent is complete; absent → untouched."""
    if hr.employments is None:
        return False
    return plan_employments(person.employments, hr.employments).changes(person.employments)


def assignment_plan(person: CampusPerson, hr: HrStaff) -> tuple[bool, list[PositionRecord]]:
    """POS-8: (does the position set change, linked positions the commit would have to remove)."""
    if hr.positions is None:
        return False, []
    plan = plan_positions(person.positions, hr.positions)
    return plan.changes(person.positions), [person.positions[i] for i in plan.blocked(person.positions)]


def address_differs(person: CampusPerson, hr: HrStaff, existing: Set[str]) -> bool:
    """The sent current locations are the complete set (HH-2); an HR address that resolves (ADDR-4/5)
    to one of the person's current Campus addresses is no difference, however it is spelled."""
    if hr.addresses is None or not person.household_applies:
        return False
    sent = {resolve_key(a.candidate_keys, existing) for a in hr.addresses if a.current}
    return sent != {a.key for a in person.addresses}


@dataclass
class _Builder:
    existing_keys: frozenset[str]
    by_field: Counter[str] = field(default_factory=Counter)
    details: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {k: [] for k in DETAIL_KEYS})
    to_add: dict[str, dict[str, Any]] = field(default_factory=dict)

    def compare(self, person: CampusPerson, hr: HrStaff) -> None:
        sn, pid = hr.staff_number, person.person_id
        fields = demographic_fields(person, hr)
        if fields:
            self.by_field.update(fields)
            self.details["demographicDifferences"].append({
                "staffNumber": sn, "personID": pid, "fields": fields,
                "campus": _demographics_view(person.demographics), "hr": _sent_view(hr.payload)})
        if employment_differs(person, hr):
            self.details["employmentDifferences"].append({
                "staffNumber": sn, "personID": pid, "campus": _employment_view(person.employments),
                "hr": _employment_view(hr.employments or [])})
        differs, blocked = assignment_plan(person, hr)
        if differs:
            row: dict[str, Any] = {"staffNumber": sn, "personID": pid,
                                   "campus": _position_view(person.positions, with_linked=True),
                                   "hr": _position_view(hr.positions or [])}
            if blocked:  # POS-8: the commit of this staff member will fail with position_in_use
                row["linkedPositionsRemoved"] = _position_view(blocked)
            self.details["assignmentDifferences"].append(row)
        if address_differs(person, hr, self.existing_keys):
            self.details["addressDifferences"].append({
                "staffNumber": sn, "personID": pid, "campus": [a.view for a in person.addresses],
                "hr": [a.view for a in hr.addresses or [] if a.current]})
        if person.household_applies:
            self.collect_new_addresses(hr)

    def collect_new_addresses(self, hr: HrStaff) -> None:
        """addressesToAdd: addresses the commit will create (no candidate key exists yet), once each."""
        for a in hr.addresses or []:
            key = resolve_key(a.candidate_keys, self.existing_keys)
            if key in self.existing_keys:
                continue
            entry = self.to_add.setdefault(key, {"address": a.view, "staffNumbers": []})
            entry["staffNumbers"].append(hr.staff_number)


def build_report(campus: Sequence[CampusPerson], hr: Sequence[HrStaff], existing_address_keys: Iterable[str], *,
                 allow_household_updates: bool, generated_date: str) -> dict[str, Any]:
    """SYNC-4: summary counts and the rows behind each (Campus and HR side by side), plus what will be added."""
    builder = _Builder(existing_keys=frozenset(existing_address_keys))
    details = builder.details
    staff = [p for p in campus if p.is_campus_staff]
    by_number: dict[str, list[CampusPerson]] = {}
    for p in staff:
        if p.staff_number:
            by_number.setdefault(p.staff_number, []).append(p)
    hr_numbers = {h.staff_number for h in hr}

    for h in sorted(hr, key=lambda h: h.staff_number):
        matches = by_number.get(h.staff_number, [])
        if not matches:
            row = _hr_row(h)
            details["hrStaffNotInCampus"].append(row)
            details["staffToAdd"].append(row)
            if allow_household_updates:
                builder.collect_new_addresses(h)
        elif len(matches) == 1:
            builder.compare(matches[0], h)
        # Several Campus persons share the number: not compared (the commit fails them, SYNC-6);
        # they are listed under campusDuplicateStaffNumbers.

    for p in sorted(staff, key=lambda p: (p.staff_number or "", p.person_id)):
        if not p.staff_number:
            details["campusStaffWithoutStaffNumber"].append(_person_row(p))
            details["campusStaffNotInHr"].append(_person_row(p))
        elif p.staff_number not in hr_numbers:
            details["campusStaffNotInHr"].append(_person_row(p))
        if p.staff_number and len(by_number[p.staff_number]) > 1:
            details["campusDuplicateStaffNumbers"].append(_person_row(p, in_hr=p.staff_number in hr_numbers))
    details["addressesToAdd"] = list(builder.to_add.values())

    summary: dict[str, Any] = {
        "demographicDifferences": {
            "total": len(details["demographicDifferences"]),
            "byField": {f: builder.by_field.get(f, 0) for f in BY_FIELD},
        },
    }
    for key in SUMMARY_KEYS:
        summary[key] = len(details[key])
    return {"generatedDate": generated_date, "hrStaffTransferred": len(hr), "summary": summary,
            "details": details}


def check_campus_data(campus: Sequence[CampusPerson], *, generated_date: str) -> dict[str, Any]:
    """SYNC-9: Campus staff with duplicate staff numbers and with none (counted as persons, SYNC-10)."""
    staff = [p for p in campus if p.is_campus_staff]
    numbers = Counter(p.staff_number for p in staff if p.staff_number)
    ordered = sorted(staff, key=lambda p: (p.staff_number or "", p.person_id))
    duplicates = [_person_row(p) for p in ordered if p.staff_number and numbers[p.staff_number] > 1]
    missing = [_person_row(p) for p in ordered if not p.staff_number]
    return {
        "generatedDate": generated_date,
        "summary": {"campusStaff": len(staff), "campusDuplicateStaffNumbers": len(duplicates),
                    "duplicatedStaffNumbers": sum(1 for n in numbers.values() if n > 1),
                    "campusStaffWithoutStaffNumber": len(missing)},
        "details": {"campusDuplicateStaffNumbers": duplicates, "campusStaffWithoutStaffNumber": missing},
    }
