from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class FaultRule(DistrictRow, Base):
    """An injected fault for a district's BOI calls (toolkit: retries and timeouts)."""

    __tablename__ = "fault_rule"

    method: Mapped[str | None] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    delay_ms: Mapped[int] = mapped_column(Integer, default=0)
    times: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[float | None] = mapped_column(Float)
    seed: Mapped[int | None] = mapped_column(Integer)
    drop_connection: Mapped[bool] = mapped_column(Boolean, default=False)
    hits: Mapped[int] = mapped_column(Integer, default=0)
