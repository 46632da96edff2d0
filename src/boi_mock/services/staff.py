"""Staff members (STAFF-1..8, IDENT-1..3, EMP-1..2, POS-5..8): create, update, add and update positions.

Every write first checks the whole request (boi_mock/services/staff_checks.py), then plans with the
pure rules (boi_mock/domain/identities|employments|positions), and only then writes: a request that
fails on its last position has written nothing (and the unit of work rolls back anyway).
Services flush; the request's unit of work (or the sync job) commits. Reading (the staff member
object, the MOCK-4 view) lives in boi_mock/services/staff_read.py and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from boi_mock import models as m
from boi_mock.domain import employments as emp_rules
from boi_mock.domain import identities as ident_rules
from boi_mock.domain import positions as pos_rules
from boi_mock.errors import BadRequest, Conflict, FieldError, NotFound
from boi_mock.repositories import staff as repo
from boi_mock.schemas.staff import PositionIn, PositionUpdateIn, StaffMemberIn, StaffMemberOut
from boi_mock.services import households, notifications
from boi_mock.services.addresses import Candidates
from boi_mock.services.context import DistrictContext
from boi_mock.services.staff_checks import (
    ReferenceSets,
    check_staff,
    check_staff_payload,
    position_problems,
    raise_problems,
)
from boi_mock.services.staff_read import (
    current_identity,
    find_person,
    locked_fields,
    member_out,
    person_view,
    positions_out,
    read_staff,
    search,
    staff_out,
)

__all__ = [
    "ReferenceSets", "add_position", "check_staff_payload", "create_staff", "create_staff_member",
    "current_identity", "find_person", "locked_fields", "person_view", "positions_out", "read_staff", "search",
    "staff_out", "update_position", "update_staff",
]

# A person's employment or position row (_apply_plan).
_Row = TypeVar("_Row", m.Employment, m.DistrictAssignment)


# --- writing: helpers -------------------------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _record(p: PositionIn) -> pos_rules.PositionRecord:
    return pos_rules.PositionRecord(_clean(p.school_number), _clean(p.assignment_code), _clean(p.title_code),
                                    p.start_date, p.end_date)


def _stored(p: m.DistrictAssignment) -> pos_rules.PositionRecord:
    return pos_rules.PositionRecord(p.school_number, p.assignment_code, p.title_code, p.start_date,
                                    p.end_date, p.linked)


def _new_position(ctx: DistrictContext, r: pos_rules.PositionRecord) -> m.DistrictAssignment:
    return m.DistrictAssignment(district_id=ctx.district_id, school_number=r.school_number or "",
                                assignment_code=r.assignment_code, title_code=r.title_code,
                                start_date=r.start_date, end_date=r.end_date, linked=False)


def _new_employment(district_id: int, hire: date | None, termination: date | None) -> m.Employment:
    return m.Employment(district_id=district_id, hire_date=hire, termination_date=termination)


def wanted_titles(positions: Sequence[PositionIn]) -> dict[str, str]:
    """POS-5: each titleCode sent, with the description a new title would get (titleDescription or the code)."""
    wanted: dict[str, str] = {}
    for p in positions:
        code = _clean(p.title_code)
        if code and code not in wanted:
            wanted[code] = _clean(p.title_description) or code
    return wanted


def _ensure_titles(ctx: DistrictContext, positions: Sequence[PositionIn]) -> dict[str, str]:
    """POS-5: an unknown titleCode becomes a district title (description: titleDescription or the code).
    Existing titles keep their description. Returns the description of every code sent, for the answer."""
    wanted = wanted_titles(positions)
    known = repo.title_descriptions(ctx.session, ctx.district_id, set(wanted))
    for code, description in wanted.items():
        if code not in known:
            known[code] = description[:200]
            ctx.session.add(m.Title(district_id=ctx.district_id, title_code=code, description=known[code]))
            ctx.fire("POS-5")
    return known


def _display_name(last_name: str, first_name: str, staff_number: str | None) -> str:
    return f"{last_name}, {first_name} (staff number {staff_number})"


def _name_of(person: m.Person) -> str:
    ident = current_identity(person)
    return _display_name(ident.last_name, ident.first_name, person.staff_number)


def hr_staff_message(actor: str, event: str, name: str, what: str) -> tuple[str, str]:
    """NOTE-1: an HR-Staff message's subject and body."""
    return f"HR-Staff: {event}: {name}", f"The HR system ({actor}) {what} {name}."


