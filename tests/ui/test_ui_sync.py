"""Business Office Synchronization: Check Campus Data (SYNC-9), the Staff Synchronization tool (SYNC-1..8) with
file upload, and the Validation Report (SYNC-4) with its CSV and JSON downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from typing import Any

from sqlalchemy import select

from boi_mock import models as m
from boi_mock.admin import report_view
from boi_mock.errors import Conflict
from boi_mock.services.sync import commit, state
from tests.api.sync_support import db_of, district_id
from tests.support import create_district, minimal_scenario, staff_payload
from tests.ui.support import Campus, element, flash, text


def _hr_file(*items: dict[str, Any]) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("hr-export.json", json.dumps(list(items)).encode(), "application/json")}


def _brown(**overrides: Any) -> dict[str, Any]:
    body = {"staffNumber": "10058", "lastName": "SIMPSON", "firstName": "PAT", "gender": "F",
            "workEmail": "psimpson@school.k12.mo.us",
            "positions": [{"schoolNumber": "030", "assignmentCode": "20", "titleCode": "7B20C1D4",
                           "startDate": "2008-08-11"},
                          {"schoolNumber": "030", "assignmentCode": "95", "titleCode": "4A61E262",
                           "startDate": "2015-11-02", "endDate": "2025-12-19"}]}
    body.update(overrides)
    return body


def _new_hire() -> dict[str, Any]:
    return staff_payload("20001", lastName="NEW", firstName="HIRE", ssn=None, household={"householdLocations": [
        {"address": {"fullStreetAddress": "12 Elm Street", "city": "Springfield", "state": "MO", "zip": "65804"}}]})


def _transferred(campus: Campus) -> str:
    return element(campus.get("sync"), "staff-transferred")


def _to_validated(campus: Campus, *items: dict[str, Any]) -> None:
    campus.post("sync/start")
    assert "transferred" in flash(campus.post("sync/transfer", None, files=_hr_file(*items)))
    campus.post("sync/end")
    response = campus.post("sync/validate")
    assert response.url.path == campus.path("sync/report"), flash(response)


def test_sync_page_before_any_sync(campus: Campus) -> None:
    response = campus.get("sync")
    assert response.status_code == 200
    assert element(response, "sync-status") == "NO SYNC"
    assert 'id="end-transfer" disabled' in response.text
    assert 'id="validate" disabled' in response.text
    assert 'id="commit" disabled' in response.text
    assert 'id="check-campus-data"' in response.text


def test_sync1_start_transfer_shows_date_started_by_and_state(campus: Campus) -> None:
    response = campus.post("sync/start")
    assert "Transfer started by Postma, Madison" in flash(response)
    state = element(response, "sync-state")
    assert "Date Started" in state
    assert "Started By Postma, Madison" in state
    assert "Staff Transferred 0" in state
    assert "TRANSFER STARTED" in state
    assert 'id="transfer-file"' in response.text
    status = campus.district.get("/staffMembers/sync/status").json()
    assert status["status"] == "TRANSFER_STARTED" and status["startedBy"] == "Postma, Madison"


def test_sync3_end_transfer_with_nothing_transferred_is_refused(campus: Campus) -> None:
    campus.post("sync/start")
    response = campus.post("sync/end")
    assert "no staff have been transferred" in flash(response)
    assert element(response, "sync-status") == "TRANSFER STARTED"


def test_sync2_transfer_via_json_file_upload(campus: Campus) -> None:
    campus.post("sync/start")
    response = campus.post("sync/transfer", None, files=_hr_file(_brown(), _new_hire()))
    assert "2 staff transferred from hr-export.json; 2 in this sync" in flash(response)
    assert _transferred(campus) == "2"


def test_sync2_transfer_via_csv_merges_rows_of_one_staff_member(campus: Campus) -> None:
    campus.post("sync/start")
    rows = ("staffNumber,lastName,firstName,gender,hireDate,schoolNumber,assignmentCode,titleCode,startDate,"
            "fullStreetAddress,city,state,zip\n"
            "20002,CSV,CARL,M,2024-08-01,010,20,,2024-08-01,5 Oak St,Springfield,MO,65804\n"
            "20002,,,,,020,95,4A61E262,2024-11-01,,,,\n")
    response = campus.post("sync/transfer", None, files={"file": ("staff.csv", rows.encode(), "text/csv")})
    assert "1 staff transferred from staff.csv" in flash(response)
    campus.post("sync/end")
    campus.post("sync/validate")
    report = campus.district.get("/staffMembers/sync/report").json()
    (added,) = report["details"]["staffToAdd"]
    assert added["staffNumber"] == "20002" and added["positions"] == 2 and added["employments"] == 1


def test_sync2_a_bad_item_transfers_nothing_of_the_file(campus: Campus) -> None:
    campus.post("sync/start")
    response = campus.post("sync/transfer", None, files=_hr_file(_new_hire(), _brown(gender="Q")))
    assert "nothing of hr-export.json was transferred" in flash(response)
    assert "Item [1] (staff number 10058)" in flash(response)
    assert _transferred(campus) == "0"
    schema = campus.post("sync/transfer", None, files=_hr_file({"staffNumber": "1", "lastName": "A",
                                                                "firstName": "B", "nickName": "x"}))
    assert "Unknown property" in flash(schema)
    assert _transferred(campus) == "0"


def test_sync2_unreadable_files_are_refused(campus: Campus) -> None:
    campus.post("sync/start")
    for name, body, message in (("x.json", b"[{", "Malformed JSON"), ("x.json", b'{"a": 1}', "an array"),
                                ("x.csv", b"staffNumber,shoeSize\n1,9\n", "Unknown CSV column"),
                                ("x.csv", b"   ", "The file is empty")):
        response = campus.post("sync/transfer", None, files={"file": (name, body, "text/plain")})
        assert message in flash(response), name
    assert _transferred(campus) == "0"


def test_sync2_transfer_outside_transfer_started_is_a_state_conflict(campus: Campus) -> None:
    response = campus.post("sync/transfer", None, files=_hr_file(_brown()))
    assert "Cannot transfer" in flash(response) or "sync is NONE" in flash(response)


def test_sync4_validation_report_as_in_the_guide(campus: Campus) -> None:
    _to_validated(campus, _brown(), _new_hire())
    response = campus.get("sync/report")
    assert response.status_code == 200
    assert "Generated on" in element(response, "generated-on")
    assert element(response, "demographic-total") == "1"
    by_field = element(response, "by-field")
    assert by_field.removeprefix("Demographic differences by field ").startswith(
        "SSN Staff Number Name Gender Personal Email Work Email Cell Phone Other Phone Work Phone Birth Date")
    assert by_field.endswith("0 0 1 0 0 1 0 0 0 0")
    counts = element(response, "summary-counts")
    assert "District Assignment differences: 1" in counts
    assert "HR staff NOT in Campus: 1" in counts
    assert "Campus staff NOT in HR: 3" in counts
    details = element(response, "section-demographicDifferences")
    assert "Campus 10058 Brown Allison Jo F" in details
    assert "HR 10058 SIMPSON PAT" in details
    assert "12 Elm Street, Springfield, MO 65804" in element(response, "section-addressesToAdd")
    assert "Print" in text(response) and "@media print" not in response.text


def test_sync4_report_shows_only_the_first_100_rows_per_section() -> None:
    rows = [{"personID": i, "staffNumber": str(30000 + i), "lastName": "L", "firstName": "F"} for i in range(150)]
    report = {"summary": {}, "details": {"campusStaffNotInHr": rows}}
    section = next(s for s in report_view.sections(report) if s.key == "campusStaffNotInHr")
    assert section.total == 150 and len(section.entries) == 100
    assert report_view.to_csv(report).count("campusStaffNotInHr,campus") == 150


def test_sync4_report_downloads_csv_and_json(campus: Campus) -> None:
    _to_validated(campus, _brown(), _new_hire())
    as_json = campus.get("sync/report.json")
    assert as_json.headers["content-disposition"].startswith("attachment;")
    assert as_json.json() == campus.district.get("/staffMembers/sync/report").json()
    as_csv = campus.get("sync/report.csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    summary = {r["system"]: r["count"] for r in rows if r["section"] == "summary"}
    assert summary["demographicDifferences"] == "1" and summary["hrStaffNotInCampus"] == "1"
    demographic = [r for r in rows if r["section"] == "demographicDifferences"]
    assert [(r["system"], r["lastName"]) for r in demographic] == [("campus", "Brown"), ("hr", "SIMPSON")]


def test_report_before_any_validation_is_not_found(campus: Campus) -> None:
    assert campus.get("sync/report").status_code == 404


def test_validate_in_the_wrong_state_is_a_conflict(campus: Campus) -> None:
    response = campus.post("sync/validate")
    assert response.url.path == campus.path("sync")
    assert "Cannot validate" in flash(response)


def test_sync6_commit_and_sync8_synced_staff_are_locked(campus: Campus) -> None:
    _to_validated(campus, _brown(), _new_hire())
    response = campus.post("sync/commit")
    assert "Committed: 2 succeeded, 0 failed" in flash(response)
    assert element(response, "sync-status") == "COMMITTED"
    assert element(response, "committed-count") == "2"
    view = campus.staff("10058")
    assert view["identities"][-1]["lastName"] == "SIMPSON"
    assert "lastName" in view["locked"]
    page = campus.get(f"staff/{view['personID']}")
    assert 'id="demographics-readonly"' in page.text and "HR-managed since" in text(page)


def test_sync6_duplicate_campus_staff_number_fails_that_staff_member(campus: Campus) -> None:
    scenario = minimal_scenario()
    scenario["persons"].append({"ref": "dup", "staffNumber": "10060", "lastName": "Twin", "firstName": "Sarah",
                                "positions": [{"schoolNumber": "010", "assignmentCode": "20",
                                               "startDate": "2020-01-01"}]})
    dirty = Campus(create_district(campus.district.client, scenario))
    _to_validated(dirty, _brown(), staff_payload("10060", lastName="Doughty", firstName="Sarah"))
    response = dirty.post("sync/commit")
    assert "Committed: 1 succeeded, 1 failed" in flash(response)
    failures = element(response, "commit-failures")
    assert "10060" in failures and "duplicate_campus_staff_number" in failures
    assert "duplicate_campus_staff_number" in element(dirty.get("error-log"), "error-log")


def test_sync7_submit_commit_job_and_poll_its_status(campus: Campus) -> None:
    _to_validated(campus, _brown(), _new_hire())
    response = campus.post("sync/submit-commit-job")
    assert "Commit job" in flash(response) and "submitted" in flash(response)
    assert 'id="commit-job-progress"' in response.text
    deadline = time.monotonic() + 20
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status = campus.get("sync/job.json").json()
        if status["status"] in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.1)
    assert status["status"] == "COMPLETED"
    assert (status["total"], status["processed"], status["succeeded"], status["failed"]) == (2, 2, 2, 0)
    page = campus.get("sync")
    assert 'data-job-status="COMPLETED"' in page.text
    assert element(page, "sync-status") == "COMMITTED"


def test_sync7_job_status_before_any_job(campus: Campus) -> None:
    response = campus.get("sync/job.json")
    assert response.status_code == 404
    assert response.json() == {"status": "NONE"}


def test_sync5_report_and_page_warn_when_campus_changed_after_validation(campus: Campus) -> None:
    _to_validated(campus, _brown())
    assert campus.district.put("/staffMembers/10062", {"cellPhone": "(417) 111-2222"}).status_code == 200
    assert "Campus data changed after this validation" in text(campus.get("sync/report"))
    response = campus.post("sync/commit")
    assert "repeat step 4" in flash(response)
    assert "Campus data changed after the validation" in text(response)


def test_sync9_check_campus_data(campus: Campus) -> None:
    scenario = minimal_scenario()
    scenario["persons"] += [
        {"ref": "d1", "staffNumber": "30001", "lastName": "Dup", "firstName": "One",
         "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2020-01-01"}]},
        {"ref": "d2", "staffNumber": "30001", "lastName": "Dup", "firstName": "Two",
         "employments": [{"hireDate": "2019-08-01"}]},
        {"ref": "n1", "staffNumber": None, "lastName": "Nonumber", "firstName": "Nina",
         "positions": [{"schoolNumber": "020", "assignmentCode": "30", "startDate": "2021-01-01"}]},
    ]
    dirty = Campus(create_district(campus.district.client, scenario))
    response = dirty.get("sync/check")
    assert response.status_code == 200
    summary = element(response, "check-summary")
    assert "Campus staff with duplicate staff numbers: 2" in summary  # persons, not numbers (SYNC-10)
    assert "Staff numbers used more than once: 1" in summary
    assert "Campus staff with no staff number: 1" in summary
    duplicates = element(response, "section-campusDuplicateStaffNumbers")
    assert "30001 Dup One" in duplicates and "30001 Dup Two" in duplicates
    assert "Nonumber Nina" in element(response, "section-campusStaffWithoutStaffNumber")
    as_json = dirty.get("sync/check.json").json()
    assert as_json["summary"]["campusDuplicateStaffNumbers"] == 2
    clean = element(campus.get("sync/check"), "check-summary")
    assert "duplicate staff numbers: 0" in clean


def test_csv_template_download(campus: Campus) -> None:
    response = campus.get("sync/template.csv")
    assert response.headers["content-disposition"] == 'attachment; filename="staff-transfer-template.csv"'
    header = response.text.splitlines()[0].split(",")
    assert header[:3] == ["staffNumber", "lastName", "firstName"]
    campus.post("sync/start")
    uploaded = campus.post("sync/transfer", None, files={"file": ("t.csv", response.content, "text/csv")})
    assert "1 staff transferred" in flash(uploaded)


def _start_commit_elsewhere(campus: Campus) -> int:
    """A synchronous commit begun by another request and still running (its job row RUNNING, nothing committed
    yet): what a second click on Commit meets. Returns its job id."""
    db = db_of(campus.district)
    with db.unit_of_work() as session:
        district = session.scalars(select(m.District).where(m.District.app_name == campus.app)).one()
        job = commit._prepare(session, district, kind=state.INLINE_KIND, path="/x/sync/commit", actor="first click",
                              claimed_by="other-request:inline")
        return job.id


def test_sync6_a_second_commit_while_one_runs_changes_nothing_and_shows_its_progress(campus: Campus) -> None:
    """Issue 17 item 6: a trainer double-clicks Commit (or reloads the POST): the second request is refused
    before it touches anything (409 sync_state_conflict in the service), and the page it lands on shows the
    running commit's progress, polled from sync/commit-progress.json."""
    _to_validated(campus, _brown(), _new_hire())
    job_id = _start_commit_elsewhere(campus)
    response = campus.post("sync/commit")
    assert response.url.fragment == "commit-busy"
    assert "already being committed" in flash(response) and "nothing was committed twice" in flash(response)
    assert element(response, "sync-status") == "COMMITTING"
    busy = re.search(r'<div id="commit-busy"[^>]*>', response.text)
    assert busy and "hidden" not in busy.group(0) and 'data-job-status="RUNNING"' in busy.group(0)
    assert "Committing 2 staff" in element(response, "commit-busy")
    assert 'id="commit" disabled' in response.text
    progress = campus.get("sync/commit-progress.json").json()
    assert (progress["status"], progress["total"], progress["processed"]) == ("RUNNING", 2, 0)
    assert campus.staff("10058")["identities"][-1]["lastName"] != "SIMPSON"  # nothing committed by the 2nd click
    assert commit.run_commit(db_of(campus.district), job_id) == "COMPLETED"  # the first click's commit ends
    done = campus.get("sync")
    assert element(done, "sync-status") == "COMMITTED" and element(done, "committed-count") == "2"
    assert 'data-job-status="NONE"' in done.text
    assert campus.get("sync/commit-progress.json").json()["succeeded"] == 2


