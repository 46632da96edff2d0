"""Business Office Error Log (ERR-1): rows, masked payload, filters, and the support-case draft."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support import create_district, minimal_scenario, staff_payload
from tests.ui.support import Campus, element, text


def _fail_a_create(campus: Campus) -> int:
    """A create with an unknown gender (STAFF-2) and an SSN: 400, logged with the payload masked."""
    response = campus.district.post("/staffMembers", staff_payload("90021", gender="Q", ssn="123-45-6789"))
    assert response.status_code == 400
    rows = campus.district.error_log()
    return int(rows[0]["id"])


def test_err1_error_log_lists_date_action_path_message_and_payload(campus: Campus) -> None:
    entry_id = _fail_a_create(campus)
    response = campus.get("error-log")
    assert response.status_code == 200
    table = element(response, "error-log")
    for heading in ("Error Date", "Action", "Path", "Error Message", "Payload"):
        assert heading in table
    assert "POST" in table
    assert "/campus/api/businessOfficeIntegration/staffMembers" in table
    assert "unknown_gender" in table
    assert f'href="{campus.path(f"error-log/{entry_id}/payload")}"' in response.text
    assert f'href="{campus.path(f"error-log/{entry_id}/support-case")}"' in response.text


def test_err1_payload_is_the_masked_request_body(campus: Campus) -> None:
    entry_id = _fail_a_create(campus)
    response = campus.get(f"error-log/{entry_id}/payload")
    payload = element(response, "payload")
    assert '"staffNumber": "90021"' in payload
    assert "*****6789" in payload
    assert "123-45-6789" not in response.text and "123456789" not in response.text
    raw = campus.get(f"error-log/{entry_id}/payload", params={"raw": "true"})
    assert raw.headers["content-type"].startswith("text/plain")
    assert "*****6789" in raw.text


def test_error_log_filters_by_path_and_date(campus: Campus) -> None:
    _fail_a_create(campus)
    assert campus.district.get("/staffMembers/nobody").status_code == 404
    both = element(campus.get("error-log"), "error-log")
    assert "staff_not_found" in both and "unknown_gender" in both
    only = element(campus.get("error-log", params={"path": "/staffMembers/nobody"}), "error-log")
    assert "staff_not_found" in only and "unknown_gender" not in only
    # MOCK-8: the Error Log is dated by the district's clock (minimal.json freezes it), not the wall clock.
    today = date.fromisoformat(campus.district.mock("GET", "/clock").json()["today"])
    dated = campus.get("error-log", params={"date_from": today - timedelta(days=1),
                                            "date_to": today + timedelta(days=1)})
    assert "unknown_gender" in element(dated, "error-log")
    future = campus.get("error-log", params={"date_from": today + timedelta(days=2)})
    assert "No errors match the filter" in text(future)


def test_support_case_draft_has_the_application_issue_fields(campus: Campus) -> None:
    entry_id = _fail_a_create(campus)
    _fail_a_create(campus)  # the same error again: "Issue Began" is the first occurrence
    response = campus.get(f"error-log/{entry_id}/support-case")
    assert response.status_code == 200
    page = text(response)
    for label in ("Subject", "Description", "Steps to Reproduce", "Error Message", "Expected Results",
                  "Who is impacted?", "Issue Began", "Type"):
        assert label in page
    assert "Application Issue" in page
    subject = response.text.split('id="case-subject"')[1]
    assert "POST /staffMembers fails with 400 unknown_gender" in subject.split(">")[0]
    steps = element(response, "case-steps")
    assert f"/campus/oauth2/token?appName={campus.app}" in steps
    assert "*****6789" in steps and "123-45-6789" not in response.text
    assert campus.district.client_secret not in response.text
    assert "not one of" in element(response, "case-error")
    assert "valid Infinite Campus gender" in element(response, "case-expected")
    assert "New staff members from the HR system" in element(response, "case-impacted")
    assert "2 times since" in element(response, "case-description")
    assert 'data-copy-target="case-all"' in response.text


def test_support_case_mentions_a_secret_rotation(campus: Campus) -> None:
    old_token = campus.district.token()
    campus.post("credentials/new-secret")
    response = campus.district.client.get("/campus/api/businessOfficeIntegration/schools",
                                          headers={"Authorization": f"Bearer {old_token}"})
    assert response.status_code == 401
    entry_id = int(campus.district.error_log()[0]["id"])
    draft = campus.get(f"error-log/{entry_id}/support-case")
    assert "client secret was regenerated" in element(draft, "case-environment")


def test_error_log_entries_of_another_district_are_not_found(campus: Campus) -> None:
    entry_id = _fail_a_create(campus)
    other = Campus(create_district(campus.district.client, minimal_scenario()))
    assert other.get(f"error-log/{entry_id}/payload").status_code == 404
    assert other.get(f"error-log/{entry_id}/support-case").status_code == 404
    assert "unknown_gender" not in other.get("error-log").text


def test_error_log_path_wraps_between_segments_only(campus: Campus) -> None:
    """Issue 17 item 9: the Path column breaks after a "/", never mid-word (no `overflow-wrap: anywhere`)."""
    from boi_mock.admin.render import path_breaks

    assert str(path_breaks("/campus/api/x?a=<b>&c=1")) == (
        "/<wbr>campus/<wbr>api/<wbr>x<wbr>?a=&lt;b&gt;<wbr>&amp;c=1")
    assert campus.district.post("/staffMembers", {"staffNumber": "1"}).status_code == 400
    page = campus.get("error-log").text
    assert ('<td class="path">/<wbr>campus/<wbr>api/<wbr>businessOfficeIntegration/<wbr>staffMembers</td>'
            in page)
    css = campus.district.client.get("/campus/ui/static/campus.css").text
    assert ".path { overflow-wrap: break-word; word-break: normal; }" in css
