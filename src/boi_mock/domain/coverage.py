"""Contract coverage (MOCK-11): the catalogue of what a BOI call can exercise, and what one call did exercise.

The catalogue is one place: every rule of docs/contract.md that a BOI call can fire (`RULES`, with its guide
section, a one-line title and what makes a call count for it), every error code a BOI call can answer with
(`ERROR_CODES`) and every BOI operation (`OPERATIONS`, the OpenAPI path templates under
/campus/api/businessOfficeIntegration). `tests/unit/test_coverage_catalogue.py` holds it to docs/contract.md,
to the rule codes the services fire and to the routes the app serves.

A call counts for a rule when (any of the rule's triggers):

* the call journalled a rule code of it (`STAFF-5`, `ADDR-5 exact match` → ADDR-5; the journal's rule codes);
* the call answered an error code the rule defines (`unknown_gender` → STAFF-2), top-level or a field error's,
  or a commit reported it for a staff member (`failed[].code`);
* the call was answered successfully by the operation the rule defines (`GET /schools` → REF-1);
* what the rule is about is visible in the call itself (any 401 → AUTH-3, any 4xx/5xx → ERR-1, a position
  stored with its end before its start → POS-4, a staff read answering `isStaff: false` → STAFF-7).

Pure: no database, no HTTP. `observe()` turns one answered call into the counters it adds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

BOI_MARKER = "/api/businessOfficeIntegration"

# --- operations ------------------------------------------------------------------------------------------

# Every BOI operation, in the order of the OpenAPI document (method, path template under the BOI base path).
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("GET", "/schools"),
    ("GET", "/attributes/genders"),
    ("GET", "/attributes/assignmentCodes"),
    ("GET", "/attributes/titles"),
    ("GET", "/staffMembers"),
    ("GET", "/staffMembers/{staffNumber}"),
    ("POST", "/staffMembers"),
    ("PUT", "/staffMembers/{staffNumber}"),
    ("POST", "/staffMembers/{staffNumber}/position"),
    ("PUT", "/staffMembers/{staffNumber}/position"),
    ("GET", "/addresses"),
    ("POST", "/staffMembers/sync/start"),
    ("POST", "/staffMembers/sync/transfer"),
    ("POST", "/staffMembers/sync/end"),
    ("POST", "/staffMembers/sync/validate"),
    ("GET", "/staffMembers/sync/report"),
    ("POST", "/staffMembers/sync/commit"),
    ("POST", "/staffMembers/sync/submitCommitJob"),
    ("GET", "/staffMembers/sync/commitJobStatus"),
    ("GET", "/staffMembers/sync/status"),
)


def _template_pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "/?$")


# Literal templates before templates with parameters (`/staffMembers/sync/status` is not a staff number).
_MATCHERS = sorted(((method, template, _template_pattern(template)) for method, template in OPERATIONS),
                   key=lambda item: item[1].count("{"))


def relative_path(path: str) -> str:
    """The path under the BOI base path, for /campus/api/… and /apps/{appName}/campus/api/… alike."""
    return path.split(BOI_MARKER, 1)[1] if BOI_MARKER in path else path


def operation_of(method: str, path: str) -> tuple[str, str] | None:
    """The operation (method, template) a call was for; None for a path or method the API does not have."""
    relative = relative_path(path)
    for op_method, template, pattern in _MATCHERS:
        if op_method == method.upper() and pattern.match(relative):
            return op_method, template
    return None


# --- error codes -----------------------------------------------------------------------------------------

# Every error code of docs/contract.md ("Error codes") that a BOI call can answer with, in the contract's order.
ERROR_CODES: tuple[str, ...] = (
    "invalid_request", "unknown_property", "invalid_value", "staff_not_found", "staff_exists",
    "staff_number_mismatch", "unknown_gender", "unknown_school", "unknown_assignment_code",
    "title_or_assignment_required", "position_not_found", "position_in_use",
    "address_parts_conflict", "po_box_with_street_parts", "unparseable_address",
    "sync_state_conflict", "nothing_transferred", "duplicate_staff_number", "validation_stale",
    "duplicate_campus_staff_number", "payload_too_large", "unsupported_media_type",
    "missing_field", "malformed_json", "invalid_token", "too_many_staff", "report_not_found",
    "commit_job_not_found",
)
# The contract's other codes are answered by the Campus UI and the control API, never by a BOI call.
NOT_BOI_ERROR_CODES: tuple[str, ...] = (
    "person_not_found", "same_person", "combine_staff_number_conflict", "recipient_without_tool_rights",
    "unknown_campus_user", "cross_site_request", "admin_token_required",
)


# --- what one call shows ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CallFacts:
    """What the catalogue looks at in one answered BOI call (read from its journal record)."""

    method: str
    operation: tuple[str, str] | None
    status: int
    rules: tuple[str, ...] = ()
    codes: frozenset[str] = frozenset()
    # (field path, code) of the problem's field errors: ("[3].staffNumber", "missing_field")
    field_errors: tuple[tuple[str, str], ...] = ()
    # (startDate, endDate) of every position the request body sends
    positions: tuple[tuple[str | None, str | None], ...] = ()
    # a staff read answered a person with a staff number but no position (`isStaff: false`)
    not_staff_seen: bool = False
    # the rule IDs of the journalled rule codes (`ADDR-5 exact match` → ADDR-5)
    note_ids: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Trigger:
    """One way a call counts for a rule: every condition given must hold."""

    note: str | None = None  # a journalled rule code that is this or starts with it ("ADDR-4 parsed match")
    code: str | None = None  # an error code of the answer
    field: str | None = None  # with `code`: a field error on a field matching this (after `[i].` prefixes)
    operation: tuple[str, str] | None = None
    success: bool | None = None  # True: 2xx only
    status_from: int | None = None  # status at least this …
    status_to: int | None = None  # … and at most this
    check: Callable[[CallFacts], bool] | None = None

    def matches(self, facts: CallFacts) -> bool:
        if self.operation is not None and facts.operation != self.operation:
            return False
        if self.success and not facts.ok:
            return False
        if self.status_from is not None and facts.status < self.status_from:
            return False
        if self.status_to is not None and facts.status > self.status_to:
            return False
        if self.note is not None and not any(_is_note(rule, self.note) for rule in facts.rules):
            return False
        if self.code is not None:
            if self.field is not None:
                pattern = _pattern(self.field)
                if not any(code == self.code and pattern.fullmatch(_unindexed(name))
                           for name, code in facts.field_errors):
                    return False
            elif self.code not in facts.codes:
                return False
        return self.check is None or self.check(facts)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


_RULE_ID = re.compile(r"[A-Z]+-\d+(?=$|[ :])")


def _is_note(rule: str, note: str) -> bool:
    return rule == note or rule.startswith((note + " ", note + ":"))


def _unindexed(field_path: str) -> str:
    """`[3].positions[0].schoolNumber` → `positions.schoolNumber` (array indexes dropped)."""
    return re.sub(r"\[\d+\]\.?", ".", field_path).strip(".").replace("..", ".")


def note(text: str) -> Trigger:
    return Trigger(note=text)


def code(value: str, *, operation: tuple[str, str] | None = None) -> Trigger:
    return Trigger(code=value, operation=operation)


def ok(method: str, template: str) -> Trigger:
    return Trigger(operation=(method, template), success=True)


def _end_before_start(facts: CallFacts) -> bool:
    return facts.ok and any(start and end and end < start for start, end in facts.positions)


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    title: str
    triggers: tuple[Trigger, ...] = field(default=())

    def fired_by(self, facts: CallFacts) -> bool:
        # Its own rule codes always count (`SYNC-6 advice: …` is SYNC-6).
        return self.id in facts.note_ids or any(trigger.matches(facts) for trigger in self.triggers)


AUTH = "Credentials and tokens"
REF = "Reference data"
STAFF = "Staff members"
POS = "Positions (district assignments)"
ADDR = "Addresses and households"
SYNC = "Staff synchronization"
LOG = "Error Log and notifications"
# The guide's sections, in its order (the Campus UI's checklist groups by them).
SECTIONS = (AUTH, REF, STAFF, POS, ADDR, SYNC, LOG)

STAFF_READS = (("GET", "/staffMembers"), ("GET", "/staffMembers/{staffNumber}"))
WRITES_WITH_POSITIONS = (("POST", "/staffMembers"), ("PUT", "/staffMembers/{staffNumber}"),
                         ("POST", "/staffMembers/{staffNumber}/position"), ("POST", "/staffMembers/sync/transfer"))
# A synchronous commit answers `failed: [{staffNumber, code, message}]` (commitJobStatus only counts them).
COMMIT_ANSWERS = (("POST", "/staffMembers/sync/commit"),)
_BAD = ("missing_field", "invalid_value")

RULES: tuple[Rule, ...] = (
    Rule("AUTH-3", AUTH, "a BOI call without a valid Bearer token is 401", (Trigger(status_from=401, status_to=401),)),
    Rule("REF-1", REF, "list the schools", (ok("GET", "/schools"),)),
    Rule("REF-2", REF, "list the genders", (ok("GET", "/attributes/genders"),)),
    Rule("REF-3", REF, "list the assignment codes", (ok("GET", "/attributes/assignmentCodes"),)),
    Rule("REF-4", REF, "list the titles", (ok("GET", "/attributes/titles"),)),
    Rule("STAFF-1", STAFF, "staff number, names and SSN are checked", tuple(
        Trigger(code=bad, field=r"(staffNumber|lastName|firstName|ssn)") for bad in _BAD)),
    Rule("STAFF-2", STAFF, "unknown gender is 400", (code("unknown_gender"),)),
    Rule("STAFF-3", STAFF, "search staff members", (ok("GET", "/staffMembers"),)),
    Rule("STAFF-4", STAFF, "read one staff member", (
        ok("GET", "/staffMembers/{staffNumber}"), code("staff_not_found", operation=STAFF_READS[1]))),
    Rule("STAFF-5", STAFF, "create a staff member; an existing number is 409", (code("staff_exists"),)),
    Rule("STAFF-6", STAFF, "update a staff member (absent unchanged, null clears)", (
        code("staff_number_mismatch"), code("staff_not_found", operation=("PUT", "/staffMembers/{staffNumber}")))),
    Rule("STAFF-7", STAFF, "a staff number without a position is found with isStaff false", tuple(
        Trigger(operation=read, success=True, check=lambda facts: facts.not_staff_seen) for read in STAFF_READS)),
    Rule("IDENT-1", STAFF, "a name change opens a new identity"),
    Rule("IDENT-2", STAFF, "other demographics update the current identity in place"),
    Rule("IDENT-3", STAFF, "a case or whitespace-only name difference is no change"),
    Rule("EMP-1", STAFF, "employments stored as sent, several allowed"),
    Rule("EMP-2", STAFF, "employments on update are the complete list, matched by hire date"),
    Rule("POS-1", POS, "a position needs school, start date and a title or assignment code", (
        code("title_or_assignment_required"),
        *(Trigger(code=bad, field=r"(positions\.)?(schoolNumber|startDate)") for bad in _BAD))),
    Rule("POS-2", POS, "unknown school is 400", (code("unknown_school"),)),
    Rule("POS-3", POS, "unknown assignment code is 400", (code("unknown_assignment_code"),)),
    Rule("POS-4", POS, "position dates are not validated (end before start is stored)", tuple(
        Trigger(operation=write, check=_end_before_start) for write in WRITES_WITH_POSITIONS)),
    Rule("POS-5", POS, "an unknown title code is created on the fly"),
    Rule("POS-6", POS, "add a position (duplicates allowed)"),
    Rule("POS-7", POS, "end-date or re-date a position by matching it", (code("position_not_found"),)),
    Rule("POS-8", POS, "positions on update are the complete set; a linked one cannot be removed", (
        code("position_in_use"),)),
    Rule("ADDR-1", ADDR, "fullStreetAddress with street parts is 400", (code("address_parts_conflict"),)),
    Rule("ADDR-2", ADDR, "a PO box takes only its number", (code("po_box_with_street_parts"),)),
    Rule("ADDR-3", ADDR, "the street line is parsed and normalised; unparseable is 400", (
        code("unparseable_address"), note("ADDR-4 parsed match"), note("ADDR-5 re-parse match"),
        note("ADDR-5 created"))),
    Rule("ADDR-4", ADDR, "one address per district, matched by its normalised key", (
        note("ADDR-5 exact match"), note("ADDR-5 re-parse match"))),
    Rule("ADDR-5", ADDR, "address parts: exact match, then re-parse, then create"),
    Rule("ADDR-6", ADDR, "search addresses", (ok("GET", "/addresses"),)),
    Rule("HH-1", ADDR, "create with a household makes a staff household"),
    Rule("HH-2", ADDR, "the only member's update moves the household location"),
    Rule("HH-3", ADDR, "a shared household's data is ignored"),
    Rule("HH-4", ADDR, "household defaults for what HR does not send"),
    Rule("HH-5", ADDR, "household updates off in the preferences: ignored"),
    Rule("SYNC-1", SYNC, "start a sync; steps out of order are 409", (code("sync_state_conflict"),)),
    Rule("SYNC-2", SYNC, "transfer staff (at most 1000 a call, no number twice)", (
        code("duplicate_staff_number"), code("too_many_staff"))),
    Rule("SYNC-3", SYNC, "end the transfer; nothing transferred is 409", (code("nothing_transferred"),)),
    Rule("SYNC-4", SYNC, "validate: the validation report", (
        ok("GET", "/staffMembers/sync/report"), code("report_not_found"))),
    Rule("SYNC-5", SYNC, "a Campus change after validation makes the commit stale", (code("validation_stale"),)),
    Rule("SYNC-6", SYNC, "commit: each staff member on its own", (code("duplicate_campus_staff_number"),)),
    Rule("SYNC-7", SYNC, "submit a commit job and follow its status", (
        ok("GET", "/staffMembers/sync/commitJobStatus"), code("commit_job_not_found"))),
    Rule("SYNC-10", SYNC, "the report counts Campus staff as persons", (ok("POST", "/staffMembers/sync/validate"),)),
    Rule("ERR-1", LOG, "a 4xx/5xx is written to the Error Log", (Trigger(status_from=400),)),
    Rule("NOTE-1", LOG, "HR-Staff and HR Sync Commit notifications are delivered"),
)
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)

# The rules of docs/contract.md no BOI call can fire, and why (the test holds the two lists to the contract).
NOT_FIRED_BY_BOI_CALLS: dict[str, str] = {
    "AUTH-1": "the token endpoint, not a BOI call", "AUTH-2": "the token endpoint, not a BOI call",
    "AUTH-4": "a secret rotation (Campus UI, MOCK-7)", "AUTH-5": "what is never stored or shown",
    "AUTH-6": "how tokens are signed", "STAFF-8": "the Campus UI's locks",
    "SYNC-8": "the Campus UI's locks after a commit", "SYNC-9": "Check Campus Data (Campus UI, MOCK-10)",
    "NOTE-2": "the Campus UI's recipients", "PREF-1": "the Campus UI's preferences",
    "PREF-2": "the Campus UI's preferences",
}


# --- one call → counters ------------------------------------------------------------------------------------

RULE_KIND = "rule"
CODE_KIND = "code"
OPERATION_KIND = "op"


def operation_key(operation: tuple[str, str]) -> str:
    return f"{operation[0]} {operation[1]}"


def _json(body: bytes | str | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:  # cut at its limit, or not JSON: nothing to learn from it
        return None


def _positions(data: Any) -> Iterator[tuple[str | None, str | None]]:
    """(startDate, endDate) of every position a staff body (or a list of them, or one position) sends."""
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        sent = item.get("positions")
        for position in ([*sent] if isinstance(sent, list) else []) + ([item] if "schoolNumber" in item else []):
            if isinstance(position, dict):
                start, end = position.get("startDate"), position.get("endDate")
                yield (start if isinstance(start, str) else None, end if isinstance(end, str) else None)


_NOT_STAFF = re.compile(rb'"isStaff"\s*:\s*false')


def facts_of(*, method: str, path: str, status: int, rules: Iterable[str], error_code: str | None,
             request_body: bytes | None, response_body: bytes | None) -> CallFacts:
    """What one answered call shows: its operation, rule codes, error codes and the bodies' few telling parts."""
    operation = operation_of(method, path)
    codes: set[str] = {error_code} if error_code else set()
    field_errors: list[tuple[str, str]] = []
    # Only a problem's body, or a commit's (its `failed[].code`), tells codes: a staff member's answer is not parsed.
    telling = status >= 400 or operation in COMMIT_ANSWERS
    answer = _json(response_body) if telling and response_body and response_body.lstrip()[:1] == b"{" else None
    if isinstance(answer, dict):
        if status >= 400 and isinstance(answer.get("code"), str):
            codes.add(answer["code"])
        items = answer.get("errors") if status >= 400 else answer.get("failed")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                codes.add(item["code"])
                if isinstance(item.get("field"), str):
                    field_errors.append((item["field"], item["code"]))
    positions: tuple[tuple[str | None, str | None], ...] = ()
    if 200 <= status < 300 and operation in WRITES_WITH_POSITIONS and request_body and b"tartDate" in request_body:
        positions = tuple(_positions(_json(request_body)))
    not_staff = bool(operation in STAFF_READS and response_body and _NOT_STAFF.search(response_body))
    notes = tuple(rules)
    note_ids = frozenset(found.group() for rule in notes if (found := _RULE_ID.match(rule)))
    return CallFacts(method=method.upper(), operation=operation, status=status, rules=notes,
                     codes=frozenset(codes), field_errors=tuple(field_errors), positions=positions,
                     not_staff_seen=not_staff, note_ids=note_ids)


