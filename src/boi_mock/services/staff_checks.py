"""Input checks for staff members, without writing anything (STAFF-1, STAFF-2, POS-1..3, ADDR-1..3).

Shared by create/update (boi_mock/services/staff.py) and the sync transfer, which checks up to 1000
objects per call: `ReferenceSets` loads the district's codes once for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.domain.positions import required_problems
from boi_mock.errors import BadRequest, FieldError
from boi_mock.schemas.staff import PositionIn, PositionUpdateIn, StaffMemberIn
from boi_mock.services import addresses, households
from boi_mock.services.context import DistrictContext

REQUIRED_ON_CREATE = (("staff_number", "staffNumber"), ("last_name", "lastName"), ("first_name", "firstName"))
REQUIRED_NAMES = (("last_name", "lastName"), ("first_name", "firstName"))


_DISTRICT = bindparam("district_id", type_=Integer)
_REFERENCE_SETS = union_all(  # built once: building it cost more than running it
    select(literal("school"), m.School.school_number).where(m.School.district_id == _DISTRICT),
    select(literal("gender"), m.Gender.code).where(m.Gender.district_id == _DISTRICT),
    select(literal("assignment"), m.AssignmentCode.code).where(m.AssignmentCode.district_id == _DISTRICT),
)


@dataclass(frozen=True)
class ReferenceSets:
    """The district's school numbers, gender codes and assignment codes (REF-1..3)."""

    schools: frozenset[str]
    genders: frozenset[str]
    assignment_codes: frozenset[str]

    @classmethod
    def load(cls, session: Session, district_id: int) -> ReferenceSets:
        """One round-trip for the three lists."""
        rows = session.execute(_REFERENCE_SETS, {"district_id": district_id})
        sets: dict[str, set[str]] = {"school": set(), "gender": set(), "assignment": set()}
        for kind, code in rows:
            sets[kind].add(code)
        return cls(schools=frozenset(sets["school"]), genders=frozenset(sets["gender"]),
                   assignment_codes=frozenset(sets["assignment"]))


def position_problems(p: PositionIn | PositionUpdateIn, ref: ReferenceSets) -> list[FieldError]:
    """POS-1..3 for one position; paths relative to it (`schoolNumber`, or "" for the position itself)."""
    problems = required_problems(p.school_number, p.title_code, p.assignment_code, p.start_date)
    school = (p.school_number or "").strip()
    if school and school not in ref.schools:
        problems.append(FieldError("schoolNumber", "unknown_school",
                                   f"School number {p.school_number} does not exist"))
    code = (p.assignment_code or "").strip()
    if code and code not in ref.assignment_codes:
        problems.append(FieldError("assignmentCode", "unknown_assignment_code",
                                   f"Assignment code {p.assignment_code} does not exist"))
    return problems


def _name_problems(payload: StaffMemberIn, *, creating: bool) -> list[FieldError]:
    problems: list[FieldError] = []
    sent = payload.model_fields_set
    if creating:
        problems.extend(FieldError(wire, "missing_field", f"{wire} is required to create a staff member")
                        for attr, wire in REQUIRED_ON_CREATE if getattr(payload, attr) is None)
    for attr, wire in REQUIRED_NAMES:
        value: str | None = getattr(payload, attr)
        if value is not None and not value.strip():
            problems.append(FieldError(wire, "invalid_value", f"{wire} must not be blank"))
        elif value is None and attr in sent and not creating:
            problems.append(FieldError(wire, "invalid_value", f"{wire} cannot be cleared (send a name)"))
    return problems


@dataclass(frozen=True)
class StaffCheck:
    """What checking one staff member object found: its problems, and the ADDR-5 candidates of each
    household location's address by index (parsed here once; the write hands them to `addresses.resolve`)."""

    problems: list[FieldError]
    addresses: dict[int, addresses.Candidates]


def _check_addresses(payload: StaffMemberIn, parsed: dict[int, addresses.Candidates],
                     known: Mapping[int, addresses.Candidates]) -> list[FieldError]:
    problems: list[FieldError] = []
    locations = payload.household.household_locations if payload.household else None
    for j, location in enumerate(locations or []):
        if j in known:  # parsed (and found fine) already: by the sync transfer that staged this payload
            parsed[j] = known[j]
            continue
        field = f"household.householdLocations[{j}].address"
        try:
            parsed[j] = addresses.candidate_parts(location.address, field)
        except BadRequest as exc:
            problems.extend(exc.errors or [FieldError(field, exc.code, exc.detail)])
    return problems


def check_staff_payload(ctx: DistrictContext, payload: StaffMemberIn, *, creating: bool,
                        ref: ReferenceSets | None = None, person: m.Person | None = None) -> list[FieldError]:
    """Every shape and reference problem of one staff member object; empty when it may be written."""
    return check_staff(ctx, payload, creating=creating, ref=ref, person=person).problems


def check_staff(ctx: DistrictContext, payload: StaffMemberIn, *, creating: bool,
                ref: ReferenceSets | None = None, person: m.Person | None = None,
                parsed: Mapping[int, addresses.Candidates] | None = None) -> StaffCheck:
    """`check_staff_payload`, keeping the parsed household addresses for the write.

    Household addresses are checked only when the household data would be applied: not when the
    district refuses it (PREF-2, HH-5) nor, given the `person` being updated, when they share their
    household with others (HH-3): ignored data cannot fail the call. `parsed`: candidates of this
    payload's addresses by location index, known from an earlier check (the sync's transfer).
    """
    ref = ref or ReferenceSets.load(ctx.session, ctx.district_id)
    found: dict[int, addresses.Candidates] = {}
    problems = _name_problems(payload, creating=creating)
    if payload.gender is not None and payload.gender not in ref.genders:
        problems.append(FieldError("gender", "unknown_gender",
                                   f"Gender {payload.gender!r} is not one of "
                                   f"{', '.join(sorted(ref.genders))}"))
    for i, position in enumerate(payload.positions or []):
        problems.extend(e.prefixed(f"positions[{i}]") for e in position_problems(position, ref))
    if payload.household is not None and households.accepts_household(ctx, None if creating else person):
        problems.extend(_check_addresses(payload, found, parsed or {}))
    return StaffCheck(problems, found)


def invalid(problems: list[FieldError]) -> BadRequest:
    """One 400 for all problems: the top-level code is theirs when they share one."""
    codes = {p.code for p in problems}
    code = codes.pop() if len(codes) == 1 else "invalid_request"
    first = problems[0].message
    detail = first if len(problems) == 1 else f"{len(problems)} problems; first: {first}"
    extra = addresses.unparseable_problem(problems) if code == "unparseable_address" else None
    return BadRequest(detail, code=code, errors=problems, extra=extra)


def raise_problems(problems: list[FieldError]) -> None:
    if problems:
        raise invalid(problems)
