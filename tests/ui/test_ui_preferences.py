"""Business Office Preferences (PREF-1, PREF-2)."""

from __future__ import annotations

from tests.api.sync_support import run_to_validated
from tests.support import staff_payload
from tests.ui.support import Campus, flash, text

LOCKS = ("staffCreation", "staffNumber", "staffDemographics", "staffEmployment", "staffEmploymentAssignments",
         "staffHousehold")


def _prefs(campus: Campus) -> dict[str, object]:
    response = campus.district.mock("GET", "/preferences")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_pref1_page_shows_the_six_locks_and_the_household_checkbox(campus: Campus) -> None:
    response = campus.get("preferences")
    assert response.status_code == 200
    page = text(response)
    for label in ("Staff Creation", "Staff Number", "Staff Demographics", "Staff Employment",
                  "Staff Employment Assignments", "Staff Household",
                  "Allow household and address creations/updates from the HR system"):
        assert label in page
    for key in LOCKS:
        assert f'id="lock-{key}" name="{key}" value="true" checked' in response.text
    assert 'id="allowHouseholdUpdates" name="allowHouseholdUpdates" value="true" checked' in response.text


def test_pref1_save_unchecked_boxes_unlock(campus: Campus) -> None:
    response = campus.post("preferences", {"staffCreation": "true", "staffNumber": "true",
                                           "staffHousehold": "true", "allowHouseholdUpdates": "true"})
    assert response.url.path == campus.path("preferences")
    assert flash(response) == "Preferences saved."
    prefs = _prefs(campus)
    assert prefs["locks"] == {"staffCreation": True, "staffNumber": True, "staffDemographics": False,
                              "staffEmployment": False, "staffEmploymentAssignments": False,
                              "staffHousehold": True}
    assert prefs["allowHouseholdUpdates"] is True
    assert prefs["strictUnknownProperties"] is True  # not a Campus preference: untouched
    assert 'id="lock-staffDemographics" name="staffDemographics" value="true" >' in response.text


def test_pref2_unchecking_household_updates_makes_the_api_ignore_households(campus: Campus) -> None:
    campus.post("preferences", {k: "true" for k in LOCKS})
    assert _prefs(campus)["allowHouseholdUpdates"] is False
    body = staff_payload("90011", household={"householdLocations": [{"address": {
        "fullStreetAddress": "77 Pine St", "city": "Springfield", "state": "MO", "zip": "65804"}}]})
    assert campus.district.post("/staffMembers", body).status_code == 201
    assert campus.staff("90011")["household"] is None  # HH-5


def test_sync5_switching_pref2_makes_a_validated_sync_stale_but_locks_do_not(campus: Campus) -> None:
    district = campus.district
    run_to_validated(district, [staff_payload("10058", lastName="Brown", firstName="Allison")])
    campus.post("preferences", {"staffNumber": "true", "allowHouseholdUpdates": "true"})  # locks only
    assert district.get("/staffMembers/sync/status").json()["validationStale"] is False
    campus.post("preferences", {"staffNumber": "true"})  # PREF-2 off
    assert district.get("/staffMembers/sync/status").json()["validationStale"] is True
