"""The stored range of times and dates, and whole numbers within what a field means.

Both ends in both directions: the value at each limit is kept, the one just past it is
refused with a problem naming the field, and conversions that overflow Python's own range
(years 1..9999) are problems rather than OverflowError.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import (
    EARLIEST,
    LATEST,
    check_date_range,
    check_time_range,
    parse_date,
    parse_utc,
)
from kintsugi.core.validation import MAX_ID, clean_whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-01-01T00:00:00Z", EARLIEST),
        ("1970-01-01 01:00+01:00", EARLIEST),
        ("1970-01-01 01:00 Europe/Paris", EARLIEST),
        ("8999-12-31T23:59:59Z", LATEST - timedelta(seconds=1)),
        ("8999-12-31 15:59:59-08:00", LATEST - timedelta(seconds=1)),
    ],
)
def test_times_at_the_limits_are_kept(text, expected):
    assert parse_utc(text, field="started_at") == expected


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T12:00:00-14:00",  # UTC would be year 10000
        "9999-12-31 23:00 America/Los_Angeles",
        "0001-01-01T00:00:00+01:00",  # UTC would be year 0
        "0001-01-01 00:30 Europe/Paris",
        "9000-01-01T00:00:00Z",
        "8999-12-31 20:00-04:00",  # 9000-01-01 00:00 UTC: past the end after conversion
        "1969-12-31T23:59:59Z",
        "1970-01-01 00:30+01:00",  # 1969 in UTC
        "9999-12-31T23:59:59Z",
    ],
)
def test_times_past_the_limits_are_a_problem_naming_the_field(text):
    with pytest.raises(ValidationProblem) as problem:
        parse_utc(text, field="started_at")
    assert problem.value.field == "started_at"
    assert "1970-01-01" in problem.value.message and "9000-01-01" in problem.value.message


def test_an_aware_time_handed_over_directly_is_bounded_too():
    assert check_time_range(datetime(2026, 3, 1, 15, tzinfo=timezone(timedelta(hours=1)))) == (
        datetime(2026, 3, 1, 14, tzinfo=UTC)
    )
    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(ValidationProblem) as problem:
        check_time_range(late, field="occurred_at")
    assert problem.value.field == "occurred_at"


@pytest.mark.parametrize("text", ["1970-01-01", "8999-12-31", "2026-03-15"])
def test_dates_inside_the_range_are_kept(text):
    assert parse_date(text, field="due_on") == date.fromisoformat(text)


@pytest.mark.parametrize("text", ["1969-12-31", "9000-01-01", "9999-12-31", "0001-01-01"])
def test_dates_past_the_range_are_a_problem(text):
    with pytest.raises(ValidationProblem) as problem:
        parse_date(text, field="due_on")
    assert problem.value.field == "due_on"
    with pytest.raises(ValidationProblem):
        check_date_range(date.fromisoformat(text))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), ("1", 1), (" 100000 ", 100_000), (MAX_ID, MAX_ID), (str(MAX_ID), MAX_ID)],
)
def test_whole_numbers_at_their_limits_are_kept(value, expected):
    maximum = MAX_ID if expected > 100_000 else 100_000
    assert clean_whole_number(value, field="n", label="N", minimum=1, maximum=maximum) == expected


@pytest.mark.parametrize(
    ("value", "maximum"),
    [
        (0, 100_000),
        (100_001, 100_000),
        ("100001", 100_000),
        (MAX_ID + 1, MAX_ID),
        (str(MAX_ID + 1), MAX_ID),
        ("9" * 4000, MAX_ID),  # longer than int() converts by default: still a problem
        (True, 100_000),
        (7.0, 100_000),
        ("7.5", 100_000),
        ("٧", 100_000),
        ("", 100_000),
    ],
)
def test_whole_numbers_past_their_limits_or_not_whole_are_a_problem(value, maximum):
    with pytest.raises(ValidationProblem) as problem:
        clean_whole_number(value, field="n", label="N", minimum=1, maximum=maximum)
    assert problem.value.field == "n"
    assert f"{maximum:,}" in problem.value.message
