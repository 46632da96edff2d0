from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from boi_mock.db import Base


class CoverageCounter(Base):
    """Contract coverage (MOCK-11): how many BOI calls of a district hit a rule, an error code or an operation.

    `kind` is `rule`, `code` or `op`; `key` the rule ID, the error code or "METHOD /template"; `status` the
    HTTP status for an operation (0 otherwise). Counters, not the capped journal: upserted by the journal
    writer in the transaction that writes the calls' journal entries.
    """

    __tablename__ = "coverage_counter"

    district_id: Mapped[int] = mapped_column(Integer, ForeignKey("district.id", ondelete="CASCADE"),
                                             primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    status: Mapped[int] = mapped_column(Integer, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
