"""An injectable clock, so that every time rule of the debt core can be tested across weeks.

Nothing in ``kintsugi.core.debt`` calls ``datetime.now()`` itself: the functions take a
``today`` or a ``moment`` argument, and the callers (worker, views, commands) read it from a
:class:`Clock`. Tests hand in a :class:`ManualClock` and move it forward by days or weeks
instead of sleeping or patching the standard library.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from kintsugi.core.errors import ValidationProblem


class Clock(Protocol):
    """Anything that can say what time it is, as an aware UTC datetime."""

    def now(self) -> datetime: ...


def _aware_utc(moment: datetime, *, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationProblem(
            "A clock needs a time with a timezone; naive times are ambiguous.", field=field
        )
    return moment.astimezone(UTC)


class SystemClock:
    """The real clock of the machine, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock stopped at one moment: for tests that need a single, known 'now'."""

    def __init__(self, moment: datetime) -> None:
        self._moment = _aware_utc(moment, field="moment")

    def now(self) -> datetime:
        return self._moment

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._moment.isoformat()})"


class ManualClock(FixedClock):
    """A stopped clock that tests move by hand, forward only, as real time goes."""

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new time.

        Going backwards is refused: code under test may rely on time never going back
        (reminder steps, retry times), and a test that rewinds would prove nothing.
        """
        if delta < timedelta(0):
            raise ValidationProblem("A clock only moves forward.", field="delta")
        self._moment = self._moment + delta
        return self._moment

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (not earlier than now) and return it."""
        target = _aware_utc(moment, field="moment")
        if target < self._moment:
            raise ValidationProblem("A clock only moves forward.", field="moment")
        self._moment = target
        return self._moment


def utc_today(clock: Clock) -> date:
    """Today's date in UTC: the day the debt rules count with (see docs/debt.md)."""
    return clock.now().astimezone(UTC).date()
