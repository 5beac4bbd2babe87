"""Parsing of the times people type: an explicit timezone is required, storage is UTC.

A timestamp without an offset is ambiguous (whose 14:02?) and in a post-mortem an hour
off rewrites the story, so naive input is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kintsugi.core.errors import ValidationProblem

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
    return ensure_utc(parsed)


def ensure_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValidationProblem("Times must carry a timezone.")
    return moment.astimezone(UTC)


def parse_date(text: str, *, field: str | None = None) -> date:
    raw = (text or "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationProblem(
            f"{raw!r} is not a date; write it as YYYY-MM-DD.", field=field
        ) from None


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
