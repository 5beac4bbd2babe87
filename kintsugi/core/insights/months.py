"""Calendar months: the unit every Insights figure is grouped by (UTC)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kintsugi.core.errors import ValidationProblem

# A range longer than this is refused: ten years of months is already 120 columns, and a
# range of centuries asked for by mistake (or on purpose) must not become a huge page.
MAX_MONTHS = 120
DEFAULT_MONTHS = 12
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(moment: datetime | date) -> date:
    """The first day of the moment's month (aware datetimes are expected in UTC)."""
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` included (empty when ``last`` is earlier)."""
    months: list[date] = []
    current = month_of(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def parse_month(text: str, *, field: str = "month") -> date:
    """``2026-03`` -> 1 March 2026; anything else is refused with a message saying why."""
    value = (text or "").strip()
    match = _MONTH.match(value)
    if not match:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise ValidationProblem(
            f"“{shown}” is not a month: write it as YYYY-MM, for example 2026-03.", field=field
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationProblem(f"“{value}” has no month {month}: use 01 to 12.", field=field)
    if year < 1970:
        raise ValidationProblem(f"“{value}” is before 1970: no incident is that old.", field=field)
    return date(year, month, 1)


@dataclass(frozen=True)
class MonthRange:
    """The months a page shows, first and last included."""

    first: date
    last: date

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)

    @property
    def end(self) -> date:
        """The first day after the range (for ``< end`` comparisons)."""
        return add_months(self.last, 1)


def month_range(start: str, end: str, *, today: date) -> MonthRange:
    """The range ``start``..``end`` (either may be empty: the last ``DEFAULT_MONTHS`` up to
    this month). Refused when backwards or longer than ``MAX_MONTHS``."""
    last = parse_month(end, field="end") if end.strip() else month_of(today)
    if start.strip():
        first = parse_month(start, field="start")
    else:
        first = add_months(last, -(DEFAULT_MONTHS - 1))
    if first > last:
        raise ValidationProblem(
            f"The range starts ({month_label(first)}) after it ends ({month_label(last)}).",
            field="start",
        )
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count > MAX_MONTHS:
        raise ValidationProblem(
            f"The range covers {count:,} months; the limit is {MAX_MONTHS} (ten years).",
            field="start",
        )
    return MonthRange(first, last)


def month_key(month: date | datetime) -> int:
    """The month as the integer the facts store (``202603``): compared, grouped and read
    back without any date conversion, which at thousands of rows a page is most of the
    cost of reading them."""
    return month.year * 100 + month.month


def month_from_key(key: int) -> date:
    return date(key // 100, key % 100, 1)
