"""The support-case draft tells the truth (issue 17 item 5): true to the Error Log row it was drafted from, the
case type and priority the Support Portal's guide would pick, and "no case needed" (with the fix) when the
row is not a Campus defect."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from boi_mock import models as m
from boi_mock.clock import utcnow
from tests.api.sync_support import (
    SYNC,
    db_of,
    district_id,
    step,
    sync_scenario,
    validated_district,
    wait_for_job,
)
from tests.support import District, create_district, staff_payload
from tests.ui.support import Campus, element, text


def _row(district: District, code: str) -> dict[str, Any]:
    row: dict[str, Any] = next(r for r in district.error_log() if r["code"] == code)
    return row


def _case(campus: Campus, row: dict[str, Any]) -> Any:
    response = campus.get(f"error-log/{row['id']}/support-case")
    assert response.status_code == 200, response.text
    return response


def _field(response: Any, key: str) -> str:
    """A case field's value (inputs hold it in `value`, textareas as text)."""
    marker = f'id="case-{key}"'
    tail = response.text.split(marker, 1)[1]
    if tail.lstrip().startswith("type="):
        return str(tail.split('value="', 1)[1].split('"', 1)[0])
    return element(response, f"case-{key}")


def test_a_vendor_typo_is_no_case_and_the_fix_is_suggested(campus: Campus) -> None:
    payload = staff_payload("90201")
    payload["firstname"] = payload.pop("firstName")
    assert campus.district.post("/staffMembers", payload).status_code == 400
    draft = _case(campus, _row(campus.district, "unknown_property"))
    verdict = element(draft, "case-verdict")
    assert "No support case needed" in verdict and "Not a Campus defect" in verdict
    assert "Rename 'firstname' to 'firstName'" in element(draft, "case-fix")
    assert _field(draft, "type") == "No case needed" and _field(draft, "priority") != "Medium"
    assert 'data-copy-target="case-all"' not in draft.text, "nothing to copy into a case form"


def test_a_campus_data_problem_in_a_commit_is_the_districts_to_fix(client: TestClient) -> None:
    district = validated_district(client)
    committed = step(district, "commit")
    assert len(committed["succeeded"]) == 5 and len(committed["failed"]) == 1
    campus = Campus(district)
    draft = _case(campus, _row(district, "duplicate_campus_staff_number"))
    assert "No support case needed" in element(draft, "case-verdict")
    assert "Campus holds staff number 30001 more than once" in element(draft, "case-verdict")
    assert "Check Campus Data" in element(draft, "case-fix")
    impacted = _field(draft, "impacted")
    assert "Staff number 30001 only" in impacted and "5 staff members committed, 1 failed" in impacted
    assert "no HR staff member is synced" not in draft.text
    steps = _field(draft, "steps")
    assert "/staffMembers/sync/commit (no request body)." in steps, "the commit takes no body"
    transfer = steps.split("/staffMembers/sync/transfer", 1)[1]
    assert '"staffNumber": "30001"' in transfer.split("/staffMembers/sync/end")[0], "the member goes in the transfer"
    for call in ("/sync/start", "/sync/end", "/sync/validate"):
        assert call in steps
    expected = _field(draft, "expected")
    assert "does not commit staff number 30001 while the number is held twice" in expected
    assert "succeeds" not in expected


def test_a_position_in_use_is_no_case(campus: Campus) -> None:
    view = campus.staff("10058")
    unlinked = [{k: p[k] for k in ("schoolNumber", "assignmentCode", "titleCode", "startDate", "endDate")}
                for p in view["positions"] if not p["linked"]]
    response = campus.district.put("/staffMembers/10058", {"positions": unlinked})
    assert response.status_code == 409, response.text
    draft = _case(campus, _row(campus.district, "position_in_use"))
    assert "No support case needed" in element(draft, "case-verdict")
    assert "Send every position the staff member has had" in element(draft, "case-fix")
    assert "PUT http://testserver/campus/api/businessOfficeIntegration/staffMembers/10058" in _field(draft, "steps")


def test_a_stale_validation_is_no_case_validate_again(client: TestClient) -> None:
    district = validated_district(client)
    assert district.post("/staffMembers", staff_payload("90202")).status_code == 201  # Campus changed
    assert district.post(f"{SYNC}/commit").status_code == 409
    draft = _case(Campus(district), _row(district, "validation_stale"))
    assert "No support case needed" in element(draft, "case-verdict")
    assert "Validate again" in element(draft, "case-fix")
    steps = _field(draft, "steps")
    assert "/staffMembers/sync/commit' with" not in steps and "(no request body)" in steps
    assert "nothing of it was changed by this call" in _field(draft, "impacted")


