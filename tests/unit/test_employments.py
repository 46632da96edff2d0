"""EMP-1/EMP-2 on plain values: the complete-list rule matched by hireDate."""

from __future__ import annotations

from datetime import date

from boi_mock.domain.employments import EmploymentRecord as E
from boi_mock.domain.employments import plan_employments

D1, D2, D3 = date(2001, 8, 15), date(2014, 8, 11), date(2020, 1, 6)
END = date(2010, 5, 28)


def test_emp2_match_by_hire_date_takes_the_sent_termination_date() -> None:
    existing = [E(D1, None)]
    plan = plan_employments(existing, [E(D1, END)])
    assert plan.keep == [(0, END)] and not plan.create and not plan.remove
    assert plan.changes(existing)


def test_emp2_missing_records_are_removed_and_new_ones_created() -> None:
    existing = [E(D1, END), E(D2, None)]
    plan = plan_employments(existing, [E(D2, None), E(D3, None)])
    assert plan.keep == [(1, None)]
    assert plan.remove == [0]
    assert plan.create == [E(D3, None)]


def test_emp2_identical_list_is_no_change() -> None:
    existing = [E(D1, END), E(D2, None)]
    plan = plan_employments(existing, [E(D2, None), E(D1, END)])
    assert not plan.changes(existing)


def test_emp2_empty_list_removes_everything() -> None:
    plan = plan_employments([E(D1), E(D2)], [])
    assert plan.remove == [0, 1] and not plan.keep


def test_emp2_same_hire_date_twice_pairs_in_order() -> None:
    existing = [E(D1, None), E(D1, END)]
    plan = plan_employments(existing, [E(D1, END)])
    assert plan.keep == [(0, END)] and plan.remove == [1]
    plan = plan_employments(existing, [E(D1, None), E(D1, END), E(D1, D3)])
    assert plan.keep == [(0, None), (1, END)] and plan.create == [E(D1, D3)]


def test_emp1_no_date_validation_termination_before_hire_and_overlaps_kept() -> None:
    sent = [E(D3, D1), E(D1, D3), E(D2, None)]  # ends before it starts; overlapping ranges
    plan = plan_employments([], sent)
    assert plan.create == sent