def created_message(actor: str, last_name: str, first_name: str, staff_number: str) -> tuple[str, str]:
    """NOTE-1: the HR-Staff message's subject and body for a created staff member (STAFF-5)."""
    return hr_staff_message(actor, notifications.STAFF_CREATED, _display_name(last_name, first_name, staff_number),
                            "created")


def _notify(ctx: DistrictContext, event: str, name: str, what: str) -> None:
    notifications.notify(ctx, notifications.HR_STAFF, event, *hr_staff_message(ctx.actor, event, name, what))


def _demographics(payload: StaffMemberIn, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(payload, f) for f in fields}


# --- writing: use cases -----------------------------------------------------------------------------------


def create_staff(ctx: DistrictContext, payload: StaffMemberIn, *, ref: ReferenceSets | None = None,
                 parsed: Mapping[int, Candidates] | None = None) -> m.Person:
    """STAFF-5: a new person with a current identity dated today, employments (EMP-1), positions (POS-1..5)
    and a staff household (HH-1, via the households service). `parsed`: see `check_staff`."""
    person = ctx.session.get(m.Person, _create(ctx, payload, ref, parsed).person_id)
    assert person is not None  # inserted just now, in this transaction
    return person


def create_staff_member(ctx: DistrictContext, payload: StaffMemberIn) -> StaffMemberOut:
    """STAFF-5 and its answer, from what the write already knows: nothing is read back but a household
    that was sent (a new person with none sent is in no household)."""
    created = _create(ctx, payload, None, None)
    shown = None if payload.household is None else households.household_out(ctx, m.Person(id=created.person_id))
    return member_out(created.member, created.employments, created.positions, shown)


@dataclass(frozen=True)
class NewStaffMember:
    """STAFF-5's rows for a checked payload, and its demographics (names cleaned)."""

    demographics: dict[str, Any]
    rows: repo.NewStaff


def new_staff(payload: StaffMemberIn, titles: Mapping[str, str], today: date) -> NewStaffMember:
    """The current identity (names cleaned, dated today), employments (EMP-1) and positions of a new staff member
    whose payload passed `check_staff`; `titles`: the description of each titleCode sent (POS-5)."""
    assert payload.staff_number is not None  # checked
    values = _demographics(payload, ident_rules.DEMOGRAPHIC_FIELDS)
    for name in ident_rules.NAME_FIELDS:
        values[name] = ident_rules.clean_name(values[name])
    employments = [repo.EmploymentRow(e.hire_date, e.termination_date) for e in payload.employments or []]
    positions = [repo.PositionRow(r.school_number or "", r.assignment_code, r.title_code,
                                  titles.get(r.title_code or ""), r.start_date, r.end_date, False)
                 for r in (_record(p) for p in payload.positions or [])]
    return NewStaffMember(values, repo.NewStaff(payload.staff_number, {**values, "start_date": today},
                                                employments, positions))


@dataclass(frozen=True)
class _Created:
    person_id: int
    member: repo.MemberRow
    employments: list[repo.EmploymentRow]
    positions: list[repo.PositionRow]


def _create(ctx: DistrictContext, payload: StaffMemberIn, ref: ReferenceSets | None,
            parsed: Mapping[int, Candidates] | None) -> _Created:
    checked = check_staff(ctx, payload, creating=True, ref=ref, parsed=parsed)
    raise_problems(checked.problems)
    staff_number, last_name, first_name = payload.staff_number, payload.last_name, payload.first_name
    assert staff_number is not None and last_name is not None and first_name is not None  # checked above
    if repo.staff_number_taken(ctx.session, ctx.district_id, staff_number):
        raise Conflict(f"A staff member with staffNumber {staff_number!r} already exists; update it instead",
                       code="staff_exists", errors=[FieldError("staffNumber", "staff_exists",
                                                               f"staffNumber {staff_number} already exists")])
    new = new_staff(payload, _ensure_titles(ctx, payload.positions or []), ctx.clock.today())
    values, employments, positions = new.demographics, list(new.rows.employments), list(new.rows.positions)
    person_id = repo.insert_staff(ctx.session, ctx.district_id, staff_number, ctx.clock.now(),
                                  identity=new.rows.identity,
                                  employments=employments, positions=positions)
    ctx.campus_changed()
    if payload.household is not None:
        person = ctx.session.get(m.Person, person_id)
        assert person is not None  # inserted just now, in this transaction
        households.apply_household(ctx, person, payload.household, creating=True, last_name=values["last_name"],
                                   parsed=checked.addresses)
    ctx.fire("STAFF-5")
    if employments:
        ctx.fire("EMP-1")
    notifications.notify(ctx, notifications.HR_STAFF, notifications.STAFF_CREATED,
                         *created_message(ctx.actor, values["last_name"], values["first_name"], staff_number))
    return _Created(person_id, repo.MemberRow(person_id=person_id, staff_number=staff_number, demographics=values),
                    employments, positions)


