"""District assignments, a.k.a. positions (POS-1, POS-4, POS-7, POS-8).

There is no position identifier on the wire: positions are recognised by their values.
POS-4: no date checks at all (end before start, overlaps, cross-school: stored as sent).
Pure: plain values in, plans out; the service loads, applies and flushes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from boi_mock.domain.complete_lists import match_complete_list
from boi_mock.errors import FieldError

PositionKey = tuple[str | None, str | None, str | None, date | None]


@dataclass(frozen=True)
class PositionRecord:
    school_number: str | None
    assignment_code: str | None
    title_code: str | None
    start_date: date | None
    end_date: date | None = None
    # Linked to other Campus records (e.g. section assignments): cannot be removed (POS-8).
    linked: bool = False

    @property
    def key(self) -> PositionKey:
        """POS-8: a sent position is the same as a stored one when these four are equal."""
        return (self.school_number, self.title_code, self.assignment_code, self.start_date)

    def describe(self) -> str:
        parts = [f"school {self.school_number}"]
        if self.assignment_code:
            parts.append(f"assignment {self.assignment_code}")
        if self.title_code:
            parts.append(f"title {self.title_code}")
        parts.append(f"start {self.start_date.isoformat() if self.start_date else 'none'}")
        return ", ".join(parts)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def required_problems(school_number: str | None, title_code: str | None, assignment_code: str | None,
                      start_date: date | None) -> list[FieldError]:
    """POS-1: schoolNumber, startDate, and titleCode or assignmentCode (paths relative to the position)."""
    problems: list[FieldError] = []
    if _blank(school_number):
        problems.append(FieldError("schoolNumber", "missing_field",
                                   "schoolNumber is required for a position"))
    if start_date is None:
        problems.append(FieldError("startDate", "missing_field", "startDate is required for a position"))
    if _blank(title_code) and _blank(assignment_code):
        problems.append(FieldError("", "title_or_assignment_required",
                                   "A position needs a titleCode or an assignmentCode (best practice: both)"))
    return problems


# --- POS-8: the complete set on staff update ------------------------------------------------------------


@dataclass(frozen=True)
class PositionPlan:
    # (index into existing, the sent endDate) for every kept position.
    keep: list[tuple[int, date | None]] = field(default_factory=list)
    create: list[PositionRecord] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)

    def blocked(self, existing: Sequence[PositionRecord]) -> list[int]:
        """Positions the plan would remove although they are linked: the update must fail (409)."""
        return [i for i in self.remove if existing[i].linked]

    def changes(self, existing: Sequence[PositionRecord]) -> bool:
        return bool(self.remove or self.create) or any(existing[i].end_date != end for i, end in self.keep)


def plan_positions(existing: Sequence[PositionRecord], sent: Sequence[PositionRecord]) -> PositionPlan:
    """POS-8. Duplicates (POS-6) pair up in order: two sent equal positions keep two stored ones."""
    matched = match_complete_list(existing, sent, key=lambda r: r.key, end=lambda r: r.end_date)
    return PositionPlan(keep=matched.keep, create=matched.create, remove=matched.remove)


# --- POS-7: update one position (or all that match) by its values -------------------------------------


@dataclass(frozen=True)
class PositionUpdate:
    school_number: str
    title_code: str | None
    assignment_code: str | None
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class PositionUpdatePlan:
    indices: list[int]
    # Step 1 matched on startDate → every match gets the sent endDate; step 2 on endDate → the startDate.
    sets: Literal["end_date", "start_date"]
    value: date | None

    def changes(self, existing: Sequence[PositionRecord]) -> bool:
        return any(getattr(existing[i], self.sets) != self.value for i in self.indices)


def identifies(record: PositionRecord, update: PositionUpdate) -> bool:
    """School plus the title and/or assignment code sent (what is not sent is not compared)."""
    return (record.school_number == update.school_number
            and (update.title_code is None or record.title_code == update.title_code)
            and (update.assignment_code is None or record.assignment_code == update.assignment_code))


def plan_position_update(existing: Sequence[PositionRecord],
                         update: PositionUpdate) -> PositionUpdatePlan | None:
    """POS-7: match on startDate first (set endDate on all), else on endDate (set startDate on all)."""
    candidates = [i for i, record in enumerate(existing) if identifies(record, update)]
    by_start = [i for i in candidates if existing[i].start_date == update.start_date]
    if by_start:
        return PositionUpdatePlan(by_start, "end_date", update.end_date)
    by_end = [i for i in candidates if existing[i].end_date == update.end_date]
    if by_end:
        return PositionUpdatePlan(by_end, "start_date", update.start_date)
    return None
