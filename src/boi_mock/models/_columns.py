"""Column helpers shared by the models."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column


def district_fk() -> Mapped[int]:
    """The tenant column: every row belongs to one district and goes with it."""
    return mapped_column(Integer, ForeignKey("district.id", ondelete="CASCADE"), index=True)
