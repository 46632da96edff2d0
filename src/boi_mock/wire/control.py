"""What the control API (/_mock) answers: one model per answer, used by the server as `response_model` and
by `boi_mock.client` to read it.

Models accept and keep fields they do not know (`extra="allow"`): a client must survive a server that grew a
field. The server answers with `response_model_exclude_unset`, so a model never adds a key the route did not
send: declaring a shape here documents the wire, it does not change it. Timestamps are the server's ISO 8601
UTC text (`2026-01-15T09:30:00Z`), kept as text; dates are `date`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def __getitem__(self, wire_name: str) -> Any:
        """`answer["today"]`: a field by its wire name, as JSON (code written when the client answered dicts)."""
        return self.model_dump(mode="json", by_alias=True)[wire_name]


class Health(Model):
    """MOCK-1."""

    status: str


class DistrictCredentials(Model):
    """MOCK-2's answer: what a vendor configures in its HR system."""

    app_name: str
    client_id: str
    client_secret: str
    token_url: str
    base_url: str


class LocksState(Model):
    """PREF-1: which areas the Campus UI locks for HR-managed persons."""

    staff_creation: bool
    staff_number: bool
    staff_demographics: bool
    staff_employment: bool
    staff_employment_assignments: bool
    staff_household: bool


class PreferencesState(Model):
    """MOCK-6 / PREF-1 / PREF-2."""

    allow_household_updates: bool
    strict_unknown_properties: bool
    locks: LocksState


class ClockState(Model):
    """MOCK-8: the district's business date and time."""

    today: date
    frozen: bool
    offset_seconds: int
    now: str


class DistrictSummary(DistrictCredentials):
    """A district as `GET /_mock/districts[/{appName}]` and a reset (MOCK-3) show it."""

    token_lifetime_seconds: int
    preferences: PreferencesState
    clock: ClockState
    created_at: str | None = None


class JournalEntry(Model):
    """MOCK-9: one BOI call as the mock saw it. `status` 0: the connection was dropped (fault)."""

    id: int
    at: str | None = None
    method: str
    path: str
    query: str | None = None
    status: int
    duration_ms: float | None = None
    rules: list[str] = Field(default_factory=list)
    request_body: str | None = None
    response_body: str | None = None


class ErrorLogEntry(Model):
    """ERR-1: one Business Office Error Log row."""

    id: int | None = None
    error_date: str | None = None
    action: str
    path: str
    status: int | None = None
    code: str | None = None
    error_message: str | None = None
    payload: str | None = None


class FaultRule(Model):
    """A fault rule with how often it matched and fired."""

    id: int
    method: str | None = None
    path: str | None = None
    status: int | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    delay_ms: int = 0
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    drop_connection: bool = False
    matched: int = 0
    fired: int = 0
    remaining: int | None = None


class Cap(Model):
    """MOCK-9 / ERR-1: a district's journal or Error Log cap (`cap` null: the server's default applies)."""

    cap: int | None
    default: int
    effective: int


class ResetAll(Model):
    """MOCK-14: the districts a global reset deleted, and the seed districts it created again."""

    deleted: list[str]
    seeded: list[DistrictCredentials]


# --- MOCK-11: contract coverage -----------------------------------------------------------------------------


class RuleCoverage(Model):
    """One rule of docs/contract.md a BOI call can fire, and how many of the district's calls fired it."""

    id: str = Field(description="Rule ID of docs/contract.md", examples=["IDENT-1"])
    title: str = Field(description="The rule in one line")
    section: str | None = Field(default=None, description="The guide's section the rule belongs to")
    how_to: str | None = Field(default=None, description="How an integration exercises it, in one sentence")
    hits: int = Field(default=0, description="Calls that fired the rule")


class ErrorCodeCoverage(Model):
    code: str = Field(examples=["position_in_use"])
    hits: int = Field(default=0, description="Calls answered with this code (top-level or a field error's)")


class OperationCoverage(Model):
    method: str = Field(examples=["POST"])
    path: str = Field(description="OpenAPI path template under /campus/api/businessOfficeIntegration",
                      examples=["/staffMembers/{staffNumber}"])
    hits: int = 0
    statuses: dict[str, int] = Field(default_factory=dict, description="Calls per HTTP status",
                                     examples=[{"201": 1, "400": 1}])


