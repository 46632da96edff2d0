"""The scenario document (CONTRACT §9): what POST /_mock/districts and boi_mock/seed/*.json hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

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


@with_demographics(after="staff_number", mode="scenario")
class ScenarioPerson(WireModel):
    ref: Name | None = None
    staff_number: Short | None = None
    # lastName … personalEmail: `domain.demographics.DEMOGRAPHICS`; the names required.
    employments: list[EmploymentIn] = Field(default_factory=list)
    positions: list[ScenarioPosition] = Field(default_factory=list)

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
    notifications: list[ScenarioNotification] = Field(default_factory=list)
