"""Per-district time (MOCK-8): a frozen business date and an offset that ages tokens.

Nothing else in the code calls `date.today()` or `datetime.now()` for business dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


def utcnow() -> datetime:
    """Naive UTC wall-clock time: the only timestamp type stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Clock:
    frozen_today: date | None = None
    offset_seconds: int = 0

    def now(self) -> datetime:
        return utcnow() + timedelta(seconds=self.offset_seconds)

    def today(self) -> date:
        if self.frozen_today is not None:
            return self.frozen_today
        return self.now().date()

    def timestamp(self) -> int:
        return int((self.now() - datetime(1970, 1, 1)).total_seconds())


class ClockSettings(Protocol):
    """What a district row says about its clock (`models.District`)."""

    @property
    def frozen_today(self) -> date | None: ...

    @property
    def clock_offset_seconds(self) -> int | None: ...


def clock_of(district: ClockSettings) -> Clock:
    return Clock(frozen_today=district.frozen_today, offset_seconds=district.clock_offset_seconds or 0)


def iso(ts: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, as the wire wants timestamps."""
    if ts is None:
        return None
    return ts.replace(microsecond=0).isoformat() + "Z"