class Coverage(Model):
    """MOCK-11: a district's contract coverage (or, from `union`, several districts')."""

    rules: list[RuleCoverage] = Field(default_factory=list,
                                      description="Every rule a BOI call can fire, in the contract's order")
    error_codes: list[ErrorCodeCoverage] = Field(default_factory=list,
                                                 description="Every error code a BOI call can answer with")
    operations: list[OperationCoverage] = Field(default_factory=list, description="Every BOI operation")
    exercised: int = Field(default=0, description="Rules with hits > 0")
    total: int = Field(default=0, description="len(rules)")

    def never(self) -> list[RuleCoverage]:
        """The rules no call fired, in the contract's order."""
        return [rule for rule in self.rules if rule.hits == 0]

    def hits(self, rule_id: str) -> int:
        return next((rule.hits for rule in self.rules if rule.id == rule_id), 0)

    def summary(self) -> str:
        """`BOI rules exercised: 31 of 46; never: POS-7 end-date or re-date a position …, …`"""
        never = self.never()
        listed = "; never: " + ", ".join(f"{rule.id} {rule.title}" for rule in never) if never else ""
        return f"BOI rules exercised: {self.exercised} of {self.total}{listed}"

    @classmethod
    def union(cls, reports: list[Coverage]) -> Coverage:
        """Hits added up over several districts (every rule, code and operation any of them lists)."""
        rules: dict[str, RuleCoverage] = {}
        codes: dict[str, ErrorCodeCoverage] = {}
        operations: dict[tuple[str, str], OperationCoverage] = {}
        for report in reports:
            for rule in report.rules:
                rules.setdefault(rule.id, rule.model_copy(update={"hits": 0})).hits += rule.hits
            for code in report.error_codes:
                codes.setdefault(code.code, ErrorCodeCoverage(code=code.code)).hits += code.hits
            for op in report.operations:
                known = operations.setdefault((op.method, op.path), OperationCoverage(method=op.method, path=op.path))
                known.hits += op.hits
                for status, n in op.statuses.items():
                    known.statuses[status] = known.statuses.get(status, 0) + n
        merged = list(rules.values())
        return cls(rules=merged, error_codes=list(codes.values()), operations=list(operations.values()),
                   exercised=sum(1 for rule in merged if rule.hits > 0), total=len(merged))


class CheckCampusSummary(Model):
    campus_staff: int
    campus_duplicate_staff_numbers: int
    duplicated_staff_numbers: int
    campus_staff_without_staff_number: int


class CheckCampusData(Model):
    """MOCK-10 (SYNC-9): Campus staff with duplicate staff numbers and without one."""

    generated_date: str
    summary: CheckCampusSummary
    details: dict[str, list[dict[str, Any]]]


# --- MOCK-4: a staff member as Campus holds it ------------------------------------------------------------


class Demographics(Model):
    """The current identity's other demographics (MOCK-4)."""

    # generated from boi_mock/domain/demographics.py by tools/generate_client_models.py: do not edit
    ssn: str | None = None
    work_phone: str | None = None
    cell_phone: str | None = None
    other_phone: str | None = None
    work_email: str | None = None
    personal_email: str | None = None
    # end of the generated fields


class IdentityView(Model):
    # generated from boi_mock/domain/demographics.py by tools/generate_client_models.py: do not edit
    last_name: str
    first_name: str
    middle_name: str | None = None
    gender: str | None = None
    birthdate: date | None = None
    # end of the generated fields
    start_date: date | None = None
    end_date: date | None = None
    current: bool


# A staff member's employments, positions and household locations as the BOI API answers them (CONTRACT §4, §5),
# read by the vendor client (boi_mock.client.models re-exports them). MOCK-4's views below are the same shapes,
# with what the view always has required (a field redeclared keeps its place) and its own fields last.


class Employment(Model):
    hire_date: date | None = None
    termination_date: date | None = None


class Position(Model):
    school_number: str
    assignment_code: str | None = None
    title_code: str | None = None
    title_description: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class Address(Model):
    address_id: int | None = Field(default=None, alias="addressID")
    post_office_box: bool | None = None
    number: str | None = None
    prefix: str | None = None
    street: str | None = None
    tag: str | None = None
    direction: str | None = None
    apt: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    county: str | None = None
    location_code: str | None = None
    tract: str | None = None
    block: str | None = None


class HouseholdLocation(Model):
    address: Address
    start_date: date | None = None
    end_date: date | None = None
    mailing: bool | None = None
    physical: bool | None = None
    secondary: bool | None = None
    private: bool | None = None


class EmploymentView(Employment):
    pass


class PositionView(Position):
    linked: bool


class AddressView(Address):
    address_id: int = Field(alias="addressID")
    post_office_box: bool


class LocationView(HouseholdLocation):
    address: AddressView
    mailing: bool
    physical: bool
    secondary: bool
    private: bool
    current: bool


class HouseholdView(Model):
    household_id: int = Field(alias="householdID")
    name: str
    phone: str | None = None
    staff_household: bool
    members: list[int]
    locations: list[LocationView]


class StaffView(Model):
    """MOCK-4: everything Campus holds for one staff member."""

    person_id: int = Field(alias="personID")
    staff_number: str | None = None
    is_staff: bool
    synced_at: str | None = None
    demographics: Demographics
    identities: list[IdentityView]
    employments: list[EmploymentView]
    positions: list[PositionView]
    household: HouseholdView | None = None
    locked: list[str]
