from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.debt.schedule import (
    MAX_DELAY,
    MAX_RETRY_AFTER,
    next_attempt_at,
    parse_retry_after,
    retry_delay,
)
from kintsugi.core.errors import ValidationProblem

FAILED_AT = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def test_it_backs_off_exponentially_from_one_minute() -> None:
    assert [retry_delay(n) for n in range(1, 6)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(minutes=16),
    ]


def test_it_caps_the_delay_and_never_gives_up() -> None:
    assert retry_delay(9) == timedelta(minutes=256)
    assert retry_delay(10) == MAX_DELAY
    assert retry_delay(10_000) == MAX_DELAY


@given(st.integers(1, 500))
def test_it_is_monotonic_and_capped(attempt: int) -> None:
    assert retry_delay(attempt) <= retry_delay(attempt + 1) <= MAX_DELAY
    assert retry_delay(attempt) == retry_delay(attempt)  # deterministic: no jitter


def test_it_honours_retry_after() -> None:
    assert retry_delay(1, retry_after_seconds=30) == timedelta(minutes=1)  # backoff is longer
    assert retry_delay(1, retry_after_seconds=600) == timedelta(minutes=10)
    assert retry_delay(3, retry_after_seconds=0.5) == timedelta(minutes=4)
    assert next_attempt_at(1, FAILED_AT, 120) == FAILED_AT + timedelta(minutes=2)


def test_it_bounds_an_absurd_retry_after() -> None:
    assert retry_delay(1, retry_after_seconds=10**9) == MAX_RETRY_AFTER
    assert retry_delay(1, retry_after_seconds=-5) == timedelta(minutes=1)
    assert retry_delay(1, retry_after_seconds=float("nan")) == timedelta(minutes=1)
    assert retry_delay(1, retry_after_seconds=float("inf")) == timedelta(minutes=1)


@given(st.integers(1, 60), st.floats(0, 200_000, allow_nan=False))
def test_it_never_retries_before_the_server_allows(attempt: int, seconds: float) -> None:
    delay = retry_delay(attempt, seconds)
    assert delay >= min(timedelta(seconds=seconds), MAX_RETRY_AFTER)
    assert delay >= retry_delay(attempt)


def test_it_refuses_attempts_below_one_and_naive_times() -> None:
    with pytest.raises(ValidationProblem, match="from 1"):
        retry_delay(0)
    with pytest.raises(ValidationProblem, match="timezone"):
        next_attempt_at(1, datetime(2026, 11, 23))


def test_it_returns_utc() -> None:
    result = next_attempt_at(2, FAILED_AT.astimezone(ZoneInfo("America/New_York")))
    assert result.tzinfo is UTC
    assert result == FAILED_AT + timedelta(minutes=2)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Mon, 23 Nov 2026 08:32:00 GMT", 120.0),
        ("Mon, 23 Nov 2026 08:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_retry_after_headers(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, FAILED_AT) == expected
