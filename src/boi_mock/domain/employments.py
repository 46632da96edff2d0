"""District employment (EMP-1, EMP-2): hire/termination dates of record from the HR system.

EMP-1: no date validation at all (termination before hire, overlaps: stored as sent).
EMP-2: on update the sent list is complete; records match by hireDate, matches take the sent
terminationDate, unmatched existing ones are removed, unmatched sent ones created.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date


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
    waiting: dict[date | None, list[int]] = defaultdict(list)
    for i, record in enumerate(existing):
        waiting[record.hire_date].append(i)
    plan = EmploymentPlan()
    for record in sent:
        queue = waiting.get(record.hire_date)
        if queue:
            plan.keep.append((queue.pop(0), record.termination_date))
        else:
            plan.create.append(record)
    plan.remove.extend(sorted(i for queue in waiting.values() for i in queue))
    return plan
