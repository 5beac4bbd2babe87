from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.debt.clock import ManualClock
from kintsugi.core.debt.schedule import (
    WeeklySchedule,
    clean_local_time,
    clean_timezone,
    clean_weekday,
    next_run_after,
    weekly_schedule,
)
from kintsugi.core.errors import ValidationProblem

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_it_builds_a_schedule_from_what_people_type() -> None:
    schedule = weekly_schedule("Monday", "9:30", "Europe/Berlin")
    assert schedule == WeeklySchedule(weekday=0, at=time(9, 30), timezone="Europe/Berlin")
    assert schedule.label == "Mondays at 09:30 (Europe/Berlin)"
    assert weekly_schedule("fri", time(16, 0, 59), "UTC").at == time(16, 0)
    assert weekly_schedule(6, "00:00", "America/New_York").weekday == 6


def test_it_refuses_an_unknown_timezone() -> None:
    with pytest.raises(ValidationProblem, match="Unknown timezone 'Europe/Berln'") as caught:
        weekly_schedule("Monday", "09:30", "Europe/Berln")
    assert caught.value.field == "timezone"
    for bad in ("", "   ", "../etc/passwd", "Mars/Olympus_Mons"):
        with pytest.raises(ValidationProblem, match="timezone"):
            clean_timezone(bad)


@pytest.mark.parametrize("value", ["Funday", "mo", 7, -1, True, ""])
def test_it_refuses_a_bad_weekday(value: object) -> None:
    with pytest.raises(ValidationProblem, match="not a weekday"):
        clean_weekday(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["24:00", "9h30", "09:60", "", "9:5"])
def test_it_refuses_a_bad_time(value: str) -> None:
    with pytest.raises(ValidationProblem, match="not a time of day"):
        clean_local_time(value)


def test_it_refuses_an_aware_time_of_day() -> None:
    with pytest.raises(ValidationProblem, match="without a zone"):
        clean_local_time(time(9, 30, tzinfo=UTC))


def test_it_validates_a_schedule_built_directly() -> None:
    with pytest.raises(ValidationProblem, match="Unknown timezone"):
        WeeklySchedule(weekday=0, at=time(9), timezone="Nowhere/Place")


def test_it_runs_later_the_same_day_or_next_week() -> None:
    schedule = weekly_schedule("Monday", "09:30", "Europe/Berlin")
    monday_early = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert next_run_after(monday_early, schedule) == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    exactly = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert next_run_after(exactly, schedule) == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)


def test_it_keeps_the_wall_clock_across_spring_forward_in_berlin() -> None:
    schedule = weekly_schedule("Monday", "09:30", "Europe/Berlin")
    before = next_run_after(datetime(2026, 3, 24, tzinfo=UTC), schedule)
    after = next_run_after(before, schedule)
    assert before == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # CEST (+02:00) already
    assert next_run_after(datetime(2026, 3, 17, tzinfo=UTC), schedule) == datetime(
        2026, 3, 23, 8, 30, tzinfo=UTC
    )  # CET (+01:00)
    assert after.astimezone(BERLIN).time() == time(9, 30)


def test_it_keeps_the_wall_clock_across_fall_back_in_new_york() -> None:
    schedule = weekly_schedule("Monday", "10:00", "America/New_York")
    first = next_run_after(datetime(2026, 10, 27, tzinfo=UTC), schedule)
    second = next_run_after(first, schedule)
    assert first == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # EST, the day after the change
    assert second == datetime(2026, 11, 9, 15, 0, tzinfo=UTC)
    assert next_run_after(datetime(2026, 10, 20, tzinfo=UTC), schedule) == datetime(
        2026, 10, 26, 14, 0, tzinfo=UTC
    )  # EDT


def test_it_runs_a_nonexistent_time_an_hour_later_on_the_new_clock() -> None:
    # Berlin: on Sunday 2026-03-29 clocks jump from 02:00 to 03:00; 02:30 does not exist.
    schedule = weekly_schedule("Sunday", "02:30", "Europe/Berlin")
    run = next_run_after(datetime(2026, 3, 28, tzinfo=UTC), schedule)
    assert run == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert run.astimezone(BERLIN).time() == time(3, 30)
    # New York: on Sunday 2026-03-08 clocks jump from 02:00 to 03:00.
    schedule = weekly_schedule("Sunday", "02:15", "America/New_York")
    run = next_run_after(datetime(2026, 3, 7, tzinfo=UTC), schedule)
    assert run.astimezone(NEW_YORK).time() == time(3, 15)


def test_it_runs_a_repeated_time_once_at_its_first_occurrence() -> None:
    # Berlin: on Sunday 2026-10-25 clocks go back from 03:00 to 02:00; 02:30 happens twice.
    schedule = weekly_schedule("Sunday", "02:30", "Europe/Berlin")
    first = next_run_after(datetime(2026, 10, 24, tzinfo=UTC), schedule)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second_occurrence = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert next_run_after(first, schedule) == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)
    assert next_run_after(first, schedule) != second_occurrence
    # New York: on Sunday 2026-11-01 clocks go back from 02:00 to 01:00.
    schedule = weekly_schedule("Sunday", "01:30", "America/New_York")
    first = next_run_after(datetime(2026, 10, 31, tzinfo=UTC), schedule)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert next_run_after(first, schedule) == datetime(2026, 11, 8, 6, 30, tzinfo=UTC)


def test_it_steps_through_a_year_of_weeks_with_a_manual_clock() -> None:
    schedule = weekly_schedule("Thursday", "17:00", "America/New_York")
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    runs = []
    for _ in range(53):
        run = next_run_after(clock.now(), schedule)
        clock.set(run)
        runs.append(run)
    local = [run.astimezone(NEW_YORK) for run in runs]
    assert all(moment.weekday() == 3 and moment.time() == time(17) for moment in local)
    gaps = {later - earlier for earlier, later in zip(runs, runs[1:], strict=False)}
    assert gaps == {timedelta(days=7), timedelta(days=7, hours=1), timedelta(days=6, hours=23)}


def test_it_refuses_a_naive_moment() -> None:
    with pytest.raises(ValidationProblem, match="timezone"):
        next_run_after(datetime(2026, 1, 1), weekly_schedule(0, "09:00", "UTC"))


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45, 59]),
    zone=st.sampled_from(ZONES),
)
def test_it_always_runs_in_the_future_on_the_right_local_day_and_time(
    moment: datetime, weekday: int, hour: int, minute: int, zone: str
) -> None:
    schedule = weekly_schedule(weekday, time(hour, minute), zone)
    run = next_run_after(moment, schedule)
    assert run.tzinfo is UTC
    assert moment < run <= moment + timedelta(days=7, hours=1)
    local = run.astimezone(ZoneInfo(zone))
    assert local.weekday() == weekday
    wall = datetime.combine(local.date(), time(hour, minute), tzinfo=ZoneInfo(zone))
    round_trip = wall.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if round_trip == wall.replace(tzinfo=None):
        assert local.time() == time(hour, minute)  # an existing wall time is kept exactly
    else:
        assert local.replace(tzinfo=None) == round_trip  # a skipped one moves with the gap
    # Nothing scheduled was skipped between the moment and the run.
    assert next_run_after(run - timedelta(microseconds=1), schedule) == run
