"""Staff search (STAFF-7) and the staff page: demographics, identity history, employments, district
assignments, household. Unlocked areas (PREF-1, STAFF-8, SYNC-8) are edited through the staff
service's update, with the Campus user as the actor, so the API's rules apply to Campus edits too.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError, create_model

from boi_mock.admin.deps import Ui, UiDep
from boi_mock.admin.paging import Pager
from boi_mock.admin.render import redirect, render
from boi_mock.domain.demographics import DEMOGRAPHICS
from boi_mock.domain.masking import mask_ssn
from boi_mock.errors import BadRequest, Conflict
from boi_mock.schemas.staff import StaffMemberIn
from boi_mock.services import logs, people, reference, staff
from boi_mock.web.problems import validation_errors

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

router = APIRouter()
PAGE = 50
# The preference that locks each editable area (PREF-1), by a field staff.locked_fields names.
AREAS = {
    "demographics": ("lastName", "Staff Demographics"),
    "employments": ("employments", "Staff Employment"),
    "assignments": ("positions", "Staff Employment Assignments"),
    "household": ("household", "Staff Household"),
}
# The staff page's demographics form: Campus's order puts these first, every other declared field follows in the
# table's order (`domain.demographics`: a new field reaches the form without an edit here).
_FORM_FIRST = ("lastName", "firstName", "middleName", "gender", "birthdate")
DEMOGRAPHIC_FORM = tuple((f.wire, f.name, f.label) for f in sorted(
    DEMOGRAPHICS, key=lambda f: _FORM_FIRST.index(f.wire) if f.wire in _FORM_FIRST else len(_FORM_FIRST)))

if TYPE_CHECKING:
    class DemographicsForm(BaseModel):
        """What the demographics form posts: every declared field by its wire name, blank when empty."""

        def __getattr__(self, name: str) -> str: ...
else:
    DemographicsForm = create_model("DemographicsForm", __doc__="What the demographics form posts.", **{
        f.name: (str, Field(default="", alias=f.wire)) for f in DEMOGRAPHICS})
Texts = Annotated[list[str], Form()]
Indexes = Annotated[list[int], Form()]


@router.get("/staff", response_class=HTMLResponse)
def staff_search(ui: UiDep, q: str = "", page: int = 1, offset: int | None = None) -> Response:
    """Numbered pages of PAGE rows (`offset`, the old links' parameter, still lands on its page)."""
    if offset is not None:
        page = max(offset, 0) // PAGE + 1
    total = people.count(ui.ctx, q, staff_only=True)
    pager = Pager.of(total, page, PAGE, lambda n: ui.links("staff", q=q, page=n if n > 1 else None))
    _, rows = people.search(ui.ctx, q, staff_only=True, limit=PAGE, offset=pager.offset, total=total)
    return render(ui.request, "staff_search.html", {
        "nav": "staff", "q": q, "rows": rows, "total": total, "pager": pager,
    }, ui=ui)


def _payload(data: dict[str, Any]) -> StaffMemberIn:
    try:
        return StaffMemberIn.model_validate(data)
    except ValidationError as exc:
        problems = validation_errors(exc.errors())
        raise BadRequest(problems[0].message if len(problems) == 1 else f"{len(problems)} fields are not valid",
                         errors=problems) from exc


def _check_unlocked(ui: Ui, person: m.Person, area: str) -> None:
    """PREF-1 / STAFF-8: a locked area cannot be edited in Campus, whatever the form says."""
    marker, label = AREAS[area]
    if marker in staff.locked_fields(ui.district, person):
        raise Conflict(f"{label} is locked for this staff member by Business Office Preferences; "
                       "the HR system maintains it", code="field_locked")


def _save(ui: Ui, person: m.Person, payload: StaffMemberIn, what: str) -> Response:
    staff.update_staff(ui.ctx, person.staff_number or "", payload, person=person, campus_edit=True)
    ui.ctx.campus_changed()  # SYNC-5: a Campus edit makes a validated sync stale
    fired = ", ".join(r for r in ui.ctx.rules if r != "STAFF-6")
    note = f"{what} saved by {ui.ctx.actor}." + (f" Rules applied: {fired}." if fired else "")
    return redirect(ui.request, ui.links("staff", person.id) + f"#{_anchor(what)}", notice=note)


def _anchor(what: str) -> str:
    return {"Demographics": "demographics", "Employments": "employments", "District assignments": "assignments",
            "Household": "household"}.get(what, "")


def _date(value: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest.field(field, "invalid_value", f"{field}: {value!r} is not a date (YYYY-MM-DD)") from exc


@router.get("/staff/{person_id}", response_class=HTMLResponse)
def staff_page(ui: UiDep, person_id: int) -> Response:
    person = people.get_person(ui.ctx, person_id)
    view = staff.person_view(ui.ctx, person)
    locked = set(view["locked"])
    household = view["household"]
    members = household["members"] if household else []
    identities = sorted(view["identities"], key=lambda i: (i["startDate"] or "", not i["current"]))
    current = next((i for i in view["identities"] if i["current"]), view["identities"][-1])
    journal = logs.journal(ui.session, ui.district.id, path=f"/staffMembers/{person.staff_number}",
                           limit=10) if person.staff_number else []
    return render(ui.request, "staff_page.html", {
        "nav": "staff", "person": person, "view": view, "current": current, "identities": identities,
        "masked_ssn": mask_ssn(view["demographics"]["ssn"]) if view["demographics"]["ssn"] else "",
        "editable": {area: marker not in locked for area, (marker, _label) in AREAS.items()},
        "area_labels": {area: label for area, (_marker, label) in AREAS.items()},
        "staff_number_locked": "staffNumber" in locked, "hr_managed": person.synced_at is not None,
        "member_names": people.names(ui.ctx, members), "member_staff": people.staff_flags(ui.ctx, members),
        "today": ui.ctx.clock.today().isoformat(), "journal": journal,
        "genders": reference.genders(ui.ctx),
        "schools": reference.schools(ui.ctx),
        "assignment_codes": reference.assignment_codes(ui.ctx),
        "demographic_form": DEMOGRAPHIC_FORM,
    }, ui=ui)


@router.post("/staff/{person_id}/demographics")
def save_demographics(ui: UiDep, person_id: int, form: Annotated[DemographicsForm, Form()]) -> Response:
    ui.back_to("staff", person_id)
    sent = {f: getattr(form, f.name) for f in DEMOGRAPHICS}
    # What the form shows again after a refusal: everything typed but the SSN (never shown, MOCK-16).
    typed = {"_form": "demographics", **{f.wire: value for f, value in sent.items() if f.kind != "ssn"}}
    ui.request.state.typed = typed
    person = people.get_person(ui.ctx, person_id)
    _check_unlocked(ui, person, "demographics")
    # An emptied field clears the value (STAFF-6 null); the SSN is never shown, so blank keeps it.
    data: dict[str, Any] = {}
    for f, value in sent.items():
        if f.kind == "date":
            data[f.wire] = _date(value, f.wire)
        elif f.kind == "ssn":
            if value.strip():
                data[f.wire] = value.strip()
        else:
            data[f.wire] = value.strip() or None
    return _save(ui, person, _payload(data), "Demographics")


@router.post("/staff/{person_id}/employments")
def save_employments(ui: UiDep, person_id: int, hireDate: Texts = [],  # noqa: B006
                     terminationDate: Texts = [], remove: Indexes = []) -> Response:  # noqa: B006
    """EMP-2 via the staff service: the rows left are the complete list, matched by hire date."""
    ui.back_to("staff", person_id)
    person = people.get_person(ui.ctx, person_id)
    _check_unlocked(ui, person, "employments")
    rows = []
    for i, (hire, termination) in enumerate(zip(hireDate, terminationDate, strict=False)):
        if i in remove or not (hire.strip() or termination.strip()):
            continue
        rows.append({"hireDate": _date(hire, f"employments[{i}].hireDate"),
                     "terminationDate": _date(termination, f"employments[{i}].terminationDate")})
    return _save(ui, person, _payload({"employments": rows}), "Employments")


@router.post("/staff/{person_id}/assignments")
def save_assignments(ui: UiDep, person_id: int, schoolNumber: Texts = [],  # noqa: B006
                     assignmentCode: Texts = [], titleCode: Texts = [],  # noqa: B006
                     titleDescription: Texts = [], startDate: Texts = [],  # noqa: B006
                     endDate: Texts = [], remove: Indexes = []) -> Response:  # noqa: B006
    """POS-8 via the staff service: the rows left are the complete set (linked positions cannot go)."""
    ui.back_to("staff", person_id)
    person = people.get_person(ui.ctx, person_id)
    _check_unlocked(ui, person, "assignments")
    rows = []
    columns = zip(schoolNumber, assignmentCode, titleCode, titleDescription, startDate, endDate, strict=False)
    for i, (school, code, title, description, start, end) in enumerate(columns):
        if i in remove or not any(v.strip() for v in (school, code, title, start, end)):
            continue
        rows.append({"schoolNumber": school.strip() or None, "assignmentCode": code.strip() or None,
                     "titleCode": title.strip() or None, "titleDescription": description.strip() or None,
                     "startDate": _date(start, f"positions[{i}].startDate"),
                     "endDate": _date(end, f"positions[{i}].endDate")})
    return _save(ui, person, _payload({"positions": rows}), "District assignments")


@router.post("/staff/{person_id}/household")
def save_household(ui: UiDep, person_id: int, name: Annotated[str, Form()] = "",
                   phone: Annotated[str, Form()] = "", fullStreetAddress: Annotated[str, Form()] = "",
                   city: Annotated[str, Form()] = "", state: Annotated[str, Form()] = "",
                   zip: Annotated[str, Form()] = "") -> Response:
    """HH-2 via the staff service: a new address moves the person's own staff household (shared ones: HH-3)."""
    ui.back_to("staff", person_id)
    ui.request.state.typed = {"_form": "household", "name": name, "phone": phone,
                              "fullStreetAddress": fullStreetAddress, "city": city, "state": state, "zip": zip}
    person = people.get_person(ui.ctx, person_id)
    _check_unlocked(ui, person, "household")
    household: dict[str, Any] = {"phone": phone.strip() or None}
    if name.strip():
        household["name"] = name.strip()
    if fullStreetAddress.strip():
        household["householdLocations"] = [{"address": {
            "fullStreetAddress": fullStreetAddress.strip(), "city": city.strip() or None,
            "state": state.strip() or None, "zip": zip.strip() or None}}]
    return _save(ui, person, _payload({"household": household}), "Household")
