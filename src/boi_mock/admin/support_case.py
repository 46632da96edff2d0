"""A support case drafted from one Business Office Error Log row — or the advice that no case is needed.

The reference is the Campus Support Portal's case guide: an **Application Issue** is for "Campus is not working
as expected"; Priority is High for "inability to perform a time sensitive task", Medium for "usable, but
functionality affected" (Critical is for outages only). Most Error Log rows are not Campus defects: the HR
system's request is wrong (a typo, a missing field) or the district must fix its own data (a staff number
held twice, a code missing from a Campus list). Then the draft says so and suggests the fix instead of a case
(`assess`). The fields follow the Application Issue form; every sentence is true to the row: the steps are the
real calls (a sync's commit takes no body), "Environment Changes" lists only changes before the error, and
"happened N times" counts the same error only (same code and field, `services.logs.occurrences`).
The payload is the Error Log's, already masked (ERR-1): no SSN, no secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from boi_mock.admin.render import campus_timestamp
from boi_mock.domain.error_log import error_field, first_problem, staff_number_of, suggestion
from boi_mock.services.districts import Credentials

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

BOI_MARKER = "/api/businessOfficeIntegration"
TOKEN_PATH = "/campus/oauth2/token"
APPLICATION_ISSUE = "Application Issue"
NO_CASE = "No case needed"
_COMMIT_STEPS = ("/staffMembers/sync/commit", "/staffMembers/sync/submitCommitJob")
_REFERENCE_LISTS = {"unknown_school": ("school number", "the district's schools"),
                    "unknown_assignment_code": ("assignment code", "the state assignment codes in Campus"),
                    "unknown_gender": ("gender", "the district's Gender list")}
_REQUEST_FORM = {"missing_field", "invalid_value", "invalid_request", "malformed_json", "po_box_with_street_parts",
                 "address_parts_conflict", "title_or_assignment_required", "duplicate_staff_number"}


@dataclass(frozen=True)
class CaseField:
    key: str
    label: str
    value: str
    multiline: bool = False


@dataclass(frozen=True)
class Assessment:
    """Whose problem the row is and what to do. `case`: True file one, False none, None only if `condition`."""

    case: bool | None
    priority: str
    headline: str
    fix: str
    expected: str
    condition: str = ""

    @property
    def case_type(self) -> str:
        return NO_CASE if self.case is False else APPLICATION_ISSUE


def _subject_path(path: str) -> str:
    """…/businessOfficeIntegration/staffMembers/10058 → /staffMembers/10058."""
    index = path.find(BOI_MARKER)
    return path[index + len(BOI_MARKER):] if index >= 0 else path


def _is_staff_commit(entry: m.ErrorLogEntry) -> bool:
    """A sync commit's row about one staff member (the payload is that member's staged data, not a body)."""
    return _subject_path(entry.path) in _COMMIT_STEPS and staff_number_of(entry.error_message) is not None


def _not_ours(headline: str, fix: str, expected: str) -> Assessment:
    return Assessment(False, "—", "Not a Campus defect: " + headline, fix, expected)


def assess(entry: m.ErrorLogEntry) -> Assessment:
    """The guide's choice for this row: no case (and the fix), a case only if…, or an Application Issue."""
    code = entry.code or ""
    field = error_field(entry.error_message) or "the field"
    problem = first_problem(entry.error_message)
    if entry.status >= 500:
        return Assessment(True, "High", "A server error is a Campus defect: the request was not answered.",
                          "File this Application Issue; nothing in the request needs to change first.",
                          "No server error: the request is answered with a success or a clear 4xx error.")
    if entry.path == TOKEN_PATH or code == "invalid_client":
        return _not_ours("the token request's credentials were refused (the caller is told only invalid_client).",
                         f"{problem} Copy the client ID and secret from Business Office API Credentials into the HR "
                         "system; the token request is form-encoded.",
                         "Campus refuses a token request whose client ID or secret is not the current one: expected.")
    if code == "unknown_property":
        suggested = suggestion(entry.error_message)
        name = re.split(r"[.\]]", field)[-1]  # positions[0].schoolNumbr → schoolNumbr
        where = f" (at {field})" if name != field else ""
        fix = (f"Rename '{name}' to '{suggested}'{where} in the HR system's request (property names are "
               "case-sensitive)." if suggested else
               f"Remove '{field}' from the request, or look its name up in the API documentation.")
        return _not_ours("the HR system sent a property the Business Office Integration API does not have.", fix,
                         "Campus refuses unknown properties (400 unknown_property) so that a misspelt field is "
                         "never silently ignored: this answer is the expected one.")
    if code in _REQUEST_FORM:
        return _not_ours("a value of the HR system's request is not in the form the API accepts.",
                         f"Correct the request: {problem}",
                         f"Campus refuses the request until {field} is valid: this answer is the expected one.")
    if code in ("unsupported_media_type", "payload_too_large", "not_found", "method_not_allowed"):
        return _not_ours("the HR system's request does not match the API (content type, size, path or method).",
                         f"Correct the request: {problem}", "This answer is the expected one for such a request.")
    if code == "duplicate_campus_staff_number":
        number = staff_number_of(entry.error_message) or "this"
        return _not_ours(f"Campus holds staff number {number} more than once, so it cannot tell whom the HR system "
                         "means. The district fixes its own data.",
                         f"In Campus, look up staff number {number} (Check Campus Data lists the duplicates): combine "
                         "them if they are one person, or give the other person their correct staff number. The next "
                         "sync commits this staff member.",
                         f"Campus does not commit staff number {number} while the number is held twice (SYNC-6); "
                         "the other staff members are committed. After the district's fix the next commit includes "
                         "it.")
    if code == "validation_stale":
        return _not_ours("Campus data changed after the sync was validated, so the validated report no longer "
                         "holds (a Campus edit, or another HR call, since the validation).",
                         "Validate again (POST staffMembers/sync/validate), review the new report, then commit.",
                         "Campus refuses to commit a stale validation (SYNC-5); after validating again the commit "
                         "is accepted.")
    if code == "sync_state_conflict":
        return _not_ours("the sync step was called out of order for the sync's state.", problem,
                         "Each sync step is accepted only in its state (start, transfer, end, validate, commit).")
    if code == "position_in_use":
        return _not_ours("Campus keeps a position that other Campus records are linked to; the request would have "
                         "removed it.",
                         "Send every position the staff member has had, with end dates for those that ended; do not "
                         "leave a linked position out of the request.",
                         "Campus refuses to remove a position linked to other records (409 position_in_use): "
                         "expected.")
    if code in ("staff_exists", "staff_not_found", "position_not_found"):
        fixes = {"staff_exists": "Update the existing staff member (PUT /staffMembers/{staffNumber}) instead of "
                                 "creating it again; search first (GET /staffMembers?staffNumber=).",
                 "staff_not_found": "Create the staff member first (POST /staffMembers), or check the staff number "
                                    "in Campus (Staff search).",
                 "position_not_found": "Match the position by the school number, title code and assignment code it "
                                       "has in Campus (GET /staffMembers/{staffNumber} lists them)."}
        return _not_ours(f"Campus answered as the API says for this request ({problem}).", fixes[code],
                         "This answer is the expected one for such a request.")
    if code == "field_locked":
        return _not_ours("Business Office Preferences lock this field: the HR system maintains it.",
                         "Change it in the HR system, or unlock it in Business Office Preferences.",
                         "A locked field is not changed in Campus: expected.")
    if code in _REFERENCE_LISTS:
        what, where = _REFERENCE_LISTS[code]
        valid = {"unknown_gender": "valid Infinite Campus gender"}.get(code, f"valid {what} in Campus")
        return Assessment(None, "Medium", f"Campus accepts a {what} only from {where}.",
                          f"If the {what} sent is not in {where}, the district adds it in Campus or maps it in the "
                          "HR system: no case is needed.",
                          f"The {what} is accepted when it is a {valid}; one that is not in {where} is refused "
                          "(400) until the district adds it or the HR system maps it.",
                          condition=f"only if the {what} sent is in {where} and is still refused")
    if code == "invalid_token":
        return Assessment(None, "High", "Campus refused the access token (expired, or got before the secret was "
                          "regenerated).",
                          "Get a new token (AUTH-1) when it expires or after Generate New Secret, with the current "
                          "client secret.",
                          "The HR system's access token is accepted. A token got with the current client secret must "
                          "work for its whole lifetime.",
                          condition="only if a token got with the current client secret a moment ago is refused")
    if code == "unparseable_address":
        return Assessment(None, "Medium", "Campus could not read the street address sent.",
                          "Send the street as the USPS writes it (number, street, suffix, unit), or its parts.",
                          "The address is parsed into its parts and matched to an existing Campus address.",
                          condition="only if the address is valid as the USPS writes it")
    return Assessment(True, "Medium", "Campus refused a request the HR system expects to succeed.",
                      "File this Application Issue with the request below.",
                      f"The {entry.action} request succeeds (2xx) and Campus applies the HR system's data.")


