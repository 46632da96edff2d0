"""District employment (EMP-1, EMP-2): hire/termination dates of record from the HR system.

EMP-1: no date validation at all (termination before hire, overlaps: stored as sent).
EMP-2: on update the sent list is complete; records match by hireDate, matches take the sent
terminationDate, unmatched existing ones are removed, unmatched sent ones created.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from boi_mock.domain.complete_lists import match_complete_list


@dataclass(frozen=True)
class EmploymentRecord:
    hire_date: date | None
    termination_date: date | None = None


@dataclass(frozen=True)
class EmploymentPlan:
    # (index into existing, the sent terminationDate) for every match, changed or not.
    keep: list[tuple[int, date | None]] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    create: list[EmploymentRecord] = field(default_factory=list)

    def changes(self, existing: Sequence[EmploymentRecord]) -> bool:
        return bool(self.remove or self.create) or any(
            existing[i].termination_date != end for i, end in self.keep)


def plan_employments(existing: Sequence[EmploymentRecord],
                     sent: Sequence[EmploymentRecord]) -> EmploymentPlan:
    """EMP-2. Several records with the same hireDate (dirty Campus data, or sent twice) pair up in order."""
    matched = match_complete_list(existing, sent, key=lambda r: r.hire_date, end=lambda r: r.termination_date)
    return EmploymentPlan(keep=matched.keep, remove=matched.remove, create=matched.create)
