"""Business Office Preferences: the six Campus UI locks (PREF-1) and household/address updates (PREF-2)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import UiDep
from boi_mock.admin.render import redirect, render
from boi_mock.schemas.scenario import Locks, Preferences
from boi_mock.services import districts

router = APIRouter()
LOCK_LABELS = {
    "staffCreation": "Staff Creation",
    "staffNumber": "Staff Number",
    "staffDemographics": "Staff Demographics",
    "staffEmployment": "Staff Employment",
    "staffEmploymentAssignments": "Staff Employment Assignments",
    "staffHousehold": "Staff Household",
}

Checkbox = Annotated[bool, Form()]


@router.get("/preferences", response_class=HTMLResponse)
def preferences_page(ui: UiDep) -> Response:
    return render(ui.request, "preferences.html", {
        "nav": "preferences", "prefs": districts.preferences(ui.district), "lock_labels": LOCK_LABELS,
    }, ui=ui)


@router.post("/preferences")
def save_preferences(ui: UiDep, staffCreation: Checkbox = False, staffNumber: Checkbox = False,
                     staffDemographics: Checkbox = False, staffEmployment: Checkbox = False,
                     staffEmploymentAssignments: Checkbox = False, staffHousehold: Checkbox = False,
                     allowHouseholdUpdates: Checkbox = False) -> Response:
    """An unchecked box is absent from the form: that is "unlocked" (and PREF-2 "off").

    PREF-2 changes what a commit does with households, so switching it makes a validated sync stale (SYNC-5);
    the locks only change the Campus UI and leave a validation as it is.
    """
    household_before = ui.district.allow_household_updates
    prefs = Preferences(
        allow_household_updates=allowHouseholdUpdates,
        locks=Locks(staff_creation=staffCreation, staff_number=staffNumber, staff_demographics=staffDemographics,
                    staff_employment=staffEmployment, staff_employment_assignments=staffEmploymentAssignments,
                    staff_household=staffHousehold),
    )
    districts.update_preferences(ui.session, ui.district, prefs)
    if ui.district.allow_household_updates != household_before:
        ui.ctx.campus_changed()
    return redirect(ui.request, ui.links("preferences"), notice="Preferences saved.")
