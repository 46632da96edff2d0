from __future__ import annotations

from datetime import date

from pydantic import Field

from boi_mock.schemas.address import AddressIn, AddressOut
from boi_mock.schemas.base import Code, Date, Email, Medium, Name, OutModel, Phone, Short, Ssn, StaffNumber, WireModel


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


class StaffMemberIn(WireModel):
    """The staff member object of CONTRACT §4, for create, update and sync transfer."""

    staff_number: StaffNumber | None = None
    last_name: Name | None = None
    first_name: Name | None = None
    middle_name: Name | None = None
    gender: Short | None = None
    ssn: Ssn | None = None
    birthdate: Date | None = None
    work_phone: Phone | None = None
    cell_phone: Phone | None = None
    other_phone: Phone | None = None
    work_email: Email | None = None
    personal_email: Email | None = None
    employments: list[EmploymentIn] | None = Field(default=None, max_length=100)
    positions: list[PositionIn] | None = Field(default=None, max_length=500)
    household: HouseholdIn | None = None


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


class StaffMemberOut(OutModel):
    person_id: int = Field(serialization_alias="personID")
    staff_number: str | None
    last_name: str
    first_name: str
    middle_name: str | None
    gender: str | None
    ssn: str | None
    birthdate: date | None
    work_phone: str | None
    cell_phone: str | None
    other_phone: str | None
    work_email: str | None
    personal_email: str | None
    is_staff: bool
    employments: list[EmploymentOut]
    positions: list[PositionOut]
    household: HouseholdOut | None


class PositionUpdateOut(OutModel):
    updated: int
    positions: list[PositionOut]
