"""ERR-1, AUTH-5 in the Campus UI: what it shows of the Error Log and its flash messages is masked by meaning
(issue 14, items 4, 5 and 10): a mistyped SSN never appears whole; a 9-digit staff number does."""

from __future__ import annotations

import base64
import json

from tests.support import staff_payload
from tests.ui.support import Campus, element, flash

MISTYPED = ["401 55 8812", "587.21.4963", "5872149630"]


def _whole(ssn: str) -> set[str]:
    return {ssn, "".join(c for c in ssn if c.isdigit())}


def test_err1_ui_error_log_payload_and_support_case_hold_no_mistyped_ssn(campus: Campus) -> None:
    for ssn in MISTYPED:
        assert campus.district.post("/staffMembers", staff_payload("123456789", ssn=ssn)).status_code == 400
    assert campus.district.get("/staffMembers/587-21-4963").status_code == 404
    rows = campus.district.error_log()
    pages = [campus.get("error-log").text]
    for row in rows:
        pages.append(campus.get(f"error-log/{row['id']}/payload").text)
        pages.append(campus.get(f"error-log/{row['id']}/payload", params={"raw": "true"}).text)
        pages.append(campus.get(f"error-log/{row['id']}/support-case").text)
    shown = "\n".join(pages)
    for ssn in [*MISTYPED, "587-21-4963"]:
        for whole in _whole(ssn):
            assert whole not in shown, whole
    assert "*****8812" in shown and "*****4963" in shown and "*****9630" in shown
    payload = element(campus.get(f"error-log/{rows[-1]['id']}/payload"), "payload")
    assert '"staffNumber": "123456789"' in payload  # a staff number is not an SSN


def test_err1_ui_flash_masks_a_mistyped_ssn(campus: Campus) -> None:
    campus.post("preferences", {"allowHouseholdUpdates": "true"})  # every lock off: demographics editable
    person_id = campus.person_id("10062")
    page = campus.get(f"staff/{person_id}").text
    form = {}
    for name in ("lastName", "firstName", "middleName", "workPhone", "cellPhone", "otherPhone", "workEmail",
                 "personalEmail"):
        marker = f'name="{name}" value="'
        start = page.index(marker) + len(marker)
        form[name] = page[start:page.index('"', start)]
    form["birthdate"] = page.split('id="f-birthdate" name="birthdate" value="')[1].split('"')[0]
    form["ssn"] = "401 55 8812"
    response = campus.post(f"staff/{person_id}/demographics", form, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.cookies.get("boi_flash")
    assert cookie
    stored = base64.urlsafe_b64decode(cookie.encode()).decode()
    assert "401 55 8812" not in stored and "401558812" not in stored
    assert "*****8812" in json.loads(stored)["error"]  # the 400's message, shown masked
    shown = campus.get(f"staff/{person_id}")
    assert "*****8812" in flash(shown) or "*****8812" in shown.text
    assert "401 55 8812" not in shown.text and "401558812" not in shown.text
