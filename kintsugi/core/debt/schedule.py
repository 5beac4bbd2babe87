"""When the debt machinery acts: each team's weekly review time, reminders, and retries.

- A team's weekly review runs on a weekday at a local time in the team's IANA timezone, so
  "Monday 09:30 Europe/Berlin" stays 09:30 on the wall clock across daylight-saving changes.
- Reminder steps per action item carry an idempotency key (item, step, target date): the
  worker records the key with the delivery under a unique constraint, so a step is sent once
  even with several workers or a restart in the middle. Moving the target date gives new
  keys, so the owner is reminded about the new date.
- A failed delivery is retried with exponential backoff, capped, without jitter (tests and
  operators can predict the next attempt), and never earlier than the server's Retry-After.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kintsugi.core.errors import ValidationProblem

from .items import ActionSnapshot

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")


def clean_timezone(name: str, *, field: str = "timezone") -> ZoneInfo:
    text = (name or "").strip()
    if not text:
        raise ValidationProblem("A timezone is required, such as Europe/Berlin.", field=field)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationProblem(
            f"Unknown timezone {text!r}; use an IANA name such as Europe/Berlin or "
            "America/New_York.",
            field=field,
        ) from None


def clean_weekday(value: int | str, *, field: str = "weekday") -> int:
    """0 = Monday .. 6 = Sunday (as ``date.weekday()``); also accepts names like "Mon"."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 6:
            return value
    elif isinstance(value, str):
        text = value.strip().lower()
        for index, name in enumerate(WEEKDAYS):
            if len(text) >= 3 and name.startswith(text):
                return index
    raise ValidationProblem(
        f"{value!r} is not a weekday; use Monday to Sunday (or 0 = Monday to 6 = Sunday).",
        field=field,
    )


def clean_local_time(value: time | str, *, field: str = "at") -> time:
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if not match or int(match["hour"]) > 23 or int(match["minute"]) > 59:
            raise ValidationProblem(
                f"{value.strip()!r} is not a time of day; write it as HH:MM, e.g. 09:30.",
                field=field,
            )
        return time(int(match["hour"]), int(match["minute"]))
    if value.tzinfo is not None:
        raise ValidationProblem(
            "Give the time of day without a zone; the schedule's timezone applies.", field=field
        )
    return value.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class WeeklySchedule:
    """A weekday and wall-clock time in a timezone; build it with :func:`weekly_schedule`."""

    weekday: int
    at: time
    timezone: str

    def __post_init__(self) -> None:
        clean_weekday(self.weekday)
        clean_local_time(self.at)
        clean_timezone(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday].capitalize()}s at {self.at:%H:%M} ({self.timezone})"


def weekly_schedule(weekday: int | str, at: time | str, timezone: str) -> WeeklySchedule:
    return WeeklySchedule(
        weekday=clean_weekday(weekday),
        at=clean_local_time(at),
        timezone=clean_timezone(timezone).key,
    )


def next_run_after(moment: datetime, schedule: WeeklySchedule) -> datetime:
    """The first scheduled run strictly after ``moment``, as an aware UTC datetime.

    Daylight saving: a wall time that happens twice (autumn) runs once, at its first
    occurrence; a wall time that does not exist (spring gap) runs at the same instant the
    clock would have shown it before the change, i.e. one hour later on the new wall clock
    (02:30 in Berlin on the last Sunday of March runs at 03:30 CEST).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationProblem("The moment needs a timezone.", field="moment")
    zone = schedule.zone
    local_day = moment.astimezone(zone).date()
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if day.weekday() != schedule.weekday:
            continue
        candidate = datetime.combine(day, schedule.at, tzinfo=zone).astimezone(UTC)
        if candidate > moment:
            return candidate
    raise AssertionError("unreachable: a weekday recurs within 8 days")  # pragma: no cover


class ReminderStepKind(StrEnum):
    BEFORE_DUE = "before_due"
    OVERDUE = "overdue"
    ESCALATE_TO_LEAD = "escalate_to_lead"

    @property
    def recipient(self) -> str:
        """Who is told: the owner, or for an escalation the team's lead."""
        return "lead" if self is ReminderStepKind.ESCALATE_TO_LEAD else "owner"


MAX_REMINDER_DAYS = 365