def test_sync6_two_commits_racing_commit_once(campus: Campus) -> None:
    """Two synchronous commits started at the same moment (two replicas, or two clicks without JavaScript): one
    commits every staff member, the other is refused with 409 and commits nothing."""
    _to_validated(campus, _brown(), _new_hire())
    db, app_id = db_of(campus.district), district_id(campus.district)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def click() -> None:
        barrier.wait()
        try:
            results.append(commit.commit_now(db, app_id, actor="trainer", path="/x/sync/commit"))
        except Conflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    refused = [r for r in results if isinstance(r, Conflict)]
    committed = [r for r in results if not isinstance(r, Conflict)]
    assert len(refused) == 1 and len(committed) == 1, results
    assert refused[0].code == "sync_state_conflict"
    assert len(committed[0].succeeded) == 2  # type: ignore[attr-defined]
    assert [i["lastName"] for i in campus.staff("10058")["identities"]].count("SIMPSON") == 1


def test_sync6_commit_progress_before_any_commit(campus: Campus) -> None:
    response = campus.get("sync/commit-progress.json")
    assert (response.status_code, response.json()) == (404, {"status": "NONE"})
    page = campus.get("sync")
    busy = re.search(r'<div id="commit-busy"[^>]*>', page.text)
    assert busy and "hidden" in busy.group(0)
    assert 'data-busy="Committing' in page.text and 'data-busy-target="commit-busy"' in page.text


