from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class RequestJournalEntry(DistrictRow, Base):
    """One BOI call as Campus saw it (MOCK-9): bodies masked, rule codes that fired."""

    __tablename__ = "request_journal"

    # The district's time when the call was answered (MOCK-8): what the journal shows and `since` filters on.
    at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    query: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[float] = mapped_column(Float)
    request_body: Mapped[str | None] = mapped_column(Text)
    response_body: Mapped[str | None] = mapped_column(Text)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The wall-clock instant it was answered (naive UTC): "newest first", whatever the district's clock did.
    wall_at: Mapped[datetime | None] = mapped_column(DateTime)
