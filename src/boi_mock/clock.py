"""Per-district time (MOCK-8): one clock for every date and timestamp a district shows or stores.

A district's time is its frozen business date (or today), the wall-clock time of day, plus its offset
(`Clock.at`). The Error Log, the journal, notifications, "HR-managed since", the secret's "generated" time,
sync and job times and the business dates all come from it. Tokens are the one exception: they age with
the offset but keep the wall-clock date (`Clock.timestamp`), so a scenario frozen at a past date does not
hand out tokens whose `exp` is in the past for a vendor's library that reads it.

Nothing else in the code calls `date.today()` or `datetime.now()` for what a district shows or stores;
`utcnow()` is for the machinery only (job leases and heartbeats, the order calls were answered in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


def utcnow() -> datetime:
    """Naive UTC wall-clock time: leases, heartbeats and ordering. What a district shows uses `Clock`."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Clock:
    frozen_today: date | None = None
    offset_seconds: int = 0

    def at(self, wall: datetime) -> datetime:
        """The district's time at the wall-clock instant `wall` (naive UTC): frozen date or its date,
        its time of day, plus the offset."""
        day = self.frozen_today if self.frozen_today is not None else wall.date()
        return datetime.combine(day, wall.time()) + timedelta(seconds=self.offset_seconds)

    def now(self) -> datetime:
        return self.at(utcnow())

    def today(self) -> date:
        return self.now().date()

    def timestamp(self) -> int:
        """Token time (iat/exp, AUTH-1, MOCK-8): the wall clock plus the offset, whatever the frozen date."""
        return int((utcnow() + timedelta(seconds=self.offset_seconds) - datetime(1970, 1, 1)).total_seconds())


WALL = Clock()


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