def _plan_positions(ctx: DistrictContext, person: m.Person,
                    payload: StaffMemberIn) -> pos_rules.PositionPlan | None:
    """POS-8, checked before anything is written: a linked position the list leaves out fails the update."""
    if payload.positions is None:
        return None
    stored = [_stored(p) for p in person.positions]
    plan = pos_rules.plan_positions(stored, [_record(p) for p in payload.positions])
    blocked = plan.blocked(stored)
    if blocked:
        described = [stored[i].describe() for i in blocked]
        raise Conflict(
            f"{len(blocked)} position(s) cannot be removed because they are linked to other Campus records "
            f"({'; '.join(described)}); send every position the staff member has ever had, with end dates",
            code="position_in_use",
            errors=[FieldError("positions", "position_in_use",
                               f"Position ({d}) is linked and cannot be removed") for d in described],
            extra={"linkedPositions": [p.model_dump(mode="json", by_alias=True) for p in
                                       positions_out(ctx, [person.positions[i] for i in blocked])]})
    return plan


def _apply_identity(ctx: DistrictContext, person: m.Person, payload: StaffMemberIn) -> bool:
    """IDENT-1..3 (STAFF-6: absent unchanged, null clears)."""
    sent = payload.model_fields_set
    ident = current_identity(person)
    current = ident_rules.Demographics.of(ident)
    today = ctx.clock.today()
    change = ident_rules.plan_update(current, ident.start_date,
                                     _demographics(payload, (f for f in ident_rules.DEMOGRAPHIC_FIELDS
                                                             if f in sent)), today)
    if change.cosmetic:
        ctx.fire("IDENT-3")
    if change.new_identity:
        ident.end_date = change.previous_end
        ident.is_current = False
        person.identities.append(m.Identity(district_id=ctx.district_id, **change.result.as_dict(),
                                            start_date=today, end_date=None, is_current=True))
        ctx.fire("IDENT-1")
    elif change.in_place:
        for name in change.changed:
            setattr(ident, name, getattr(change.result, name))
        ctx.fire("IDENT-2")
    return bool(change.changed)


def _apply_plan(collection: list[_Row], keep: Sequence[tuple[int, date | None]], remove: Sequence[int],
                end_attr: str, created: Iterable[_Row]) -> None:
    """EMP-2 / POS-8 (domain/complete_lists.py) applied to a person's rows: matches take the sent end date
    (`end_attr`), unmatched rows are removed, `created` appended. Indexes are into the rows as loaded."""
    rows = list(collection)
    for i, end in keep:
        setattr(rows[i], end_attr, end)
    for i in remove:
        collection.remove(rows[i])
    collection.extend(created)


def _apply_employments(ctx: DistrictContext, person: m.Person, payload: StaffMemberIn) -> bool:
    """EMP-2: the sent list is complete, matched by hireDate."""
    if payload.employments is None:
        return False
    stored = [emp_rules.EmploymentRecord(e.hire_date, e.termination_date) for e in person.employments]
    plan = emp_rules.plan_employments(stored, [emp_rules.EmploymentRecord(e.hire_date, e.termination_date)
                                               for e in payload.employments])
    if not plan.changes(stored):
        return False
    _apply_plan(person.employments, plan.keep, plan.remove, "termination_date",
                (_new_employment(ctx.district_id, r.hire_date, r.termination_date) for r in plan.create))
    ctx.fire("EMP-2")
    return True


def _apply_positions(ctx: DistrictContext, person: m.Person, payload: StaffMemberIn,
                     plan: pos_rules.PositionPlan | None) -> bool:
    if plan is None or payload.positions is None:
        return False
    _ensure_titles(ctx, payload.positions)
    if not plan.changes([_stored(p) for p in person.positions]):
        return False
    _apply_plan(person.positions, plan.keep, plan.remove, "end_date", (_new_position(ctx, r) for r in plan.create))
    ctx.fire("POS-8")
    return True


