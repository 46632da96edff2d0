"""MOCK-12 in the Campus UI: the support-case draft attaches the district as a scenario document (SSNs left out)."""

from __future__ import annotations

import json
import re

from tests.support import create_district, minimal_scenario, staff_payload
from tests.ui.support import Campus


def test_mock12_support_case_draft_attaches_the_district_as_a_scenario_without_ssns(campus: Campus) -> None:
    d = campus.district
    assert d.post("/staffMembers", staff_payload("70001", ssn="401-55-8812")).status_code == 201
    unknown_school = staff_payload("70002", positions=[{"schoolNumber": "999", "titleCode": "X", "startDate":
                                                        "2026-01-05"}])
    assert d.post("/staffMembers", unknown_school).status_code == 400  # a row the draft files a case for
    entry = d.error_log()[0]["id"]
    draft = campus.get(f"error-log/{entry}/support-case")
    assert draft.status_code == 200
    link = re.search(r'<p class="attachment" id="case-attachment">Attachment: <a href="([^"]+)" download>', draft.text)
    assert link is not None, "the draft of a case shows the attachment"
    assert link.group(1) == f"/campus/ui/{campus.app}/support-case/scenario.json"

    attachment = d.client.get(link.group(1))
    assert attachment.status_code == 200
    assert attachment.headers["content-disposition"] == f'attachment; filename="{campus.app}-scenario.json"'
    assert "8812" not in attachment.text and '"ssn"' not in attachment.text
    document = attachment.json()
    assert document == {**d.mock("GET", "/scenario").json(), "persons": document["persons"]}  # only persons differ
    assert any(p.get("staffNumber") == "70001" for p in document["persons"])

    copy = create_district(d.client, {**document, "appName": minimal_scenario()["appName"]})
    view = copy.mock("GET", "/staff/70001").json()
    assert view["demographics"]["ssn"] is None
    assert view["identities"] == d.mock("GET", "/staff/70001").json()["identities"]
    assert json.loads(json.dumps(document)) == document