def _index() -> tuple[dict[str, list[tuple[str, Trigger]]], dict[tuple[str, str], list[tuple[str, Trigger]]],
                      list[tuple[str, Trigger]], list[tuple[str, Trigger]]]:
    """The triggers by what a call must show for them to match: an error code, an operation, a rule code, or
    nothing cheap (checked on every call). `observe` asks only the candidates."""
    by_code: dict[str, list[tuple[str, Trigger]]] = {}
    by_operation: dict[tuple[str, str], list[tuple[str, Trigger]]] = {}
    by_note: list[tuple[str, Trigger]] = []
    always: list[tuple[str, Trigger]] = []
    for rule in RULES:
        for trigger in rule.triggers:
            if trigger.code is not None:
                by_code.setdefault(trigger.code, []).append((rule.id, trigger))
            elif trigger.operation is not None:
                by_operation.setdefault(trigger.operation, []).append((rule.id, trigger))
            elif trigger.note is not None:
                by_note.append((rule.id, trigger))
            else:
                always.append((rule.id, trigger))
    return by_code, by_operation, by_note, always


_BY_CODE, _BY_OPERATION, _BY_NOTE, _ALWAYS = _index()


def fired_rules(facts: CallFacts) -> list[str]:
    """The catalogue's rules the call fired, in the catalogue's order (the same as asking each `Rule.fired_by`)."""
    fired = set(facts.note_ids)
    candidates: list[tuple[str, Trigger]] = list(_ALWAYS)
    for value in facts.codes:
        candidates += _BY_CODE.get(value, ())
    if facts.operation is not None:
        candidates += _BY_OPERATION.get(facts.operation, ())
    if facts.rules:
        candidates += _BY_NOTE
    for rule_id, trigger in candidates:
        if rule_id not in fired and trigger.matches(facts):
            fired.add(rule_id)
    return [rule_id for rule_id in RULE_IDS if rule_id in fired]


def observe(facts: CallFacts) -> list[tuple[str, str, int]]:
    """The counters one call adds, each once: (kind, key, status); status is the HTTP status for operations, else 0."""
    counters = [(RULE_KIND, rule_id, 0) for rule_id in fired_rules(facts)]
    counters += [(CODE_KIND, value, 0) for value in sorted(facts.codes)]
    if facts.operation is not None:
        counters.append((OPERATION_KIND, operation_key(facts.operation), facts.status))
    return counters