def update_staff(ctx: DistrictContext, staff_number: str, payload: StaffMemberIn, *,
                 person: m.Person | None = None, ref: ReferenceSets | None = None,
                 campus_edit: bool = False, parsed: Mapping[int, Candidates] | None = None) -> m.Person:
    """STAFF-6: absent fields unchanged, null clears; IDENT-1..3, EMP-2, POS-8, HH-2/3 (households).

    `campus_edit`: a Campus UI user edits unlocked fields (PREF-1) with the same rules; the person does
    not become HR-managed (synced_at kept) and no HR-Staff notification is sent (NOTE-1 is about the HR
    system)."""
    if "staff_number" in payload.model_fields_set and payload.staff_number != staff_number:
        raise BadRequest.field("staffNumber", "staff_number_mismatch",
                               f"staffNumber {payload.staff_number!r} in the body does not match "
                               f"{staff_number!r} in the path")
    person = person or find_person(ctx, staff_number)
    checked = check_staff(ctx, payload, creating=False, ref=ref, person=person, parsed=parsed)
    raise_problems(checked.problems)
    position_plan = _plan_positions(ctx, person, payload)
    demographics_changed = _apply_identity(ctx, person, payload)
    employments_changed = _apply_employments(ctx, person, payload)
    positions_changed = _apply_positions(ctx, person, payload, position_plan)
    household_sent = "household" in payload.model_fields_set
    if household_sent:
        households.apply_household(ctx, person, payload.household, creating=False,
                                   last_name=current_identity(person).last_name, parsed=checked.addresses)
    if not campus_edit:
        person.synced_at = ctx.clock.now()
    ctx.session.flush()
    ctx.fire("STAFF-6")
    if demographics_changed or employments_changed or positions_changed or household_sent:
        ctx.campus_changed()
    if campus_edit:
        return person
    if demographics_changed or employments_changed or household_sent:
        _notify(ctx, notifications.STAFF_UPDATED, _name_of(person), "updated")
    if positions_changed:
        _notify(ctx, notifications.ASSIGNMENTS_UPDATED, _name_of(person), "updated the district assignments of")
    return person


def add_position(ctx: DistrictContext, staff_number: str, payload: PositionIn) -> m.DistrictAssignment:
    """POS-6: one more position; identical duplicates are allowed (no position identifier)."""
    raise_problems(position_problems(payload, ReferenceSets.load(ctx.session, ctx.district_id)))
    person = find_person(ctx, staff_number)
    _ensure_titles(ctx, [payload])
    position = _new_position(ctx, _record(payload))
    person.positions.append(position)
    person.synced_at = ctx.clock.now()
    ctx.session.flush()
    ctx.campus_changed()
    ctx.fire("POS-6")
    _notify(ctx, notifications.ASSIGNMENTS_UPDATED, _name_of(person), "added a district assignment to")
    return position


def update_position(ctx: DistrictContext, staff_number: str, payload: PositionUpdateIn
                    ) -> list[m.DistrictAssignment]:
    """POS-7: the positions matched by school + title/assignment, then startDate (→ endDate) or endDate
    (→ startDate). Returns the updated positions."""
    raise_problems(position_problems(payload, ReferenceSets.load(ctx.session, ctx.district_id)))
    assert payload.school_number is not None and payload.start_date is not None  # checked above
    person = find_person(ctx, staff_number)
    stored = [_stored(p) for p in person.positions]
    update = pos_rules.PositionUpdate(school_number=payload.school_number.strip(),
                                      title_code=_clean(payload.title_code),
                                      assignment_code=_clean(payload.assignment_code),
                                      start_date=payload.start_date, end_date=payload.end_date)
    plan = pos_rules.plan_position_update(stored, update)
    if plan is None:
        raise NotFound(f"Staff member {staff_number} has no position matching school {update.school_number}"
                       + (f", title {update.title_code}" if update.title_code else "")
                       + (f", assignment {update.assignment_code}" if update.assignment_code else "")
                       + f" with startDate {update.start_date} or endDate {update.end_date}",
                       code="position_not_found")
    rows = [person.positions[i] for i in plan.indices]
    changed = plan.changes(stored)
    for row in rows:
        setattr(row, plan.sets, plan.value)
    ctx.fire("POS-7")
    if changed:
        person.synced_at = ctx.clock.now()
        ctx.session.flush()
        ctx.campus_changed()
        _notify(ctx, notifications.ASSIGNMENTS_UPDATED, _name_of(person), "updated a district assignment of")
    return rows
