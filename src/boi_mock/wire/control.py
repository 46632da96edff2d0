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


# --- MOCK-4: a staff member as Campus holds it ------------------------------------------------------------


class Demographics(Model):
    """The current identity's other demographics (MOCK-4)."""

    ssn: str | None = None
    work_phone: str | None = None
    cell_phone: str | None = None
    other_phone: str | None = None
    work_email: str | None = None
    personal_email: str | None = None


class IdentityView(Model):
    last_name: str
    first_name: str
    middle_name: str | None = None
    gender: str | None = None
    birthdate: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    current: bool


class EmploymentView(Model):
    hire_date: date | None = None
    termination_date: date | None = None


class PositionView(Model):
    school_number: str
    assignment_code: str | None = None
    title_code: str | None = None
    title_description: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    linked: bool


class AddressView(Model):
    address_id: int = Field(alias="addressID")
    post_office_box: bool
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


class LocationView(Model):
    address: AddressView
    start_date: date | None = None
    end_date: date | None = None
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
