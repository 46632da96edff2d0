"""Contract coverage of a district (MOCK-11): which rules, error codes and operations its BOI calls exercised.

The counters are written by the journal writer with the journal entries (`services.observability`); this
module reads them against the catalogue (`boi_mock.domain.coverage`), so every rule, error code and operation
is listed, with 0 hits when never seen. Read-your-writes is the journal's: the control API and the Campus UI
settle the process's writer before they read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.domain import coverage as catalogue
from boi_mock.domain.coverage_howto import HOW_TO
from boi_mock.repositories import coverage as repo


@dataclass(frozen=True)
class RuleCoverage:
    id: str
    section: str
    title: str
    how_to: str
    hits: int


@dataclass(frozen=True)
class CodeCoverage:
    code: str
    hits: int


@dataclass(frozen=True)
class OperationCoverage:
    method: str
    path: str
    hits: int
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    rules: list[RuleCoverage]
    error_codes: list[CodeCoverage]
    operations: list[OperationCoverage]

    @property
    def total(self) -> int:
        return len(self.rules)

    @property
    def exercised(self) -> int:
        return sum(1 for rule in self.rules if rule.hits > 0)

    def never(self) -> list[RuleCoverage]:
        return [rule for rule in self.rules if rule.hits == 0]


def of_district(session: Session, district: m.District) -> Coverage:
    rules: dict[str, int] = defaultdict(int)
    codes: dict[str, int] = defaultdict(int)
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, key, status, hits in repo.counters(session, district.id):
        if kind == catalogue.RULE_KIND:
            rules[key] += hits
        elif kind == catalogue.CODE_KIND:
            codes[key] += hits
        elif kind == catalogue.OPERATION_KIND:
            statuses[key][str(status)] = statuses[key].get(str(status), 0) + hits
    operations = []
    for operation in catalogue.OPERATIONS:
        seen = statuses.get(catalogue.operation_key(operation), {})
        operations.append(OperationCoverage(method=operation[0], path=operation[1], hits=sum(seen.values()),
                                            statuses=dict(sorted(seen.items()))))
    return Coverage(
        rules=[RuleCoverage(id=rule.id, section=rule.section, title=rule.title, how_to=HOW_TO[rule.id],
                            hits=rules.get(rule.id, 0)) for rule in catalogue.RULES],
        error_codes=[CodeCoverage(code=code, hits=codes.get(code, 0)) for code in catalogue.ERROR_CODES],
        operations=operations)


def clear(session: Session, district: m.District) -> None:
    """Start counting again (`DELETE …/coverage`): the journal and the Error Log are left as they are."""
    repo.clear(session, [district.id])
