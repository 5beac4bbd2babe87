from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kintsugi.core.trackers import backoff

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


def test_the_wait_doubles_up_to_an_hour():
    waits = [backoff.schedule(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600 and waits == sorted(waits)


def test_retry_after_in_seconds_or_as_a_date():
    assert backoff.told_wait({"Retry-After": "90"}, NOW) == timedelta(seconds=90)
    date = "Mon, 07 Dec 2026 04:05:00 GMT"
    assert backoff.told_wait({"retry-after": date}, NOW) == timedelta(minutes=5)


def test_githubs_primary_limit_waits_for_the_reset():
    reset = int((NOW + timedelta(minutes=10)).timestamp())
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    assert backoff.told_wait(headers, NOW) == timedelta(minutes=10)
    assert (
        backoff.told_wait({"x-ratelimit-remaining": "12", "x-ratelimit-reset": str(reset)}, NOW)
        is None
    )


def test_hostile_headers_are_bounded_or_ignored():
    assert backoff.told_wait({"Retry-After": "99999999999"}, NOW) == timedelta(days=1)
    assert backoff.told_wait({"Retry-After": "-5"}, NOW) is None
    assert backoff.told_wait({"Retry-After": "soon"}, NOW) is None
    assert backoff.told_wait({"Retry-After": "Mon, 01 Jan 2001 00:00:00 GMT"}, NOW) == timedelta(0)


def test_it_never_retries_sooner_than_the_schedule_and_gives_up():
    assert backoff.next_attempt(1, {"Retry-After": "1"}, NOW) == NOW + timedelta(seconds=30)
    assert backoff.next_attempt(1, {"Retry-After": "300"}, NOW) == NOW + timedelta(seconds=300)
    assert backoff.next_attempt(backoff.MAX_ATTEMPTS, {}, NOW) is None
