"""Wire shapes of the staff synchronization API (SYNC-1..7) and Check Campus Data (SYNC-9)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from boi_mock.schemas.base import OutModel


class SyncStatusOut(OutModel):
    """The current sync run (SYNC-1, SYNC-3; `GET status`). `status` NONE when the district never synced."""

    sync_id: int | None = Field(serialization_alias="syncID")
    status: str
    started_date: str | None
    started_by: str | None
    staff_transferred: int
    ended_date: str | None = None
    validated_date: str | None = None
    committed_date: str | None = None
    # True when Campus changed after validation: commit answers validation_stale (SYNC-5).
    validation_stale: bool | None = None
    # Commit progress over the whole run (staging rows by outcome), once committing.
    staff_committed: int | None = None
    staff_failed: int | None = None
    staff_pending: int | None = None


class TransferOut(OutModel):
    staff_transferred: int


class CommitFailureOut(OutModel):
    staff_number: str
    code: str
    message: str


class CommitOut(OutModel):
    """SYNC-6: every staff member of the sync by outcome (a resumed commit includes earlier outcomes)."""

    succeeded: list[str]
    failed: list[CommitFailureOut]


class SubmittedJobOut(OutModel):
    job_id: int = Field(serialization_alias="jobID")
    status: str


class CommitJobOut(OutModel):
    job_id: int = Field(serialization_alias="jobID")
    status: str
    total: int
    processed: int
    succeeded: int
    failed: int
    submitted_date: str | None
    started_date: str | None
    finished_date: str | None
    error: str | None = None


class ByFieldOut(OutModel):
    ssn: int
    staff_number: int
    name: int
    gender: int
    personal_email: int
    work_email: int
    cell_phone: int
    other_phone: int
    work_phone: int
    birthdate: int


class DemographicSummaryOut(OutModel):
    total: int
    by_field: ByFieldOut


class ReportSummaryOut(OutModel):
    demographic_differences: DemographicSummaryOut
    employment_differences: int
    assignment_differences: int
    address_differences: int
    hr_staff_not_in_campus: int
    campus_staff_not_in_hr: int
    campus_duplicate_staff_numbers: int
    campus_staff_without_staff_number: int


class ValidationReportOut(OutModel):
    """SYNC-4 (documentation model: the handler returns the stored JSON as is)."""

    generated_date: str
    hr_staff_transferred: int
    summary: ReportSummaryOut
    details: dict[str, list[dict[str, Any]]]


class CheckCampusSummaryOut(OutModel):
    campus_staff: int
    campus_duplicate_staff_numbers: int
    duplicated_staff_numbers: int
    campus_staff_without_staff_number: int


class CheckCampusDataOut(OutModel):
    """SYNC-9 / MOCK-10."""

    generated_date: str
    summary: CheckCampusSummaryOut
    details: dict[str, list[dict[str, Any]]]
