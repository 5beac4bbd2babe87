from __future__ import annotations

from datetime import date

import pytest

from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.debt.sprints import (
    CapacityUnit,
    Sprint,
    SprintBudget,
    SprintCadence,
    SprintWarningKind,
    clean_capacity,
    clean_estimate,
    clean_reserved_percent,
    sprint_history,
    sprint_report,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import ActionStatus, Priority
from tests.core.debt.helpers import item

CADENCE = SprintCadence(start_on=date(2026, 1, 5), length_days=14)
BUDGET = SprintBudget(capacity=40, unit=CapacityUnit.POINTS, reserved_percent=20)  # 8 points


def test_it_finds_the_sprint_of_a_date() -> None:
    assert CADENCE.sprint_for(date(2026, 1, 5)) == Sprint(1, date(2026, 1, 5), date(2026, 1, 18))
    assert CADENCE.sprint_for(date(2026, 1, 18)).number == 1
    assert CADENCE.sprint_for(date(2026, 1, 19)).number == 2
    sprint = CADENCE.sprint_for(date(2026, 11, 25))
    assert sprint.name == "Sprint 24"
    assert sprint.label == "Sprint 24 (2026-11-23 to 2026-12-06)"
    assert sprint.contains(date(2026, 12, 6)) and not sprint.contains(date(2026, 12, 7))


def test_it_counts_sprints_across_a_leap_day() -> None:
    weekly = SprintCadence(start_on=date(2028, 2, 21), length_days=7)
    assert weekly.sprint_for(date(2028, 2, 29)).start_on == date(2028, 2, 28)
    assert weekly.sprint_for(date(2028, 3, 5)).end_on == date(2028, 3, 5)
    assert weekly.sprint_for(date(2028, 3, 6)).number == 3


def test_it_refuses_a_date_before_the_first_sprint() -> None:
    with pytest.raises(ValidationProblem, match="before the first sprint"):
        CADENCE.sprint_for(date(2026, 1, 4))
    with pytest.raises(ValidationProblem, match="numbered from 1"):
        CADENCE.sprint(0)


@pytest.mark.parametrize("length", [0, -14, 366, 1.5])
def test_it_refuses_a_bad_sprint_length(length: object) -> None:
    with pytest.raises(ValidationProblem, match="sprint length") as caught:
        SprintCadence(start_on=date(2026, 1, 5), length_days=length)  # type: ignore[arg-type]
    assert caught.value.field == "length_days"


@pytest.mark.parametrize("capacity", [0, -5, "0", "abc", float("inf"), True, 10**7])
def test_it_refuses_a_bad_capacity(capacity: object) -> None:
    with pytest.raises(ValidationProblem, match="capacity") as caught:
        clean_capacity(capacity)
    assert caught.value.field == "capacity"


def test_it_refuses_zero_capacity_in_a_budget() -> None:
    with pytest.raises(ValidationProblem, match="more than 0"):
        SprintBudget(capacity=0, unit=CapacityUnit.HOURS, reserved_percent=20)


@pytest.mark.parametrize("share", [0, -1, 100.5, 150, "x", float("nan")])
def test_it_refuses_a_share_out_of_range(share: object) -> None:
    with pytest.raises(ValidationProblem, match="reserved share") as caught:
        clean_reserved_percent(share)
    assert caught.value.field == "reserved_percent"


def test_it_accepts_shares_at_the_bounds_and_decimal_commas() -> None:
    assert clean_reserved_percent(100) == 100
    assert clean_reserved_percent("0,5") == 0.5
    assert clean_capacity("37.5") == 37.5
    assert SprintBudget(capacity=80, unit="hours", reserved_percent=12.5).reserved == 10  # type: ignore[arg-type]


def test_it_cleans_estimates() -> None:
    assert clean_estimate(None) is None
    assert clean_estimate(" ") is None
    assert clean_estimate("3") == 3
    with pytest.raises(ValidationProblem, match="more than 0"):
        clean_estimate(0)
    # Too large is not "not more than 0": the message names the real limit.
    with pytest.raises(ValidationProblem, match="at most 1,000,000"):
        clean_estimate("1000001")


def _planned(estimate: float | None, **fields: object) -> ActionSnapshot:
    return item(planned_sprint=24, estimate=estimate, due_on=date(2026, 12, 20), **fields)


SPRINT = CADENCE.sprint(24)  # 2026-11-23 .. 2026-12-06


def test_it_compares_reserved_planned_and_done() -> None:
    items = [
        _planned(3, status=ActionStatus.DONE, closed_on=date(2026, 11, 30)),
        _planned(2),
        _planned(1.5, status=ActionStatus.DONE, closed_on=date(2026, 12, 8)),  # after the sprint
        item(planned_sprint=23, estimate=5, due_on=date(2026, 12, 20)),
        item(estimate=8, due_on=date(2026, 12, 20)),
    ]
    report = sprint_report(items, sprint=SPRINT, budget=BUDGET, today=date(2026, 12, 10))
    assert (report.reserved, report.planned, report.done) == (8, 6.5, 3)
    assert (report.planned_items, report.done_items) == (3, 1)
    assert report.warnings == ()


def test_it_warns_when_the_reserve_sits_unused_while_high_priority_items_are_overdue() -> None:
    items = [
        _planned(2),
        item(priority=Priority.P0, due_on=date(2026, 11, 20)),
        item(priority=Priority.P2, due_on=date(2026, 11, 20)),  # not high priority
    ]
    report = sprint_report(items, sprint=SPRINT, budget=BUDGET, today=date(2026, 11, 25))
    assert report.overdue_high_items == 1
    [warning] = report.warnings
    assert warning.kind is SprintWarningKind.RESERVE_UNUSED
    assert warning.message == (
        "Only 2 points of the 8 points reserved for post-incident work are planned "
        "while 1 high-priority item is overdue."
    )


def test_it_does_not_warn_about_an_unused_reserve_without_overdue_debt() -> None:
    report = sprint_report([_planned(1)], sprint=SPRINT, budget=BUDGET, today=date(2026, 11, 25))
    assert report.warnings == ()


def test_it_warns_when_the_reserve_is_exceeded() -> None:
    items = [_planned(5), _planned(4)]
    report = sprint_report(items, sprint=SPRINT, budget=BUDGET, today=date(2026, 11, 25))
    [warning] = report.warnings
    assert warning.kind is SprintWarningKind.RESERVE_EXCEEDED
    assert "9 points of post-incident work are planned, more than the 8 points" in warning.message


def test_it_ignores_float_noise_at_the_reserve() -> None:
    budget = SprintBudget(capacity=3, unit=CapacityUnit.HOURS, reserved_percent=10)  # 0.3 h
    items = [_planned(0.1), _planned(0.2)]
    report = sprint_report(items, sprint=SPRINT, budget=budget, today=date(2026, 11, 25))
    assert report.warnings == ()


def test_it_flags_planned_items_without_an_estimate() -> None:
    items = [_planned(None), _planned(8)]
    report = sprint_report(items, sprint=SPRINT, budget=BUDGET, today=date(2026, 11, 25))
    assert [w.kind for w in report.warnings] == [SprintWarningKind.UNESTIMATED]
    assert report.unestimated_items == 1 and report.planned == 8


def test_it_shows_the_history_oldest_first() -> None:
    history = sprint_history([], cadence=CADENCE, budget=BUDGET, today=date(2026, 11, 25), count=3)
    assert [report.sprint.number for report in history] == [22, 23, 24]
    early = sprint_history([], cadence=CADENCE, budget=BUDGET, today=date(2026, 1, 20), count=6)
    assert [report.sprint.number for report in early] == [1, 2]
    assert sprint_history([], cadence=CADENCE, budget=BUDGET, today=date(2025, 12, 1)) == []
    with pytest.raises(ValidationProblem):
        sprint_history([], cadence=CADENCE, budget=BUDGET, today=date(2026, 11, 25), count=0)
