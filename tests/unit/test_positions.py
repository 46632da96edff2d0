"""POS-1, POS-4, POS-7, POS-8 on plain values."""

from __future__ import annotations

from datetime import date

from boi_mock.domain.positions import (
    PositionRecord,
    PositionUpdate,
    plan_position_update,
    plan_positions,
    required_problems,
)

S1, S2, E1 = date(2008, 8, 11), date(2015, 11, 2), date(2020, 6, 30)


def pos(school: str = "030", assignment: str | None = "20", title: str | None = "7B20C1D4",
        start: date | None = S1, end: date | None = None, linked: bool = False) -> PositionRecord:
    return PositionRecord(school, assignment, title, start, end, linked)


def test_pos1_title_or_assignment_required() -> None:
    problems = required_problems("030", None, "  ", S1)
    assert [(p.field, p.code) for p in problems] == [("", "title_or_assignment_required")]


def test_pos1_school_and_start_date_required() -> None:
    problems = required_problems(None, "T", None, None)
    assert [(p.field, p.code) for p in problems] == [("schoolNumber", "missing_field"),
                                                     ("startDate", "missing_field")]


def test_pos1_either_code_alone_is_enough() -> None:
    assert required_problems("030", "T", None, S1) == []
    assert required_problems("030", None, "20", S1) == []


def test_pos8_equal_positions_are_kept_and_take_the_sent_end_date() -> None:
    existing = [pos(), pos(assignment="95", title="4A61E262", start=S2)]
    plan = plan_positions(existing, [pos(end=E1), pos(assignment="95", title="4A61E262", start=S2)])
    assert plan.keep == [(0, E1), (1, None)] and not plan.create and not plan.remove
    assert plan.changes(existing)


def test_pos8_new_positions_created_and_missing_ones_removed() -> None:
    existing = [pos(), pos(school="010", start=S2)]
    plan = plan_positions(existing, [pos(), pos(school="020", start=S2)])
    assert plan.keep == [(0, None)]
    assert plan.create == [pos(school="020", start=S2)]
    assert plan.remove == [1]
    assert plan.blocked(existing) == []


def test_pos8_linked_positions_left_out_are_blocked() -> None:
    existing = [pos(linked=True), pos(school="010", start=S2)]
    plan = plan_positions(existing, [pos(school="010", start=S2)])
    assert plan.blocked(existing) == [0]


def test_pos8_key_is_school_title_assignment_start() -> None:
    existing = [pos()]
    assert plan_positions(existing, [pos(title="OTHER")]).remove == [0]
    assert plan_positions(existing, [pos(assignment="95")]).remove == [0]
    assert plan_positions(existing, [pos(start=S2)]).remove == [0]
    assert plan_positions(existing, [pos(end=E1)]).remove == []


def test_pos8_duplicates_pair_up() -> None:
    existing = [pos(), pos()]
    plan = plan_positions(existing, [pos()])
    assert plan.keep == [(0, None)] and plan.remove == [1]


def test_pos4_no_date_checks_end_before_start_is_a_plain_value() -> None:
    odd = pos(start=E1, end=S1)
    assert plan_positions([], [odd]).create == [odd]


def upd(start: date, end: date | None = None, title: str | None = "7B20C1D4", assignment: str | None = None,
        school: str = "030") -> PositionUpdate:
    return PositionUpdate(school, title, assignment, start, end)


def test_pos7_match_on_start_date_sets_end_date_on_all() -> None:
    existing = [pos(), pos(), pos(start=S2)]
    plan = plan_position_update(existing, upd(S1, E1))
    assert plan is not None and plan.indices == [0, 1] and plan.sets == "end_date" and plan.value == E1


def test_pos7_otherwise_match_on_end_date_sets_start_date() -> None:
    existing = [pos(end=E1), pos(start=S2, end=E1), pos(start=S2)]
    plan = plan_position_update(existing, upd(date(2009, 1, 5), E1))
    assert plan is not None and plan.indices == [0, 1] and plan.sets == "start_date"
    assert plan.value == date(2009, 1, 5)


def test_pos7_open_positions_match_a_missing_end_date() -> None:
    plan = plan_position_update([pos(end=E1), pos(start=S2)], upd(date(2016, 1, 4)))
    assert plan is not None and plan.indices == [1] and plan.sets == "start_date"


def test_pos7_title_and_or_assignment_identify() -> None:
    existing = [pos(), pos(assignment="95", title="4A61E262")]
    assert plan_position_update(existing, upd(S1, E1, title=None, assignment="95")) is not None
    by_both = plan_position_update(existing, upd(S1, E1, title="7B20C1D4", assignment="20"))
    assert by_both is not None and by_both.indices == [0]
    assert plan_position_update(existing, upd(S1, E1, title="7B20C1D4", assignment="95")) is None


def test_pos7_no_match_is_none() -> None:
    assert plan_position_update([pos()], upd(S2, E1)) is None
    assert plan_position_update([pos()], upd(S1, E1, school="010")) is None


def test_pos7_unchanged_values_are_no_change() -> None:
    existing = [pos(end=E1)]
    plan = plan_position_update(existing, upd(S1, E1))
    assert plan is not None and not plan.changes(existing)
