"""Household location dates (HH-2): when a location a move leaves behind ends, and which locations are current.

Decided (docs/contract.md, HH-2): the old location ends the day before the call, or on the call date itself
when it began that day (as IDENT-1), or on its own start date when it was dated to begin later: an end date
is never before its start. Dates are inclusive, so a location that ends the day it starts, on or after the
district's today, is one a move superseded before it took effect: it is history, not current, although
its end date has not passed. Pure: dates in, dates out; `services/households.py` and the sync report's
query (`services/sync/report.py`) apply it.
"""

from __future__ import annotations

from datetime import date, timedelta


def moved_out_end_date(start: date | None, today: date) -> date:
    """The end date of a current location the HR system no longer sends (HH-2)."""
    if start is None or start < today:
        return today - timedelta(days=1)
    return start  # began today (or is dated later): ends the day it began


def is_current(start: date | None, end: date | None, today: date) -> bool:
    """A location in force today or later: not ended, or ending today or later — unless a move ended it
    the day it began (then `end == start >= today`, see `moved_out_end_date`)."""
    if end is None:
        return True
    return end >= today and end != start
