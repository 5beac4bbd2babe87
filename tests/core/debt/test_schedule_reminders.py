from __future__ import annotations

from datetime import date, timedelta

import pytest

from kintsugi.core.debt.schedule import (
    ReminderSettings,
    ReminderStep,
    ReminderStepKind,
    due_reminders,
    reminder_key,
    reminder_plan,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import ActionStatus
from tests.core.debt.helpers import item

DUE = date(2026, 11, 16)
SETTINGS = ReminderSettings(days_before_due=2, escalate_after_days=3)
BEFORE = ReminderStepKind.BEFORE_DUE
OVERDUE = ReminderStepKind.OVERDUE
ESCALATE = ReminderStepKind.ESCALATE_TO_LEAD


def _kinds(today: date, **fields: object) -> list[ReminderStepKind]:
    snapshot = item(id=42, due_on=fields.pop("due_on", DUE), **fields)
    return [step.kind for step in due_reminders(snapshot, today, SETTINGS)]


def test_it_plans_the_three_steps() -> None:
    plan = reminder_plan(item(id=42, due_on=DUE), SETTINGS)
    assert plan == [
        ReminderStep(42, BEFORE, date(2026, 11, 14), DUE),
        ReminderStep(42, OVERDUE, date(2026, 11, 17), DUE),
        ReminderStep(42, ESCALATE, date(2026, 11, 20), DUE),
    ]
    assert [step.recipient for step in plan] == ["owner", "owner", "lead"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 13), []),
        (date(2026, 11, 14), [BEFORE]),
        (date(2026, 11, 16), [BEFORE]),  # still due soon on the target date itself
        (date(2026, 11, 17), [OVERDUE]),  # the day it becomes overdue
        (date(2026, 11, 19), [OVERDUE]),
        (date(2026, 11, 20), [OVERDUE, ESCALATE]),
        (date(2027, 2, 1), [OVERDUE, ESCALATE]),  # caught up after a long outage
    ],
)
def test_it_returns_the_steps_due_by_today(today: date, expected: list[ReminderStepKind]) -> None:
    assert _kinds(today) == expected


def test_it_reminds_nobody_about_closed_or_undated_items() -> None:
    assert _kinds(date(2026, 12, 1), status=ActionStatus.DONE) == []
    assert _kinds(date(2026, 12, 1), status=ActionStatus.WONT_DO, status_reason="x") == []
    assert _kinds(date(2026, 12, 1), due_on=None) == []


def test_it_lets_a_team_switch_steps_off() -> None:
    quiet = ReminderSettings(days_before_due=None, escalate_after_days=None)
    snapshot = item(due_on=DUE)
    assert [s.kind for s in due_reminders(snapshot, date(2027, 1, 1), quiet)] == [OVERDUE]
    same_day = ReminderSettings(days_before_due=0, escalate_after_days=0)
    assert [s.send_on for s in reminder_plan(snapshot, same_day)] == [
        DUE,
        DUE + timedelta(days=1),
        DUE + timedelta(days=1),
    ]


@pytest.mark.parametrize("field", ["days_before_due", "escalate_after_days"])
@pytest.mark.parametrize("value", [-1, 366, 1.5, True])
def test_it_refuses_bad_reminder_settings(field: str, value: object) -> None:
    with pytest.raises(ValidationProblem) as caught:
        ReminderSettings(**{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field


def test_it_gives_stable_idempotency_keys() -> None:
    step = due_reminders(item(id=42, due_on=DUE), date(2026, 11, 17), SETTINGS)[0]
    assert step.idempotency_key == "debt-reminder:42:overdue:2026-11-16"
    assert reminder_key(42, OVERDUE, DUE) == step.idempotency_key
    again = due_reminders(item(id=42, due_on=DUE, title="renamed"), date(2026, 11, 19), SETTINGS)
    assert again[0].idempotency_key == step.idempotency_key


def test_it_gives_new_keys_when_the_target_date_moves() -> None:
    moved = due_reminders(item(id=42, due_on=date(2026, 11, 30)), date(2026, 11, 28), SETTINGS)
    assert [s.idempotency_key for s in moved] == ["debt-reminder:42:before_due:2026-11-30"]


def test_it_sends_each_step_once_across_workers_and_days() -> None:
    """Simulate two workers running every day for a month against one shared key store."""
    sent: dict[str, str] = {}
    items = [item(id=n, due_on=DUE + timedelta(days=n)) for n in range(1, 6)]
    day = date(2026, 11, 1)
    while day <= date(2026, 12, 10):
        for worker in ("worker-a", "worker-b"):
            for snapshot in items:
                for step in due_reminders(snapshot, day, SETTINGS):
                    sent.setdefault(step.idempotency_key, worker)  # the unique constraint
        day += timedelta(days=1)
    assert len(sent) == 5 * 3