def test_a_sync_job_failure_names_the_job_steps_and_only_that_staff_member(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "submitCommitJob")
    assert wait_for_job(district)["failed"] == 1
    draft = _case(Campus(district), _row(district, "duplicate_campus_staff_number"))
    steps = _field(draft, "steps")
    assert "/staffMembers/sync/submitCommitJob (no request body). Then GET" in steps
    assert "/staffMembers/sync/commitJobStatus" in steps
    assert "Staff number 30001 only" in _field(draft, "impacted")


def test_a_server_error_is_a_high_priority_application_issue(campus: Campus) -> None:
    with db_of(campus.district).unit_of_work() as session:
        row = m.ErrorLogEntry(district_id=district_id(campus.district), error_at=utcnow(), wall_at=utcnow(),
                              action="POST", path="/campus/api/businessOfficeIntegration/staffMembers", status=500,
                              code="internal_error", error_message="Internal error (KeyError); this is a boi-mock bug",
                              payload=None)
        session.add(row)
        session.flush()
        row_id = row.id
    draft = _case(campus, {"id": row_id})
    assert "File an Application Issue (High priority)" in element(draft, "case-verdict")
    assert _field(draft, "type") == "Application Issue" and _field(draft, "priority") == "High"
    assert 'data-copy-target="case-all"' in draft.text


def test_environment_changes_list_only_changes_before_the_error(campus: Campus) -> None:
    assert campus.district.post("/staffMembers", staff_payload("90203", gender="Q")).status_code == 400
    campus.district.mock("POST", "/secret")  # after the error: it changed nothing before it
    draft = _case(campus, _row(campus.district, "unknown_gender"))
    environment = _field(draft, "environment")
    assert "regenerated" not in environment and "No changes on our side" in environment


def test_happened_n_times_counts_the_same_code_and_field_only(campus: Campus) -> None:
    for typo in ("firstname", "lastname", "firstname"):
        payload = staff_payload("90204")
        payload[typo] = payload.pop(typo.replace("name", "Name"))
        assert campus.district.post("/staffMembers", payload).status_code == 400
    rows = [r for r in campus.district.error_log() if r["code"] == "unknown_property"]
    newest_first = next(r for r in rows if "'firstname'" in r["errorMessage"])
    description = _field(_case(campus, newest_first), "description")
    assert "(unknown_property, firstname) happened 2 times" in description, description
    lastname = next(r for r in rows if "'lastname'" in r["errorMessage"])
    assert "times since" not in _field(_case(campus, lastname), "description")


def test_a_refused_token_request_is_no_case_and_says_which_check_failed(campus: Campus) -> None:
    district = campus.district
    response = district.client.post(f"/campus/oauth2/token?appName={district.app_name}", data={
        "grant_type": "client_credentials", "client_id": district.client_id, "client_secret": "not-it"})
    assert response.status_code == 401
    draft = _case(campus, _row(district, "invalid_client"))
    assert "No support case needed" in element(draft, "case-verdict")
    assert "Wrong secret" in element(draft, "case-fix")
    assert "not-it" not in draft.text
    assert text(draft)


def test_a_commit_failure_of_one_staff_member_is_described_as_that(client: TestClient) -> None:
    district = validated_district(client)
    step(district, "commit")
    draft = _case(Campus(district), _row(district, "duplicate_campus_staff_number"))
    assert _field(draft, "subject") == ("Business Office Integration: the sync commit fails for staff number 30001 "
                                        "with duplicate_campus_staff_number")
    description = _field(draft, "description")
    assert "did not commit staff number 30001" in description and "the call itself was answered" in description


def test_a_typo_in_a_sync_transfer_item_is_no_case_with_the_rename(client: TestClient) -> None:
    district = create_district(client, sync_scenario())
    step(district, "start")
    item = staff_payload("90205")
    item["firstname"] = item.pop("firstName")
    assert district.post(f"{SYNC}/transfer", [staff_payload("90206"), item]).status_code == 400
    draft = _case(Campus(district), _row(district, "unknown_property"))
    assert "No support case needed" in element(draft, "case-verdict")
    assert "Rename 'firstname' to 'firstName' (at [1].firstname)" in element(draft, "case-fix")
    assert "the call was refused as a whole" in _field(draft, "impacted")
