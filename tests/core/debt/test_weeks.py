from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.debt.weeks import IsoWeek, parse_iso_week, weeks_in_year
from kintsugi.core.errors import ValidationProblem


def test_it_parses_an_iso_week() -> None:
    week = parse_iso_week("2026-W48")
    assert week == IsoWeek(2026, 48)
    assert week.monday == date(2026, 11, 23)
    assert week.sunday == date(2026, 11, 29)
    assert str(week) == "2026-W48"


@pytest.mark.parametrize("text", ["2026W48", " 2026-w48 ", "2026-W5"])
def test_it_accepts_the_common_spellings(text: str) -> None:
    assert parse_iso_week(text).year == 2026


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-48", "not an ISO week; write it as YYYY-Www"),
        ("W48", "not an ISO week"),
        ("", "not an ISO week"),
        ("2026-W100", "not an ISO week"),
        ("2026-W00", "2026 has no week 0; its weeks run from W01 to W53"),
        ("2026-W54", "2026 has no week 54"),
        ("2025-W53", "2025 has no week 53; its weeks run from W01 to W52"),
        ("0000-W01", "out of range"),
    ],
)
def test_it_explains_malformed_and_nonexistent_weeks(text: str, message: str) -> None:
    with pytest.raises(ValidationProblem, match=message) as caught:
        parse_iso_week(text)
    assert caught.value.field == "week"


def test_it_knows_the_years_with_a_week_53() -> None:
    assert [year for year in range(2015, 2033) if weeks_in_year(year) == 53] == [
        2015,
        2020,
        2026,
        2032,
    ]
    week = parse_iso_week("2026-W53")
    assert (week.monday, week.sunday) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week.next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == week


def test_it_puts_new_years_days_in_the_right_week() -> None:
    assert IsoWeek.of(date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2024, 12, 30)) == IsoWeek(2025, 1)
    assert IsoWeek(2025, 1).contains(date(2024, 12, 30))
    assert not IsoWeek(2025, 1).contains(date(2025, 1, 6))


def test_it_refuses_building_a_nonexistent_week() -> None:
    with pytest.raises(ValidationProblem, match="no week 53"):
        IsoWeek(2025, 53)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2500, 12, 31)))
def test_it_round_trips_every_day(day: date) -> None:
    week = IsoWeek.of(day)
    assert week.contains(day)
    assert parse_iso_week(str(week)) == week
    assert week.monday.weekday() == 0
    assert week.next().monday == week.sunday.fromordinal(week.sunday.toordinal() + 1)
