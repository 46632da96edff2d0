"""Column helpers shared by the models."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column


def district_fk(*, sort_order: int = 0) -> Mapped[int]:
    """The tenant column: every row belongs to one district and goes with it."""
    return mapped_column(Integer, ForeignKey("district.id", ondelete="CASCADE"), index=True, sort_order=sort_order)


class DistrictRow:
    """Mixin of a table whose rows belong to one district: an integer `id` key, then the tenant column; both come
    first in the table, as before the mixin (the ORM would put a mixin's columns last)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    district_id: Mapped[int] = district_fk(sort_order=-1)
