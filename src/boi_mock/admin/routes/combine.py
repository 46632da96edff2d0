"""Combine Person (guide: "An existing Student/Parent becomes an Employee"): the rule is services/combine.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import Ui, UiDep
from boi_mock.admin.render import redirect, render
from boi_mock.domain.demographics import DEMOGRAPHICS
from boi_mock.errors import BadRequest
from boi_mock.services import combine, people, staff

router = APIRouter()
LABELS = {f.name: f.label for f in DEMOGRAPHICS}  # cell_phone → Cell Phone, as the staff page says


def _side(ui: Ui, person_id: int | None) -> dict[str, Any] | None:
    if person_id is None:
        return None
    person = people.get_person(ui.ctx, person_id)
    return {"person": person, "view": staff.person_view(ui.ctx, person)}


@router.get("/combine", response_class=HTMLResponse)
def combine_page(ui: UiDep, a: int | None = None, b: int | None = None, qa: str = "", qb: str = "") -> Response:
    first, second = _side(ui, a), _side(ui, b)
    suggested = None
    if first and second and first["person"].id != second["person"].id:
        suggested = combine.suggest_base(first["person"], second["person"]).id
    found_a = people.search(ui.ctx, qa, staff_only=False, limit=15)[1] if qa else []
    found_b = people.search(ui.ctx, qb, staff_only=False, limit=15)[1] if qb else []
    return render(ui.request, "combine.html", {
        "nav": "combine", "a": a, "b": b, "qa": qa, "qb": qb, "first": first, "second": second,
        "found_a": found_a, "found_b": found_b, "suggested": suggested,
    }, ui=ui)


@router.post("/combine")
def combine_persons(ui: UiDep, base: Annotated[int, Form()], a: Annotated[int, Form()],
                    b: Annotated[int, Form()]) -> Response:
    ui.back_to("combine", a=a, b=b)
    if base not in (a, b):
        raise BadRequest.field("base", "invalid_value", "The base person must be one of the two persons")
    other = b if base == a else a
    result = combine.combine(ui.ctx, base, other)
    return redirect(ui.request, ui.links("staff", result.base_person_id), notice=combined_notice(result))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def combined_notice(result: combine.CombineResult) -> str:
    """What the combine did, in the staff page's words: "1 identity", "Cell Phone and Personal Email filled in"."""
    parts = [f"Person {result.removed_person_id} was combined into person {result.base_person_id}",
             f"{_count(result.identities_moved, 'identity', 'identities')}, "
             f"{_count(result.employments_moved, 'employment', 'employments')} and "
             f"{_count(result.positions_moved, 'district assignment', 'district assignments')} moved"]
    joined, removed = result.households_joined, result.households_removed
    if joined:
        parts.append(f"joined household{'s' if len(joined) > 1 else ''} {', '.join(map(str, joined))}")
    if removed:
        parts.append(f"its own staff household{'s' if len(removed) > 1 else ''} {', '.join(map(str, removed))} "
                     "removed")
    if result.demographics_filled:
        labels = [LABELS.get(name, name) for name in result.demographics_filled]
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        parts.append(f"{listed} filled in from the other person")
    return "; ".join(parts) + "."
