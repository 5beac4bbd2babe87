from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.debt.states import (
    DebtState,
    SlaCompliance,
    action_state,
    age_in_days,
    clean_wont_do_reason,
    days_left,
    days_overdue,
    item_state,
    item_state_on,
    sla_compliance,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import ActionStatus, Priority
from tests.core.debt.helpers import at, item

DUE = date(2026, 11, 16)
OPEN = ActionStatus.OPEN
DONE = ActionStatus.DONE


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), DebtState.ON_TRACK),
        (date(2026, 11, 12), DebtState.ON_TRACK),
        (date(2026, 11, 13), DebtState.AT_RISK),  # exactly 3 days before
        (date(2026, 11, 16), DebtState.AT_RISK),  # the target date itself is not late
        (date(2026, 11, 17), DebtState.OVERDUE),
        (date(2027, 5, 1), DebtState.OVERDUE),
    ],
)
def test_it_classifies_open_items_by_date(today: date, expected: DebtState) -> None:
    assert action_state(OPEN, DUE, None, today, 3) is expected
    assert action_state(ActionStatus.IN_PROGRESS, DUE, None, today, 3) is expected


def test_it_puts_only_the_target_date_at_risk_with_a_zero_threshold() -> None:
    assert action_state(OPEN, DUE, None, date(2026, 11, 15), 0) is DebtState.ON_TRACK
    assert action_state(OPEN, DUE, None, DUE, 0) is DebtState.AT_RISK


def test_it_gives_open_items_without_a_date_their_own_state() -> None:
    assert action_state(OPEN, None, None, DUE, 3) is DebtState.NO_DATE
    assert DebtState.NO_DATE.is_open
    assert DebtState.NO_DATE.label == "No target date"


def test_it_counts_an_item_completed_on_its_due_date_as_on_time() -> None:
    last_minute = datetime(2026, 11, 16, 23, 59, 59, tzinfo=UTC)
    assert action_state(DONE, DUE, last_minute, date(2026, 12, 1), 3) is DebtState.DONE_ON_TIME
    next_day = datetime(2026, 11, 17, 0, 0, tzinfo=UTC)
    assert action_state(DONE, DUE, next_day, date(2026, 12, 1), 3) is DebtState.DONE_LATE


