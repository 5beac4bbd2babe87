"""The dates people write above and beside timeline times, read into calendar dates.

``2024-05-01``, ``May 1, 2024``, ``1 May 2024``, ``Monday, May 1st``, ``05/01/2024``. Two of
these need a decision, and each decision is returned as a note for the import report:

- a date without a year takes the year that puts it nearest the document's own date
  (front matter ``date:``, ``started_at``, or the first full date the document writes);
- ``05/01/2024`` is May 1 in the US and 5 January elsewhere: it is read without a note
  only when one part is over 12 or when the document shows its order in another date
  ("25/04/2024"); otherwise month first, with a note naming the other reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kintsugi.core.errors import ValidationProblem

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?[ \t]+)?"
_ORDINAL = r"(?:st|nd|rd|th|\.)?"  # "1st", "19. April"
# One pattern, embedded by clock.py in front of a time; no group names.
DATE = (
    rf"{_WEEKDAY}(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?![\d:])"
    rf"|{_MONTH}[ \t]+\d{{1,2}}(?!\d){_ORDINAL}(?:,?[ \t]+\d{{4}}(?![\d:]))?"
    rf"|\d{{1,2}}{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTH}(?:,?[ \t]+\d{{4}}(?![\d:]))?"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}(?![\d:]))"
)
DATE_RE = re.compile(DATE, re.IGNORECASE)
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
# 05/01/2024, 24-10-2024, 19.04.2018: the order of day and month is the question.
_SLASH = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_NAMED = re.compile(rf"({_MONTH})[ \t]+(\d{{1,2}})(?!\d){_ORDINAL}(?:,?[ \t]+(\d{{4}}))?", re.I)
_NAMED_DAY_FIRST = re.compile(
    rf"(\d{{1,2}}){_ORDINAL}[ \t]+(?:of[ \t]+)?({_MONTH})(?:,?[ \t]+(\d{{4}}))?", re.I
)


@dataclass
class DateContext:
    """What the document says about its dates, for the ones that do not say everything."""

    anchor: date | None = None  # the document's own date, for a missing year
    anchor_source: str = ""  # "the front matter date", for the note
    slash_order: str | None = None  # "mdy" or "dmy", when the document shows it
    slash_reason: str = ""  # how it shows it, for the note
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)


def slash_order(text: str, anchor: date | None = None) -> tuple[str | None, str]:
    """The order of the document's numeric dates, and why: one of them shows it (a part
    over 12: "25/04/2024"), or only one reading keeps its dates together, as an incident's
    dates are (06/04 ... 11/04 near "April 11, 2023" is April, not June to November)."""
    orders: set[str] = set()
    example = ""
    ambiguous: list[tuple[int, int, int]] = []
    for match in _SLASH.finditer(text):
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if first > 12 >= second:
            orders.add("dmy")
        elif second > 12 >= first:
            orders.add("mdy")
        else:
            if first != second and first and second:
                ambiguous.append((first, second, year))
            continue
        example = example or f"the order of {match.group(0)!r} elsewhere in the document"
        if len(orders) > 1:
            return None, ""  # the document uses both: it shows nothing
    if orders:
        return orders.pop(), example
    return _compact_order(ambiguous, anchor)


def _compact_order(
    ambiguous: list[tuple[int, int, int]], anchor: date | None
) -> tuple[str | None, str]:
    readings: dict[str, list[date]] = {}
    for order in ("mdy", "dmy"):
        try:
            readings[order] = [
                date(year, a, b) if order == "mdy" else date(year, b, a) for a, b, year in ambiguous
            ]
        except ValueError:
            return None, ""
    if not ambiguous:
        return None, ""
    spread = {order: (max(days) - min(days)).days for order, days in readings.items()}
    for order, other in (("mdy", "dmy"), ("dmy", "mdy")):
        if spread[order] <= 31 < spread[other]:
            return order, "the only reading that keeps the document's dates within a month"
    if anchor is None:
        return None, ""
    near = [
        order
        for order, days in readings.items()
        if all(abs((day - anchor).days) <= 31 for day in days)
    ]
    if len(near) == 1:
        return near[0], f"the only reading within a month of the document's date {anchor}"
    return None, ""


def first_full_date(text: str) -> date | None:
    """The first date with a year anywhere in the text, as the document's date."""
    for match in DATE_RE.finditer(text):
        try:
            reading = read_date(match.group(0), DateContext())
        except ValidationProblem:
            continue
        if reading is not None:
            return reading
    return None


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationProblem(f"{raw!r} is not a date.", field="timeline.at") from None