def _who(entry: m.ErrorLogEntry, sync_outcome: tuple[int, int] | None) -> str:
    sub = _subject_path(entry.path)
    if entry.path == TOKEN_PATH:
        return "Every API call from the HR system: none works without a token."
    if _is_staff_commit(entry):
        number = staff_number_of(entry.error_message)
        counted = (f" (that sync: {sync_outcome[0]} staff members committed, {sync_outcome[1]} failed)"
                   if sync_outcome is not None else "")
        return (f"Staff number {number} only: each staff member of a sync is committed on its own, so the others "
                f"were not held back by this one{counted}.")
    if "/sync/" in sub:
        return "This sync: the call was refused as a whole, so nothing of it was changed by this call."
    match = re.match(r"^/staffMembers/([^/?]+)", sub)
    if match and match.group(1) != "sync":
        return (f"Staff member {match.group(1)}, and any other staff member the HR system sends the same way "
                "(their Campus records are not updated).")
    if sub.startswith("/staffMembers"):
        return "New staff members from the HR system: they are not created in Campus."
    return "The HR system integration of the district."


def _steps(entry: m.ErrorLogEntry, creds: Credentials) -> str:
    """Click-by-click: the real calls of the row (a sync commit takes no body; its row's payload is the member's)."""
    sub = _subject_path(entry.path)
    base = f"{creds.base_url}{BOI_MARKER}"
    token = (f"Get an access token: POST {creds.token_url} with a form-encoded body grant_type=client_credentials "
             "and the client ID above (client secret from System Settings > Business Office Integration > Business "
             "Office API Credentials).")
    payload = "\n\n" + entry.payload if entry.payload else ""
    if entry.path == TOKEN_PATH:
        steps = [token.replace("Get an access token", "Request an access token")]
        tail = f"The response is HTTP {entry.status} {entry.code or ''}".rstrip() + "."
    elif _is_staff_commit(entry):
        number = staff_number_of(entry.error_message)
        steps = [token, f"POST {base}/staffMembers/sync/start (no request body).",
                 f"POST {base}/staffMembers/sync/transfer with the HR export: a JSON array of staff members that "
                 f"includes staff number {number}, as logged (SSNs masked):" + payload,
                 f"POST {base}/staffMembers/sync/end (no request body).",
                 f"POST {base}/staffMembers/sync/validate (no request body).",
                 f"POST {base}{sub} (no request body)."
                 + (f" Then GET {base}/staffMembers/sync/commitJobStatus until the job is finished."
                    if sub.endswith("submitCommitJob") else "")]
        tail = (f"Staff number {number} fails with {entry.code or entry.status}; the others are committed. See "
                "System Settings > Business Office Integration > Business Office Error Log.")
    else:
        body = (" and this JSON body (as logged, SSNs masked):" + payload) if entry.payload else " (no request body)."
        steps = [token, f"Send {entry.action} {base}{sub} with 'Authorization: Bearer <token>'" + body]
        tail = (f"The response is HTTP {entry.status}. See System Settings > Business Office Integration > Business "
                "Office Error Log.")
    return "\n".join(f"{i}. {s}" for i, s in enumerate([*steps, tail], 1))


