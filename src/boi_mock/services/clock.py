"""The district clock's controls (MOCK-8): freeze the business date, advance time, back to the wall clock.

A district's time is `boi_mock.clock.Clock` (frozen date or today, the wall-clock time of day, plus the
offset); `boi_mock.clock.clock_of` builds it from the district row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.repositories import districts as repo


def freeze(session: Session, district: m.District, today: date) -> m.District:
    """PUT …/clock: the business date is `today` (an offset from an advance is kept: tokens stay aged)."""
    repo.lock(session, district.id)
    district.frozen_today = today
    return district


def to_wall_clock(session: Session, district: m.District) -> m.District:
    """DELETE …/clock: the district is back on the wall clock entirely (frozen date and offset cleared)."""
    repo.lock(session, district.id)
    district.frozen_today = None
    district.clock_offset_seconds = 0
    return district


def advance(session: Session, district: m.District, seconds: int) -> m.District:
    """POST …/clock/advance: time moves forward only (the way back is `to_wall_clock` or `freeze`)."""
    repo.lock(session, district.id)
    district.clock_offset_seconds = (district.clock_offset_seconds or 0) + seconds
    return district