def test_sync2_a_malformed_json_file_is_reported_as_json_not_as_csv(campus: Campus) -> None:
    """Issue 17 item 9: a .json upload that is not JSON (a stray character first, a truncated file) says where the
    JSON breaks, never "Unknown CSV column(s)"; nothing is transferred."""
    campus.post("sync/start")
    for body in (b'x[{"staffNumber": "1"}]', b'\xef\xbb\xbf  staffNumber: 1', b'[{"staffNumber": "1",'):
        message = flash(campus.post("sync/transfer", None, files={"file": ("hr.json", body, "application/json")}))
        assert "Malformed JSON: hr.json is not valid JSON (" in message and "line 1, column" in message, message
        assert "CSV" not in message
    assert _transferred(campus) == "0"


def test_sync2_an_upload_typo_names_the_item_and_its_property_once(campus: Campus) -> None:
    """Issue 17 item 9: "Item [1] (staff number 10058): Unknown property 'firstname' (did you mean 'firstName'?)",
    not "Item [1] … Unknown property '[1].firstname'"."""
    campus.post("sync/start")
    typo = {k: v for k, v in _brown().items() if k != "firstName"} | {"firstname": "PAT"}
    message = flash(campus.post("sync/transfer", None, files=_hr_file(_new_hire(), typo)))
    assert ("Item [1] (staff number 10058): Unknown property 'firstname' (did you mean 'firstName'?)"
            in message), message
    assert "'[1]." not in message
    bad_value = flash(campus.post("sync/transfer", None, files=_hr_file(_brown(birthdate="26/12/1979"))))
    assert "Item [0] (staff number 10058): birthdate:" in bad_value and "[0].birthdate" not in bad_value, bad_value


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b")
DISPLAY_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def test_every_page_shows_dates_in_one_format(campus: Campus) -> None:
    """Issue 17 item 9: one display format for dates (MM/DD/YYYY) and one for times (MM/DD/YYYY hh:mm:ss AM UTC)
    on every page a sync touches: no ISO date or raw timestamp in what a trainer reads (form fields and the
    downloads keep ISO, the wire format)."""
    users = re.findall(r'<option value="(\d+)"', campus.get("messages").text)
    campus.post("notifications/new", {"type": "HR Sync Commit", "recipients": users[:1]})
    _to_validated(campus, _brown(employments=[{"hireDate": "2008-08-11", "terminationDate": "2025-12-19"}]),
                  _new_hire())
    campus.post("sync/commit")
    person = campus.person_id("10058")
    pages = {name: text(campus.get(sub)) for name, sub in (
        ("sync", "sync"), ("report", "sync/report"), ("messages", f"messages?user={users[0]}"),
        ("staff", f"staff/{person}"), ("search", "staff?q=Simpson"), ("error log", "error-log"))}
    for name, shown in pages.items():
        assert not ISO_DATE.search(shown), (name, ISO_DATE.search(shown))
    assert "08/11/2008 - 12/19/2025" in pages["report"]  # employment dates in the report's cells
    assert re.search(r"Generated on \d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} [AP]M UTC", pages["report"])
    assert re.search(r"synchronization started \d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} [AP]M UTC", pages["messages"])
    assert DISPLAY_DATE.search(pages["staff"]) and DISPLAY_DATE.search(pages["sync"])
    csv_text = campus.get("sync/report.csv").text
    assert "2008-08-11 - 2025-12-19" in csv_text  # the download keeps the wire format


