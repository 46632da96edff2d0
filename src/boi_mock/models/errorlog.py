from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class ErrorLogEntry(DistrictRow, Base):
    """Business Office Error Log (ERR-1). Payload is masked (SSNs to last 4, no secrets)."""

    __tablename__ = "error_log"
    # (district_id, wall_at): pages, newest first. (district_id, id): the cap's trim finds the district's oldest
    # rows by id on both databases.
    __table_args__ = (Index("ix_error_log_district_wall", "district_id", "wall_at"),
                      Index("ix_error_log_district_row", "district_id", "id"))

    # The district's time (MOCK-8): what the Error Log shows and filters on.
    error_at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    status: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(Text)
    # The wall-clock instant (naive UTC): the order rows happened in, whatever the district's clock did.
    wall_at: Mapped[datetime | None] = mapped_column(DateTime)
