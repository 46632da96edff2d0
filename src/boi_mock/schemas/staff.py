from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import Field

from boi_mock.schemas.address import AddressIn, AddressOut
from boi_mock.schemas.base import Code, Date, Medium, OutModel, Phone, Short, StaffNumber, WireModel
from boi_mock.schemas.demographics import with_demographics


class EmploymentIn(WireModel):
    hire_date: Date | None = None
    termination_date: Date | None = None


class PositionIn(WireModel):
    """A district assignment. Required: schoolNumber, startDate, titleCode or assignmentCode (POS-1)."""

    school_number: Short | None = None
    assignment_code: Short | None = None
    title_code: Code | None = None
    title_description: Medium | None = None
    start_date: Date | None = None
    end_date: Date | None = None


class PositionUpdateIn(WireModel):
    """POS-7: identifies positions by school + title/assignment; only start or end date changes."""

    school_number: Short | None = None
    assignment_code: Short | None = None
    title_code: Code | None = None
    start_date: Date | None = None
    end_date: Date | None = None


class HouseholdLocationIn(WireModel):
    address: AddressIn
    start_date: Date | None = None
    end_date: Date | None = None
    mailing: bool | None = None
    physical: bool | None = None
    secondary: bool | None = None
    private: bool | None = None


class HouseholdIn(WireModel):
    name: Medium | None = None
    phone: Phone | None = None
    household_locations: list[HouseholdLocationIn] | None = Field(default=None, max_length=20)


@with_demographics(after="staff_number", mode="in")
class StaffMemberIn(WireModel):
    """The staff member object of CONTRACT §4, for create, update and sync transfer."""

    staff_number: StaffNumber | None = None
    # lastName … personalEmail: `domain.demographics.DEMOGRAPHICS`, each optional.
    employments: list[EmploymentIn] | None = Field(default=None, max_length=100)
    positions: list[PositionIn] | None = Field(default=None, max_length=500)
    household: HouseholdIn | None = None

    if TYPE_CHECKING:
        def __init__(self, **data: Any) -> None: ...
        def __getattr__(self, name: str) -> Any: ...  # the demographic fields


class EmploymentOut(OutModel):
    hire_date: date | None
    termination_date: date | None


class PositionOut(OutModel):
    school_number: str
    assignment_code: str | None
    title_code: str | None
    title_description: str | None
    start_date: date | None
    end_date: date | None


class HouseholdLocationOut(OutModel):
    address: AddressOut
    start_date: date | None
    end_date: date | None
    mailing: bool
    physical: bool
    secondary: bool
    private: bool


class HouseholdOut(OutModel):
    name: str
    phone: str | None
    household_locations: list[HouseholdLocationOut]


@with_demographics(after="staff_number", mode="out")
class StaffMemberOut(OutModel):
    person_id: int = Field(serialization_alias="personID")
    staff_number: str | None
    # lastName … personalEmail: `domain.demographics.DEMOGRAPHICS`, each present (null when empty).
    is_staff: bool
    employments: list[EmploymentOut]
    positions: list[PositionOut]
    household: HouseholdOut | None

    if TYPE_CHECKING:
        def __init__(self, **data: Any) -> None: ...
        def __getattr__(self, name: str) -> Any: ...  # the demographic fields


class PositionUpdateOut(OutModel):
    updated: int
    positions: list[PositionOut]
