"""When to try a failed call again.

Trackers say when: ``Retry-After`` in seconds or as an HTTP date (429 and GitHub's
secondary limits), or GitHub's ``x-ratelimit-reset`` (epoch seconds) with
``x-ratelimit-remaining: 0`` on its primary limit. Otherwise the wait doubles from 30
seconds up to an hour, and after ``MAX_ATTEMPTS`` the job stops and shows its error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

BASE = timedelta(seconds=30)
CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8


def schedule(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1 is the first failure)."""
    if attempt < 1:
        return timedelta(0)
    wait: timedelta = BASE * (2 ** min(attempt - 1, 20))
    return min(CAP, wait)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value.strip()
    return ""


def told_wait(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """The wait the tracker asked for, if it asked (never negative, at most a day)."""
    retry_after = _header(headers, "retry-after")
    wait: timedelta | None = None
    if retry_after.isdigit():
        wait = timedelta(seconds=int(retry_after))
    elif retry_after:
        try:
            wait = parsedate_to_datetime(retry_after) - now
        except (TypeError, ValueError):
            wait = None
    reset = _header(headers, "x-ratelimit-reset")
    if wait is None and _header(headers, "x-ratelimit-remaining") == "0" and reset.isdigit():
        wait = datetime.fromtimestamp(int(reset), tz=now.tzinfo) - now
    if wait is None:
        return None
    return max(timedelta(0), min(wait, timedelta(days=1)))


def next_attempt(attempt: int, headers: Mapping[str, str], now: datetime) -> datetime | None:
    """When to try again after failed attempt ``attempt``; None once attempts run out."""
    if attempt >= MAX_ATTEMPTS:
        return None
    told = told_wait(headers, now)
    return now + max(told, schedule(attempt)) if told is not None else now + schedule(attempt)
