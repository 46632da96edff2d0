"""What the BOI API and the control API answer, as typed models.

They accept fields they do not know (a client must survive a server that grew a field) and keep
them (`model_extra`). Requests are built from the server's own input schemas
(`boi_mock.schemas.staff.StaffMemberIn` …) or from plain camelCase dicts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

# The control API's answers are the shapes the server declares (boi_mock.wire.control), re-exported here, and so
# are a staff member's nested shapes, which MOCK-4's views there extend.
from boi_mock.wire.control import Address as Address
from boi_mock.wire.control import DistrictCredentials as DistrictCredentials
from boi_mock.wire.control import Employment as Employment
from boi_mock.wire.control import ErrorLogEntry as ErrorLogEntry
from boi_mock.wire.control import FaultRule as FaultRule
from boi_mock.wire.control import HouseholdLocation as HouseholdLocation
from boi_mock.wire.control import JournalEntry as JournalEntry
from boi_mock.wire.control import Position as Position


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")


class School(Model):
    school_number: str
    name: str


class Gender(Model):
    code: str
    name: str


class AssignmentCode(Model):
    code: str
    name: str


class Title(Model):
    title_code: str
    description: str


class Household(Model):
    name: str | None = None
    phone: str | None = None
    household_locations: list[HouseholdLocation] = Field(default_factory=list)


class StaffMember(Model):
    person_id: int = Field(alias="personID")
    staff_number: str | None = None
    # generated from boi_mock/domain/demographics.py by tools/generate_client_models.py: do not edit
    last_name: str
    first_name: str
    middle_name: str | None = None
    gender: str | None = None
    ssn: str | None = None
    birthdate: date | None = None
    work_phone: str | None = None
    cell_phone: str | None = None
    other_phone: str | None = None
    work_email: str | None = None
    personal_email: str | None = None
    # end of the generated fields
    is_staff: bool = False
    employments: list[Employment] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    household: Household | None = None


class StaffSearchResult(list[StaffMember]):
    """The matching staff members; `total` is the X-Total-Count header (matches before limit/offset)."""

    total: int = 0


class PositionUpdate(Model):
    updated: int
    positions: list[Position] = Field(default_factory=list)


class SyncStatus(Model):
    """SYNC-1/3 (`GET staffMembers/sync/status`, and the control API's `GET /_mock/districts/{appName}/sync`)."""

    sync_id: int | None = Field(default=None, alias="syncID")
    status: str
    started_date: str | None = None
    started_by: str | None = None
    staff_transferred: int | None = None
    ended_date: str | None = None
    validated_date: str | None = None
    committed_date: str | None = None
    validation_stale: bool | None = None  # SYNC-5
    staff_committed: int | None = None
    staff_failed: int | None = None
    staff_pending: int | None = None


class TransferResult(Model):
    staff_transferred: int


class ValidationReport(Model):
    generated_date: str | None = None
    summary: dict[str, Any] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict)


class CommitFailure(Model):
    staff_number: str | None = None
    code: str
    message: str | None = None


class CommitResult(Model):
    succeeded: list[str] = Field(default_factory=list)
    failed: list[CommitFailure] = Field(default_factory=list)


class CommitJob(Model):
    job_id: int | str | None = Field(default=None, alias="jobID")
    status: str
    total: int | None = None
    processed: int | None = None
    succeeded: Any = None
    failed: Any = None
    submitted_date: str | None = None
    started_date: str | None = None
    finished_date: str | None = None
