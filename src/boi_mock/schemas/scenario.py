"""The scenario document (CONTRACT §9): what POST /_mock/districts and boi_mock/seed/*.json hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field, Strict

from boi_mock.schemas.address import AddressIn
from boi_mock.schemas.base import Code, Date, Medium, Name, Phone, Short, WireModel
from boi_mock.schemas.demographics import with_demographics
from boi_mock.schemas.staff import EmploymentIn


class Locks(WireModel):
    staff_creation: bool = True
    staff_number: bool = True
    staff_demographics: bool = True
    staff_employment: bool = True
    staff_employment_assignments: bool = True
    staff_household: bool = True


class Preferences(WireModel):
    """MOCK-6 / PREF-1 / PREF-2. Absent fields keep their current value on PUT."""

    allow_household_updates: bool | None = None
    strict_unknown_properties: bool | None = None
    locks: Locks | None = None


class SchoolIn(WireModel):
    school_number: Short
    name: Medium


class CodeNameIn(WireModel):
    code: Short
    name: Medium


class TitleIn(WireModel):
    title_code: Code
    description: Medium


ToolRight = Literal["District Employment", "District Assignments"]


class UserIn(WireModel):
    """A Campus user. Only a user with tool rights to District Employment and/or District Assignments can be a
    notification recipient (NOTE-2); without `toolRights` a user has none."""

    username: Name
    name: Medium
    tool_rights: list[ToolRight] = Field(default_factory=list, max_length=2)


class ScenarioPosition(WireModel):
    school_number: Short
    assignment_code: Short | None = None
    title_code: Code | None = None
    title_description: Medium | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    linked: bool = False


def _utc_naive(value: datetime) -> datetime:
    """Timestamps are stored as naive UTC (the `DateTime` columns); an offset given is applied first."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


# An ISO 8601 timestamp (`2026-01-15T09:30:00Z`); the wire's timestamps are strings, hence not strict.
Timestamp = Annotated[datetime, Strict(False), AfterValidator(_utc_naive)]


@with_demographics(after="current", mode="scenario")
class ScenarioIdentity(WireModel):
    """One identity of a person's history (MOCK-12): its demographics, dates and whether it is the current one."""

    current: bool = False
    # lastName … personalEmail: `domain.demographics.DEMOGRAPHICS`; the names required.
    start_date: Date | None = None
    end_date: Date | None = None

    if TYPE_CHECKING:
        def __init__(self, **data: Any) -> None: ...
        def __getattr__(self, name: str) -> Any: ...  # the demographic fields


@with_demographics(after="staff_number", mode="scenario")
class ScenarioPerson(WireModel):
    ref: Name | None = None
    staff_number: Short | None = None
    # lastName … personalEmail: `domain.demographics.DEMOGRAPHICS`; the names required.
    employments: list[EmploymentIn] = Field(default_factory=list)
    positions: list[ScenarioPosition] = Field(default_factory=list)
    # Every identity Campus holds for the person, oldest first, exactly one `current` (IDENT-1's history,
    # MOCK-12). The top-level demographics are then the current identity's. Absent: one current identity
    # without dates, from the top-level demographics.
    identities: list[ScenarioIdentity] | None = Field(default=None, max_length=1000)
    # When the HR system (the API or a sync commit) last wrote the person: HR-managed, locked in the Campus UI
    # (STAFF-8, MOCK-4 `syncedAt`). Absent: never written by the HR system.
    synced_at: Timestamp | None = None

    if TYPE_CHECKING:
        def __init__(self, **data: Any) -> None: ...
        def __getattr__(self, name: str) -> Any: ...  # the demographic fields


class ScenarioLocation(WireModel):
    address: AddressIn
    start_date: Date | None = None
    end_date: Date | None = None
    mailing: bool = True
    physical: bool = True
    secondary: bool = False
    private: bool = False
    # Load this address as one more copy even when Campus already holds it (dirty data, ADDR-6).
    duplicate_address: bool = False


class ScenarioAddress(AddressIn):
    """An address Campus holds that no household location uses (MOCK-12: e.g. left by Combine Person)."""

    # One more copy even when Campus already holds it (dirty data, ADDR-6).
    duplicate_address: bool = False


class ScenarioHousehold(WireModel):
    name: Medium
    phone: Phone | None = None
    staff_household: bool = False
    members: list[Name] = Field(default_factory=list)
    locations: list[ScenarioLocation] = Field(default_factory=list)


class ScenarioNotification(WireModel):
    type: Name
    recipients: list[Name] = Field(default_factory=list)  # usernames of `users`


class Scenario(WireModel):
    app_name: Name | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    client_id: Medium | None = None
    client_secret: Medium | None = None
    today: Date | None = None
    # MOCK-8: the district's time moved forward by this much (POST …/clock/advance); absent: 0.
    clock_offset_seconds: int | None = Field(default=None, ge=0, le=10 * 365 * 86400)
    token_lifetime_seconds: int = Field(default=3600, ge=1, le=30 * 86400)
    journal_cap: int | None = Field(default=None, ge=1, le=1_000_000)  # MOCK-9; absent: the server's default
    error_log_cap: int | None = Field(default=None, ge=1, le=1_000_000)  # ERR-1; absent: the server's default
    preferences: Preferences | None = None
    schools: list[SchoolIn] = Field(default_factory=list)
    genders: list[CodeNameIn] = Field(default_factory=list)
    assignment_codes: list[CodeNameIn] = Field(default_factory=list)
    titles: list[TitleIn] = Field(default_factory=list)
    users: list[UserIn] = Field(default_factory=list)
    persons: list[ScenarioPerson] = Field(default_factory=list)
    households: list[ScenarioHousehold] = Field(default_factory=list)
    # Addresses no household location uses (MOCK-12); one that equals a location's address is that address.
    addresses: list[ScenarioAddress] = Field(default_factory=list)
    notifications: list[ScenarioNotification] = Field(default_factory=list)