def test_it_judges_the_completion_day_in_utc() -> None:
    # 01:00 on the 17th in UTC+02:00 is 23:00 on the 16th in UTC: on time.
    east = datetime(2026, 11, 17, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert action_state(DONE, DUE, east, date(2026, 12, 1), 3) is DebtState.DONE_ON_TIME


def test_it_does_not_hold_unknown_dates_against_a_done_item() -> None:
    assert action_state(DONE, None, at(date(2027, 1, 1)), DUE, 3) is DebtState.DONE_ON_TIME
    assert action_state(DONE, DUE, None, date(2027, 1, 1), 3) is DebtState.DONE_ON_TIME


def test_it_says_wont_do_whatever_the_dates() -> None:
    state = action_state(ActionStatus.WONT_DO, DUE, None, date(2027, 1, 1), 3)
    assert state is DebtState.WONT_DO
    assert not state.is_open


def test_it_refuses_a_negative_threshold_and_naive_times() -> None:
    with pytest.raises(ValidationProblem):
        action_state(OPEN, DUE, None, DUE, -1)
    with pytest.raises(ValidationProblem, match="timezone"):
        action_state(DONE, DUE, datetime(2026, 11, 16), DUE, 3)


@given(
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    threshold=st.integers(min_value=0, max_value=60),
)
def test_it_gives_every_open_item_exactly_one_open_state(
    due: date, today: date, threshold: int
) -> None:
    state = action_state(OPEN, due, None, today, threshold)
    assert state.is_open
    assert (state is DebtState.OVERDUE) == (today > due)
    assert (state is DebtState.AT_RISK) == (0 <= (due - today).days <= threshold)


def test_it_reads_the_state_of_a_snapshot_with_its_own_threshold() -> None:
    snapshot = item(due_on=DUE, at_risk_days=7)
    assert item_state(snapshot, date(2026, 11, 9)) is DebtState.AT_RISK
    assert item_state(item(due_on=DUE), date(2026, 11, 9)) is DebtState.ON_TRACK


def test_it_reconstructs_the_state_on_a_past_day() -> None:
    done_late = item(
        due_on=DUE, status=DONE, created_on=date(2026, 11, 2), closed_on=date(2026, 11, 20)
    )
    assert item_state_on(done_late, date(2026, 11, 1)) is None
    assert item_state_on(done_late, date(2026, 11, 5)) is DebtState.ON_TRACK
    assert item_state_on(done_late, date(2026, 11, 18)) is DebtState.OVERDUE
    assert item_state_on(done_late, date(2026, 11, 20)) is DebtState.DONE_LATE
    assert item_state(done_late, date(2026, 12, 1)) is DebtState.DONE_LATE


def test_it_counts_age_in_whole_utc_days() -> None:
    created = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
    assert age_in_days(created, date(2026, 11, 2)) == 0
    assert age_in_days(created, date(2026, 11, 3)) == 1
    assert age_in_days(created, date(2026, 12, 2)) == 30
    assert age_in_days(created, date(2026, 12, 2), closed_at=at(date(2026, 11, 12))) == 10
    assert age_in_days(created, date(2026, 11, 1)) == 0  # never negative


def test_it_counts_age_across_a_leap_day() -> None:
    assert age_in_days(at(date(2028, 2, 27)), date(2028, 3, 1)) == 3
    assert age_in_days(at(date(2027, 2, 27)), date(2027, 3, 1)) == 2


def test_it_counts_days_overdue() -> None:
    assert days_overdue(DUE, date(2026, 11, 16)) == 0
    assert days_overdue(DUE, date(2026, 11, 17)) == 1
    assert days_overdue(DUE, date(2026, 11, 10)) == 0
    assert days_overdue(None, date(2027, 1, 1)) == 0
    assert days_overdue(DUE, date(2027, 1, 1), completed_at=at(date(2026, 11, 20))) == 4
    assert days_left(DUE, date(2026, 11, 14)) == 2
    assert days_left(DUE, date(2026, 11, 18)) == -2
    assert days_left(None, DUE) is None


def test_it_needs_a_reason_to_declare_wont_do() -> None:
    assert clean_wont_do_reason("  Service retired in Q4 ") == "Service retired in Q4"
    with pytest.raises(ValidationProblem, match="Say why") as caught:
        clean_wont_do_reason("   ")
    assert caught.value.field == "status_reason"


POLICY_DUE = date(2026, 11, 16)
TODAY = date(2026, 12, 1)


def test_it_has_nothing_to_measure_without_high_priority_items() -> None:
    assert sla_compliance([], TODAY) is None
    low = item(priority=Priority.P2, status=DONE, closed_on=date(2026, 12, 1))
    assert sla_compliance([low], TODAY) is None
    still_in_window = item(policy_due_on=date(2026, 12, 10), due_on=date(2026, 12, 10))
    assert sla_compliance([still_in_window], TODAY) is None
    wont = item(status=ActionStatus.WONT_DO, status_reason="Retired")
    assert sla_compliance([wont], TODAY) is None


def test_it_measures_done_items_and_open_items_past_their_window() -> None:
    items = [
        item(status=DONE, policy_due_on=POLICY_DUE, closed_on=POLICY_DUE),  # met (on the day)
        item(
            status=DONE, priority=Priority.P0, policy_due_on=POLICY_DUE, closed_on=date(2026, 11, 3)
        ),
        item(status=DONE, policy_due_on=POLICY_DUE, closed_on=date(2026, 11, 17)),  # missed
        item(status=OPEN, policy_due_on=POLICY_DUE),  # window ended: missed
        item(status=OPEN, policy_due_on=date(2026, 12, 1)),  # window ends today: not yet
        item(status=DONE, policy_due_on=date(2026, 12, 20), closed_on=date(2026, 11, 30)),  # met
        item(status=ActionStatus.WONT_DO, policy_due_on=POLICY_DUE),  # left out
        item(status=OPEN, priority=Priority.P3, policy_due_on=POLICY_DUE),  # not high
    ]
    result = sla_compliance(items, TODAY)
    assert result == SlaCompliance(met=3, measured=5)
    assert result.share == pytest.approx(0.6)
    assert result.percent == 60
    assert result.label == "60 % (3 of 5)"


def test_it_measures_against_the_policy_date_not_the_exception() -> None:
    excused = item(
        status=DONE,
        policy_due_on=POLICY_DUE,
        due_on=date(2026, 11, 30),
        closed_on=date(2026, 11, 25),
    )
    assert item_state(excused, TODAY) is DebtState.DONE_ON_TIME
    assert sla_compliance([excused], TODAY) == SlaCompliance(met=0, measured=1)


def test_it_rounds_compliance_down() -> None:
    assert SlaCompliance(met=199, measured=200).percent == 99
