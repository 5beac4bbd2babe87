"""Parsing of the times people type: an explicit timezone is required, storage is UTC.

A timestamp without an offset is ambiguous (whose 14:02?) and in a post-mortem an hour
off rewrites the story, so naive input is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kintsugi.core.errors import ValidationProblem

# The range of times and dates Kintsugi stores. Python's own range (years 1..9999) is too
# wide at both ends: converting 9999-12-31 12:00-14:00 or 0001-01-01 00:00+01:00 to UTC
# overflows, and a date near 9999 plus a due window or a sprint length overflows later, far
# from the input. No incident predates 1970 and none is planned past 9000, so both ends
# leave room for any window added to them (docs/api.md, "Limits").
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
_RANGE_TEXT = "between 1970-01-01 and 9000-01-01 (UTC)"

_TRAILING_ZONE = re.compile(r"^(?P<stamp>.+?)\s+(?P<zone>UTC|GMT|Z|[A-Za-z]+/[A-Za-z_+\-/0-9]+)$")


def parse_utc(text: str, *, field: str | None = None) -> datetime:
    """Parse ISO 8601 with an offset or a trailing IANA zone name, return an aware UTC time.

    Accepted: ``2026-03-01T14:02:00Z``, ``2026-03-01 14:02+01:00``,
    ``2026-03-01 14:02 UTC``, ``2026-03-01 15:02 Europe/Paris``.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationProblem("A time is required.", field=field)
    if len(raw) > 64:
        raise ValidationProblem("That time is too long to be a timestamp.", field=field)
    zone = None
    match = _TRAILING_ZONE.match(raw)
    if match:
        raw, zone_name = match.group("stamp"), match.group("zone")
        if zone_name.upper() in ("UTC", "GMT", "Z"):
            zone = ZoneInfo("UTC")
        else:
            try:
                zone = ZoneInfo(zone_name)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationProblem(
                    f"Unknown timezone {zone_name!r}; use an offset such as +02:00 or a name "
                    "such as Europe/Paris.",
                    field=field,
                ) from None
    candidate = raw.replace(" ", "T", 1) if "T" not in raw else raw
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise ValidationProblem(
            f"{text.strip()!r} is not a time; write it like 2026-03-01 14:02 UTC "
            "or 2026-03-01T14:02:00+01:00.",
            field=field,
        ) from None
    if zone is not None:
        if parsed.tzinfo is not None:
            raise ValidationProblem(
                "Give either an offset or a timezone name, not both.", field=field
            )
        parsed = parsed.replace(tzinfo=zone)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValidationProblem(
            "Add a timezone to this time (for example 'Z', '+01:00' or 'UTC'): "
            "without one it is ambiguous.",
            field=field,
        )
    return check_time_range(ensure_utc(parsed, field=field), field=field)


def ensure_utc(moment: datetime, *, field: str | None = None) -> datetime:
    if moment.tzinfo is None:
        raise ValidationProblem("Times must carry a timezone.", field=field)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # the offset pushes it past year 9999 or before year 1
        raise ValidationProblem(f"A time must be {_RANGE_TEXT}.", field=field) from None


def check_time_range(moment: datetime, *, field: str | None = None) -> datetime:
    """``moment`` (aware) if it lies in the stored range, else a problem naming the field.

    For callers handed a datetime rather than text (services called by other services),
    so the range holds whatever the way in.
    """
    utc = ensure_utc(moment, field=field)
    if not EARLIEST <= utc < LATEST:
        raise ValidationProblem(f"A time must be {_RANGE_TEXT}.", field=field)
    return utc


def check_date_range(day: date, *, field: str | None = None) -> date:
    """``day`` if it lies in the stored range (see :data:`EARLIEST`), else a problem."""
    if not EARLIEST.date() <= day < LATEST.date():
        raise ValidationProblem(
            f"A date must be between {EARLIEST.date()} and {LATEST.date()}.", field=field
        )
    return day


def parse_date(text: str, *, field: str | None = None) -> date:
    raw = (text or "").strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationProblem(
            f"{raw!r} is not a date; write it as YYYY-MM-DD.", field=field
        ) from None
    return check_date_range(day, field=field)


def format_utc(moment: datetime) -> str:
    """The one display form of a time: ``2026-03-01 14:02 UTC`` (seconds when non-zero)."""
    moment = ensure_utc(moment)
    if moment.second or moment.microsecond:
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def format_duration(seconds: float | None) -> str:
    """Human duration such as ``1h 25m``; ``-`` when unknown."""
    if seconds is None:
        return "-"
    total = int(round(seconds))
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs and not days and not hours:
        parts.append(f"{secs}s")
    return sign + (" ".join(parts) if parts else "0m")
