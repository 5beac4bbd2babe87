"""ISO 8601 weeks (``2026-W48``): the unit of the weekly review and of the debt trend.

ISO weeks start on Monday; week 1 is the week with the year's first Thursday, so some years
have a week 53 (2020, 2026) and the days around New Year may belong to the neighbouring
year's week. ``date.isocalendar`` and ``date.fromisocalendar`` do the arithmetic; this module
adds parsing with messages a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kintsugi.core.errors import ValidationProblem

_WEEK = re.compile(r"^(?P<year>\d{4})-?[Ww](?P<week>\d{1,2})$")


def weeks_in_year(year: int) -> int:
    """52 or 53: December 28th is always in the year's last ISO week."""
    return date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        _check(self.year, self.week, field="week")

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def contains(self, day: date) -> bool:
        return self.monday <= day <= self.sunday

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def parse_iso_week(text: str, *, field: str = "week") -> IsoWeek:
    """Parse ``2026-W48`` (also ``2026W48`` and ``2026-w48``)."""
    raw = (text or "").strip()
    match = _WEEK.match(raw)
    if not match:
        raise ValidationProblem(
            f"{raw!r} is not an ISO week; write it as YYYY-Www, for example 2026-W48.",
            field=field,
        )
    year, week = int(match.group("year")), int(match.group("week"))
    _check(year, week, field=field)
    return IsoWeek(year, week)


def _check(year: int, week: int, *, field: str) -> None:
    if not 1 <= year <= 9998:
        raise ValidationProblem(f"The year {year} is out of range (1 to 9998).", field=field)
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise ValidationProblem(
            f"{year} has no week {week}; its weeks run from W01 to W{last}.", field=field
        )
