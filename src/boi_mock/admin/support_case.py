"""A draft Application Issue case (Campus Support Portal) built from one Business Office Error Log row.

The fields and their order are those of the support portal's Application Issue case type; the text
follows its advice (Who, What, Where, When, Why, How; click-by-click steps; the error message
pasted as is). The payload is the Error Log's, already masked (ERR-1): no SSN, no secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from boi_mock.admin.render import campus_timestamp
from boi_mock.services.districts import Credentials

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

BOI_MARKER = "/api/businessOfficeIntegration"

_EXPECTED = {
    "invalid_token": "The HR system's access token is accepted. A token got with the current client secret must work "
                     "for its whole lifetime.",
    "staff_not_found": "The staff member is found by staff number (the HR system searched Campus first).",
    "staff_exists": "The staff member is created, or the HR system is told to update the existing one instead.",
    "unknown_school": "The school number is accepted: it is a valid Infinite Campus school number.",
    "unknown_assignment_code": "The assignment code is accepted: it is a valid state assignment code in Campus.",
    "unknown_gender": "The gender is accepted: it is a valid Infinite Campus gender.",
    "position_not_found": "The position is found by school number, title code and/or assignment code and its dates "
                          "are updated.",
    "position_in_use": "The staff member's positions are updated without removing assignments that are linked to "
                       "other Campus records.",
    "validation_stale": "The validated synchronization commits.",
    "sync_state_conflict": "The synchronization step is accepted in the current state of the sync.",
    "unparseable_address": "The address is parsed into its parts and matched to an existing Campus address.",
}


@dataclass(frozen=True)
class CaseField:
    key: str
    label: str
    value: str
    multiline: bool = False


def _subject_path(path: str) -> str:
    """…/businessOfficeIntegration/staffMembers/10058 → /staffMembers/10058."""
    index = path.find(BOI_MARKER)
    return path[index + len(BOI_MARKER):] if index >= 0 else path


def _who(path: str) -> str:
    sub = _subject_path(path)
    if "/sync/" in sub:
        return "The staff synchronization of the whole district: no HR staff member is synced until this is resolved."
    match = re.match(r"^/staffMembers/([^/?]+)", sub)
    if match and match.group(1) != "sync":
        return (f"Staff member {match.group(1)}, and any other staff member the HR system sends the same way "
                "(their Campus records are not updated).")
    if sub.startswith("/staffMembers"):
        return "New staff members from the HR system: they are not created in Campus."
    if "oauth2" in path:
        return "Every API call from the HR system (authentication)."
    return "The HR system integration of the district."


def draft(entry: m.ErrorLogEntry, district: m.District, creds: Credentials, *, first_seen: datetime,
          occurrences: int) -> list[CaseField]:
    sub = _subject_path(entry.path)
    when = campus_timestamp(entry.error_at)
    code = entry.code or f"HTTP {entry.status}"
    subject = f"Business Office Integration: {entry.action} {sub} fails with {entry.status} {code}"
    description = (
        f"Our HR system (client ID “{creds.client_id}”) calls the Business Office Integration API of district "
        f"{district.app_name}. On {when} the call {entry.action} {sub} was rejected with HTTP {entry.status} "
        f"({code}). The Business Office Error Log shows the row below"
        + (f"; it happened {occurrences} times since {campus_timestamp(first_seen)}." if occurrences > 1 else ".")
    )
    steps = [
        f"Get an access token: POST {creds.token_url} with grant_type=client_credentials and the client ID above "
        "(client secret from System Settings > Business Office Integration > Business Office API Credentials).",
        f"Send {entry.action} {creds.base_url}{BOI_MARKER}{sub} with 'Authorization: Bearer <token>'"
        + (" and this JSON body (as logged, SSNs masked):" if entry.payload else " (no request body)."),
    ]
    steps_text = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    if entry.payload:
        steps_text += "\n\n" + entry.payload
    steps_text += (f"\n\n{len(steps) + 1}. The response is HTTP {entry.status}. See System Settings > Business Office "
                   "Integration > Business Office Error Log.")
    if entry.status >= 500:
        expected = "No server error: the request is answered with a success or a clear 4xx error."
    else:
        expected = _EXPECTED.get(entry.code or "", f"The {entry.action} request succeeds (2xx) and Campus applies "
                                                   "the HR system's data.")
    expected += f" Instead Campus answered {entry.status} {code}."
    environment = "No changes on our side that we know of."
    if district.secret_rotated_at is not None:
        environment = (f"The client secret was regenerated on {campus_timestamp(district.secret_rotated_at)} "
                       "(Business Office API Credentials > Generate New Secret).")
    return [
        CaseField("type", "Type", "Application Issue"),
        CaseField("priority", "Priority", "High" if entry.status >= 500 or "/sync/" in sub else "Medium"),
        CaseField("module", "Module", "Business Office Integration"),
        CaseField("subject", "Subject", subject),
        CaseField("description", "Description", description, multiline=True),
        CaseField("steps", "Steps to Reproduce", steps_text, multiline=True),
        CaseField("environment", "Environment Changes", environment, multiline=True),
        CaseField("error", "Error Message", f"{entry.status} {code}: {entry.error_message}", multiline=True),
        CaseField("expected", "Expected Results", expected, multiline=True),
        CaseField("impacted", "Who is impacted?", _who(entry.path), multiline=True),
        CaseField("began", "Issue Began", campus_timestamp(first_seen)),
    ]


def as_text(fields: list[CaseField]) -> str:
    return "\n\n".join(f"{f.label}:\n{f.value}" for f in fields)