@dataclass(frozen=True)
class ReminderSettings:
    """``None`` switches a step off. 0 days before due means on the target date itself."""

    days_before_due: int | None = 2
    escalate_after_days: int | None = 3

    def __post_init__(self) -> None:
        for name in ("days_before_due", "escalate_after_days"):
            days = getattr(self, name)
            if days is None:
                continue
            if isinstance(days, bool) or not isinstance(days, int):
                raise ValidationProblem("Give a whole number of days.", field=name)
            if not 0 <= days <= MAX_REMINDER_DAYS:
                raise ValidationProblem(
                    f"Reminder delays run from 0 to {MAX_REMINDER_DAYS} days, not {days}.",
                    field=name,
                )


def reminder_key(item_id: int, kind: ReminderStepKind, due_on: date) -> str:
    """Stable across processes and releases: stored with a unique constraint. Never change."""
    return f"debt-reminder:{item_id}:{kind.value}:{due_on.isoformat()}"


@dataclass(frozen=True)
class ReminderStep:
    item_id: int
    kind: ReminderStepKind
    send_on: date
    due_on: date

    @property
    def idempotency_key(self) -> str:
        return reminder_key(self.item_id, self.kind, self.due_on)

    @property
    def recipient(self) -> str:
        return self.kind.recipient


def reminder_plan(item: ActionSnapshot, settings: ReminderSettings) -> list[ReminderStep]:
    """Every step the item's current target date calls for, in date order."""
    if item.is_closed or item.due_on is None:
        return []
    due = item.due_on
    overdue_on = due + timedelta(days=1)  # overdue the day after the target date
    steps = []
    if settings.days_before_due is not None:
        before = due - timedelta(days=settings.days_before_due)
        steps.append(ReminderStep(item.id, ReminderStepKind.BEFORE_DUE, before, due))
    steps.append(ReminderStep(item.id, ReminderStepKind.OVERDUE, overdue_on, due))
    if settings.escalate_after_days is not None:
        escalate_on = overdue_on + timedelta(days=settings.escalate_after_days)
        steps.append(ReminderStep(item.id, ReminderStepKind.ESCALATE_TO_LEAD, escalate_on, due))
    return steps


def due_reminders(
    item: ActionSnapshot, today: date, settings: ReminderSettings
) -> list[ReminderStep]:
    """The steps that should have been sent by ``today``; the caller skips keys already sent.

    Late steps are caught up (a worker that was down still tells the owner), except the
    "due soon" reminder once the item is already overdue: it would only confuse.
    """
    due = [step for step in reminder_plan(item, settings) if step.send_on <= today]
    return [
        step
        for step in due
        if not (step.kind is ReminderStepKind.BEFORE_DUE and today > step.due_on)
    ]


BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
MAX_RETRY_AFTER = timedelta(days=1)


def retry_delay(attempt: int, retry_after_seconds: float | None = None) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1 for the first failure).

    1, 2, 4, 8 ... minutes, capped at 6 hours: a delivery is never dropped, it keeps being
    retried at least four times a day. A server's Retry-After is honoured (never retry
    sooner), up to one day so that a wrong header cannot park a delivery for ever.
    """
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise ValidationProblem("Attempts are counted from 1.", field="attempt")
    exponent = min(attempt - 1, 30)  # 2**30 minutes is far past the cap; avoids overflow
    delay = min(BASE_DELAY * (1 << exponent), MAX_DELAY)
    if retry_after_seconds is not None and math.isfinite(retry_after_seconds):
        asked = timedelta(seconds=max(0.0, retry_after_seconds))
        delay = max(delay, min(asked, MAX_RETRY_AFTER))
    return delay


def next_attempt_at(
    attempt: int, last_attempt_at: datetime, retry_after_seconds: float | None = None
) -> datetime:
    """When to try again after failed attempt number ``attempt``, as an aware UTC datetime."""
    if last_attempt_at.tzinfo is None or last_attempt_at.utcoffset() is None:
        raise ValidationProblem("The attempt time needs a timezone.", field="last_attempt_at")
    return last_attempt_at.astimezone(UTC) + retry_delay(attempt, retry_after_seconds)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds asked by an HTTP ``Retry-After`` header (delay-seconds or an HTTP date).

    Unreadable values give ``None`` (plain backoff applies) rather than an error: a
    malformed header from a rate-limited server must not lose the delivery.
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