def test_display_formats_are_one_function_each() -> None:
    from datetime import UTC, date, datetime

    from boi_mock.admin.render import campus_date, campus_timestamp
    from boi_mock.domain.display import display_date, display_timestamp

    assert campus_date is display_date and campus_timestamp is display_timestamp
    assert display_date("2026-01-05") == display_date(date(2026, 1, 5)) == "01/05/2026"
    assert display_date("2026-01-05T13:04:05Z") == "01/05/2026"
    moment = datetime(2026, 1, 5, 13, 4, 5, tzinfo=UTC)
    assert display_timestamp(moment) == display_timestamp("2026-01-05T13:04:05Z") == "01/05/2026 01:04:05 PM UTC"
    assert display_date(None) == display_timestamp("") == ""


def test_sync4_report_marks_only_the_name_column_that_changed() -> None:
    """A married name: Last Name is marked, not the unchanged First and Middle Name (case ignored, IDENT-3)."""
    row = {"staffNumber": "10130", "personID": 1, "fields": ["name"],
           "campus": {"lastName": "Carroll", "firstName": "Lisa", "middleName": "Patricia", "birthdate": "1977-01-13"},
           "hr": {"lastName": "OLSON", "firstName": "LISA", "middleName": "PATRICIA", "birthdate": "1977-01-13"}}
    section = report_view.sections({"details": {"demographicDifferences": [row]}})[0]
    (campus_side, campus_cells), (hr_side, hr_cells) = section.entries[0]
    marked = [section.columns[i + 1] for i, cell in enumerate(hr_cells) if cell.differs]
    assert (campus_side, hr_side, marked) == ("Campus", "HR", ["Last Name"])
    assert [c.text for c in campus_cells][1:4] == ["Carroll", "Lisa", "Patricia"]
    assert campus_cells[section.columns.index("Birth Date") - 1].text == "01/13/1977"
