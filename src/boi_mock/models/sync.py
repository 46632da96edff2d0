from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow, district_fk


class SyncRun(DistrictRow, Base):
    """One staff synchronization (SYNC-1..7): NONE → TRANSFER_STARTED → … → COMMITTED."""

    __tablename__ = "sync_run"

    status: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    started_by: Mapped[str] = mapped_column(String(200))
    staff_transferred: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    validated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # district.data_version when validated: a later Campus write makes the report stale (SYNC-5).
    validated_data_version: Mapped[int | None] = mapped_column(Integer)
    committed_at: Mapped[datetime | None] = mapped_column(DateTime)
    superseded: Mapped[bool] = mapped_column(default=False)
    # The report lives in its own row, loaded only when read: it can be megabytes, and the commit
    # updates this row once per staff member (SQLite rewrites a whole record on every UPDATE).
    report_row: Mapped[SyncReport | None] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def report(self) -> dict[str, Any] | None:
        return self.report_row.document if self.report_row is not None else None

    @report.setter
    def report(self, document: dict[str, Any] | None) -> None:
        if document is None:
            self.report_row = None
        elif self.report_row is None:
            self.report_row = SyncReport(district_id=self.district_id, document=document)
        else:
            self.report_row.document = document


class SyncReport(Base):
    """The validation report of a sync run (SYNC-4), as returned by validate."""

    __tablename__ = "sync_report"

    sync_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = district_fk()
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class SyncStagingRow(DistrictRow, Base):
    """An HR staff member transferred into staging, as sent (validated at transfer)."""

    __tablename__ = "sync_staging_row"
    __table_args__ = (UniqueConstraint("sync_id", "staff_number"),)

    sync_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    staff_number: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Commit outcome per row: None (pending), "succeeded", "failed".
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_code: Mapped[str | None] = mapped_column(String(60))
    outcome_message: Mapped[str | None] = mapped_column(String(1000))
    # The ADDR-5 candidates of the household addresses, by location index, as the transfer's check parsed
    # them (`addresses.parsed_to_json`): validate and commit use them instead of parsing again.
    address_parts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
