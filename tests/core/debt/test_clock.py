from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kintsugi.core.debt.clock import Clock, FixedClock, ManualClock, SystemClock, utc_today
from kintsugi.core.errors import ValidationProblem


def test_it_gives_the_system_time_in_utc() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert before <= now <= datetime.now(UTC)


def test_it_keeps_a_fixed_time_and_converts_it_to_utc() -> None:
    paris_evening = datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    clock = FixedClock(paris_evening)
    assert clock.now() == datetime(2026, 2, 28, 23, 30, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    assert utc_today(clock) == date(2026, 2, 28)


def test_it_refuses_a_naive_time() -> None:
    with pytest.raises(ValidationProblem, match="timezone"):
        FixedClock(datetime(2026, 3, 1))


def test_it_travels_forward_through_weeks() -> None:
    clock = ManualClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    assert clock.advance(timedelta(weeks=3)) == datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert utc_today(clock) == date(2026, 11, 23)
    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2027


def test_it_never_goes_back() -> None:
    clock = ManualClock(datetime(2026, 11, 2, tzinfo=UTC))
    with pytest.raises(ValidationProblem, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValidationProblem, match="forward"):
        clock.set(datetime(2026, 11, 1, tzinfo=UTC))


def test_it_satisfies_the_clock_protocol() -> None:
    clocks: list[Clock] = [SystemClock(), FixedClock(datetime(2026, 1, 1, tzinfo=UTC))]
    assert all(isinstance(clock.now(), datetime) for clock in clocks)