def _with_year(month: int, day: int, raw: str, context: DateContext) -> date:
    anchor = context.anchor
    if anchor is None:
        raise ValidationProblem(
            f"The date {raw!r} has no year and the document gives none (no 'date:' in the "
            "front matter, no full date in the text).",
            field="timeline.at",
        )
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValidationProblem(f"{raw!r} is not a date.", field="timeline.at")
    chosen = min(candidates, key=lambda day_: abs((day_ - anchor).days))
    context.notes.append(
        (
            "year",
            f"Dates without a year ({raw!r}) are read in {chosen.year}, from "
            f"{context.anchor_source or 'the document date'} ({anchor.isoformat()}).",
        ),
    )
    return chosen


def read_date(text: str, context: DateContext) -> date | None:
    """A calendar date from text matched by ``DATE``; None when it is not one.

    Decisions (a year taken from the document, a numeric order assumed) are appended to
    ``context.notes``; impossible dates (31 February) raise.
    """
    raw = " ".join(text.strip().split())
    iso = _ISO.search(raw)
    if iso is not None:
        return _make(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), raw)
    month_day = _MONTH_DAY.fullmatch(raw)
    if month_day is not None:  # "[12-05 16:21]": ISO's order, month first, without a year
        return _with_year(int(month_day.group(1)), int(month_day.group(2)), raw, context)
    slash = _SLASH.search(raw)
    if slash is not None:
        return _read_slash(slash, raw, context)
    named = _NAMED.search(raw)
    if named is not None:
        month, day, year = _MONTHS[named.group(1)[:3].lower()], int(named.group(2)), named.group(3)
    else:
        day_first = _NAMED_DAY_FIRST.search(raw)
        if day_first is None:
            return None
        day, month = int(day_first.group(1)), _MONTHS[day_first.group(2)[:3].lower()]
        year = day_first.group(3)
    if year is None:
        return _with_year(month, day, raw, context)
    return _make(int(year), month, day, raw)


def _read_slash(match: re.Match[str], raw: str, context: DateContext) -> date:
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if first > 12 and second > 12:
        raise ValidationProblem(f"{raw!r} is not a date.", field="timeline.at")
    if first > 12 or second > 12 or first == second:
        if first > 12:
            return _make(year, second, first, raw)
        return _make(year, first, second, raw)
    month_first = _make(year, first, second, raw).strftime("%B %-d")
    day_first = _make(year, second, first, raw).strftime("%-d %B")
    if context.slash_order == "dmy":
        context.notes.append(
            ("slash", f"{raw!r} is read day first ({day_first}), {context.slash_reason}.")
        )
        return date(year, second, first)
    if context.slash_order == "mdy":
        context.notes.append(
            ("slash", f"{raw!r} is read month first ({month_first}), {context.slash_reason}.")
        )
        return date(year, first, second)
    context.notes.append(
        (
            "slash",
            f"{raw!r} is read month first, as in the US ({month_first}); it could be "
            f"{day_first}: the document shows no order.",
        )
    )
    return date(year, first, second)


# A heading that is only a date ("May 12", "2024-05-12", "Monday, 15 May 2024",
# "May 13 (all times UTC)"): a day of a timeline, never a section of its own.
_DAY_HEADING = re.compile(rf"^(?:{DATE})[ \t:.,]*(?:\([^)]*\))?[ \t:.]*$", re.IGNORECASE)


def is_day_heading(title: str) -> bool:
    """Whether a heading's words are a date and nothing else."""
    plain = re.sub(r"[*_`]+", "", title).strip()
    return bool(plain) and _DAY_HEADING.match(plain) is not None
