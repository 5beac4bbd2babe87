from datetime import UTC, date, datetime

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.insights.months import (
    MAX_MONTHS,
    add_months,
    month_of,
    month_range,
    months_between,
    parse_month,
)


def test_it_takes_the_first_day_of_the_month():
    assert month_of(datetime(2026, 3, 31, 23, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_it_adds_months_across_years():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_it_lists_every_month_between():
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(date(2026, 2, 1), date(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-13", "no month 13"),
        ("2026-00", "no month 0"),
        ("26-01", "YYYY-MM"),
        ("2026-01-05", "YYYY-MM"),
        ("'; DROP TABLE x; --", "YYYY-MM"),
        ("1969-12", "before 1970"),
        ("x" * 10_000, "YYYY-MM"),
    ],
)
def test_it_refuses_what_is_not_a_month(text, words):
    with pytest.raises(ValidationProblem) as raised:
        parse_month(text)
    assert words in raised.value.message
    assert len(raised.value.message) < 200  # a huge input is not echoed back whole


def test_it_defaults_to_the_last_twelve_months():
    got = month_range("", "", today=date(2026, 12, 7))
    assert (got.first, got.last, got.end) == (date(2026, 1, 1), date(2026, 12, 1), date(2027, 1, 1))
    assert len(got.months) == 12


def test_it_refuses_a_backwards_or_huge_range():
    with pytest.raises(ValidationProblem, match="after it ends"):
        month_range("2026-05", "2026-04", today=date(2026, 12, 7))
    with pytest.raises(ValidationProblem, match=f"limit is {MAX_MONTHS}"):
        month_range("1970-01", "9999-12", today=date(2026, 12, 7))


def test_it_keys_months_as_integers_that_sort():
    from kintsugi.core.insights.months import month_from_key, month_key

    assert month_key(date(2026, 3, 1)) == 202603
    assert month_from_key(202603) == date(2026, 3, 1)
    assert month_key(date(2025, 12, 1)) < month_key(date(2026, 1, 1))
