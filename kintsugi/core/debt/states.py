"""The states of post-mortem debt, and the SLA compliance of a team.

Exact definitions (also in docs/debt.md), with ``today`` a UTC date:

- ``overdue``: open and ``today > due_on`` (the target date itself is still on time);
- ``at_risk``: open and ``0 <= due_on - today <= at_risk_days``;
- ``on_track``: open and due later than that;
- ``no_date``: open without a target date. Its own state, not folded into at risk: the fix
  is to set a date, not to hurry, and the weekly review lists it under "missing";
- ``done_on_time``: done on or before the target date (UTC day of completion), or done with
  no target date or no recorded completion time (nothing says it was late);
- ``done_late``: done after the target date;
- ``wont_do``: closed with a reason, whatever the dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text
from kintsugi.core.vocabulary import ActionStatus

from .items import ActionSnapshot


class DebtState(StrEnum):
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    NO_DATE = "no_date"
    ON_TRACK = "on_track"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    WONT_DO = "wont_do"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (DebtState.OVERDUE, DebtState.AT_RISK, DebtState.NO_DATE, DebtState.ON_TRACK)


_STATE_LABELS = {
    DebtState.OVERDUE: "Overdue",
    DebtState.AT_RISK: "At risk",
    DebtState.NO_DATE: "No target date",
    DebtState.ON_TRACK: "On track",
    DebtState.DONE_ON_TIME: "Done on time",
    DebtState.DONE_LATE: "Done late",
    DebtState.WONT_DO: "Won't do",
}


def _utc_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationProblem("The completion time needs a timezone.", field="completed_at")
    return moment.astimezone(UTC).date()


def _open_state(due_on: date | None, today: date, at_risk_days: int) -> DebtState:
    if at_risk_days < 0:
        raise ValidationProblem("The at-risk threshold cannot be negative.", field="at_risk_days")
    if due_on is None:
        return DebtState.NO_DATE
    if today > due_on:
        return DebtState.OVERDUE
    if (due_on - today).days <= at_risk_days:
        return DebtState.AT_RISK
    return DebtState.ON_TRACK


def _done_state(due_on: date | None, completed_on: date | None) -> DebtState:
    if due_on is None or completed_on is None or completed_on <= due_on:
        return DebtState.DONE_ON_TIME
    return DebtState.DONE_LATE


def action_state(
    status: ActionStatus,
    due_on: date | None,
    completed_at: datetime | None,
    today: date,
    at_risk_days: int,
) -> DebtState:
    """The debt state of one item on ``today`` (see the module docstring for the rules)."""
    if status == ActionStatus.WONT_DO:
        return DebtState.WONT_DO
    if status == ActionStatus.DONE:
        return _done_state(due_on, _utc_day(completed_at))
    return _open_state(due_on, today, at_risk_days)


def item_state(item: ActionSnapshot, today: date) -> DebtState:
    return action_state(item.status, item.due_on, item.closed_at, today, item.at_risk_days)


def item_state_on(item: ActionSnapshot, day: date) -> DebtState | None:
    """The state the item had at the end of a past ``day``; ``None`` if it did not exist yet.

    An item closed after ``day`` was still open then, whatever its status today.
    """
    if item.created_on > day:
        return None
    if item.is_open_on(day):
        return _open_state(item.due_on, day, item.at_risk_days)
    return item_state(item, day)


def age_in_days(created_at: datetime, today: date, closed_at: datetime | None = None) -> int:
    """Whole days from creation to today, or to closing for a closed item (never negative)."""
    start = _utc_day(created_at) or today
    end = _utc_day(closed_at) or today
    return max(0, (end - start).days)


def days_overdue(due_on: date | None, today: date, completed_at: datetime | None = None) -> int:
    """Days past the target date: until today while open, until completion once done."""
    if due_on is None:
        return 0
    end = _utc_day(completed_at) or today
    return max(0, (end - due_on).days)


def days_left(due_on: date | None, today: date) -> int | None:
    """Days until the target date (0 on the day, negative once overdue), ``None`` if no date."""
    return None if due_on is None else (due_on - today).days


def clean_wont_do_reason(reason: str | None) -> str:
    """Declaring "won't do" is a decision the team owns: it needs a reason, shown everywhere."""
    text = clean_text(reason, field="status_reason", max_length=MAX_SHORT_TEXT, label="reason")
    if not text:
        raise ValidationProblem("Say why this action will not be done.", field="status_reason")
    return text


@dataclass(frozen=True)
class SlaCompliance:
    """High-priority items completed within the policy window, out of those measurable."""

    met: int
    measured: int

    @property
    def share(self) -> float:
        return self.met / self.measured

    @property
    def percent(self) -> int:
        """Rounded down, so 99.6 % never reads as 100 % while one item missed."""
        return (self.met * 100) // self.measured

    @property
    def label(self) -> str:
        return f"{self.percent} % ({self.met} of {self.measured})"


def sla_compliance(items: Iterable[ActionSnapshot], today: date) -> SlaCompliance | None:
    """The SLA compliance of a set of items (usually one team's), or ``None`` if none counts.

    Measured: P0/P1 items that are done, or still open past their policy date
    (``policy_due_on < today``); won't-do items and open items whose window has not ended
    are left out. Met: done on or before ``policy_due_on``. The policy date is used, not
    the target date: an exception with a reason is visible, but it is still a miss.
    """
    met = measured = 0
    for item in items:
        if not item.priority.is_high or item.status == ActionStatus.WONT_DO:
            continue
        if item.status == ActionStatus.DONE:
            measured += 1
            completed = _utc_day(item.closed_at)
            if completed is None or completed <= item.policy_due_on:
                met += 1
        elif item.policy_due_on < today:
            measured += 1
    if measured == 0:
        return None
    return SlaCompliance(met=met, measured=measured)