def _rotations_before(district: m.District, at: datetime) -> list[datetime]:
    """When the client secret was regenerated, on or before `at` (a later rotation changed nothing before it)."""
    times = {datetime.fromisoformat(r["retiredAt"]) for r in district.retired_secrets or [] if r.get("retiredAt")}
    if district.secret_rotated_at is not None:
        times.add(district.secret_rotated_at)
    return sorted(t for t in times if t <= at)


def draft(entry: m.ErrorLogEntry, district: m.District, creds: Credentials, *, first_seen: datetime,
          occurrences: int, sync_outcome: tuple[int, int] | None = None) -> list[CaseField]:
    """The Application Issue form's fields for this row (see `assess` for whether to file it at all)."""
    verdict = assess(entry)
    sub = _subject_path(entry.path)
    when = campus_timestamp(entry.error_at)
    code = entry.code or f"HTTP {entry.status}"
    field = error_field(entry.error_message)
    subject = f"Business Office Integration: {entry.action} {sub} fails with {entry.status} {code}"
    what = f"the call {entry.action} {sub} was rejected with HTTP {entry.status} ({code})"
    if _is_staff_commit(entry):  # the commit itself answered: one staff member of it failed
        number = staff_number_of(entry.error_message)
        subject = f"Business Office Integration: the sync commit fails for staff number {number} with {code}"
        what = (f"the sync commit ({entry.action} {sub}) did not commit staff number {number}: {code} "
                f"(HTTP {entry.status} in the Error Log); the call itself was answered")
    same = f"the same error ({code}" + (f", {field}" if field else "") + ")"
    description = (
        f"Our HR system (client ID “{creds.client_id}”) calls the Business Office Integration API of district "
        f"{district.app_name}. On {when} {what}. The Business Office Error Log shows the row below"
        + (f"; {same} happened {occurrences} times since {campus_timestamp(first_seen)}." if occurrences > 1
           else ".")
    )
    rotations = _rotations_before(district, entry.error_at)
    environment = "No changes on our side that we know of before the error."
    if rotations:
        environment = "; ".join(f"The client secret was regenerated on {campus_timestamp(t)}" for t in rotations) + (
            " (Business Office API Credentials > Generate New Secret), before the error.")
    expected = verdict.expected + f" Campus answered {entry.status} {code}."
    return [
        CaseField("type", "Type", verdict.case_type),  # the portal's value; a condition is in the verdict
        CaseField("priority", "Priority", verdict.priority),
        CaseField("module", "Module", "Business Office Integration"),
        CaseField("subject", "Subject", subject),
        CaseField("description", "Description", description, multiline=True),
        CaseField("steps", "Steps to Reproduce", _steps(entry, creds), multiline=True),
        CaseField("environment", "Environment Changes", environment, multiline=True),
        CaseField("error", "Error Message", f"{entry.status} {code}: {entry.error_message}", multiline=True),
        CaseField("expected", "Expected Results", expected, multiline=True),
        CaseField("impacted", "Who is impacted?", _who(entry, sync_outcome), multiline=True),
        CaseField("began", "Issue Began", campus_timestamp(first_seen)),
    ]


def as_text(fields: list[CaseField]) -> str:
    return "\n\n".join(f"{f.label}:\n{f.value}" for f in fields)
