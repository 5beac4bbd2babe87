"""Times a post-mortem states outside its timeline: the header's key facts and the summary's
window, read the same way by ``kintsugi lint`` and by the importer.

Two shapes, each a category rather than one document's wording:

- **A key fact**: a milestone label followed by a stamp, on a line of its own or as a
  heading ("Incident declared: 2022-01-05 08:56", "- First detected 2023-01-04 (Time TBC)",
  "**Resolved** 2025-07-24 12:34", "## Resolution (2025-12-25 12:48)"). The milestones are
  those of an incident's life, in order: started, detected, declared, mitigated, resolved.
- **A stated window**: a start and an end given together in prose or a header value
  ("Duration: ~30 minutes (16:15-16:45 CET)", "from 07:11 to 09:43 UTC", "between 21:33
  and 23:05"), with the date and zone written beside them when there are any.

A timed line that names a milestone ("16:59 – Incident declared in #ops", "20:45 - Incident
declared resolved") is read too, so that a key fact can be checked against the line that
tells the same moment. :func:`stated_mismatches` says where the facts contradict each other,
the timeline's lines, or the timeline's dates in a way only a typo explains
(docs/lint-review.md, "After review7"). Plain Python, no Django: the lint and the importer
both import it, and it loads nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

#: The milestones in the order an incident lives them, with the labels that name each one
#: in a key fact. Data, not code: a team's own words are added here.
MILESTONES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "started",
        (
            "started", "started at", "start", "start time", "incident start", "incident started",
            "impact start", "impact started", "impact began", "outage start", "outage started",
            "began", "began at", "first impact",
        ),
    ),
    (
        "detected",
        (
            "detected", "first detected", "detection", "detected at", "first reported",
            "reported", "first noticed", "noticed", "alerted", "first alert",
        ),
    ),
    ("declared", ("declared", "incident declared", "declared at", "declaration")),
    (
        "mitigated",
        ("mitigated", "mitigated at", "mitigation", "repaired", "repaired at", "workaround"),
    ),
    (
        "resolved",
        (
            "resolved", "resolved at", "incident resolved", "resolution", "fixed", "recovered",
            "fully recovered", "ended", "ended at", "end", "end time", "closed",
            "incident closed", "incident ended", "outage ended", "restored",
        ),
    ),
)  # fmt: skip
_STAGE = {name: index for index, (name, _) in enumerate(MILESTONES)}
_LABEL_OF = {label: name for name, labels in MILESTONES for label in labels}

_ISO_DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"
_CLOCK = r"(?P<clock>(?:[01]?\d|2[0-3])[:h][0-5]\d)(?::[0-5]\d)?"
_ZONE_WORD = r"(?P<zone>(?-i:UTC|GMT|Z|[A-Z]{2,4}T|[A-Z]{3})|[+-]\d{2}:?\d{2})"
# A stamp: a date, a time, or both ("2022-01-05 08:56", "2023-01-04", "16:48", "16:48 UTC").
_STAMP = (
    rf"(?:{_ISO_DAY}(?:[ T]+(?:at[ \t]+)?{_CLOCK})?|{_CLOCK.replace('clock', 'alone')})"
    rf"(?:[ \t]*{_ZONE_WORD}\b)?"
)
_LEAD = r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*)?(?:[-*+][ \t]+|\d+[.)][ \t]+)?"
_DECOR = r"[^\w\s(]{0,3}[ \t]*"  # an emoji or a mark before the label
_LABELS = "|".join(
    sorted((re.escape(label) for label in _LABEL_OF), key=len, reverse=True)
).replace(r"\ ", r"[ \t]+")
# "- **Incident declared**: 2022-01-05 08:56", "## Resolution (2025-12-25 12:48)".
_KEY_FACT = re.compile(
    rf"{_LEAD}{_DECOR}(?:\*\*|__)?(?P<label>{_LABELS})(?:\*\*|__)?[ \t]*"
    rf"(?:\*\*|__)?[ \t]*(?::|at|on|\(|-|–|—)?[ \t]*(?:\*\*|__)?[ \t]*~?{_STAMP}",
    re.IGNORECASE,
)
# A timed line: "16:59 – Incident declared", "- **18:58** text", "2023-01-04 10:00 - text".
_TIMED = re.compile(
    rf"{_LEAD}(?:\*\*|__)?{_STAMP}(?:\*\*|__)?[ \t]*(?:[-–—:|][ \t]*)?(?P<text>\S.*)$",
    re.IGNORECASE,
)
# The milestone a timed line names: an incident declared or closed is named the same way in
# every process ("Incident declared", "declared an incident", "Incident declared resolved").
_NAMED = (
    (
        "resolved",
        re.compile(
            r"(?i)\bincident(?: was| is| has been)?(?: (?:declared|marked))?(?: as| to be)?"
            r" (?:resolved|closed|over)\b"
            r"|^(?:\W*)(?:resolved|incident over)\b"
        ),
    ),
    (
        "declared",
        re.compile(
            r"(?i)\bincident(?: was| is| has been)? declared\b"
            r"(?! (?:as |to be )?(?:resolved|closed|over))"
            r"|\bdeclared (?:an |the |a )?(?:sev\w* ?\d? )?incident\b"
        ),
    ),
    ("detected", re.compile(r"(?i)^(?:\W*)(?:first detected|incident detected)\b")),
)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")

# Two statements of one moment further apart than this disagree (times are copied from the
# same record; a few minutes is rounding).
SAME_MOMENT_SLACK = timedelta(minutes=5)
# Milestones out of order by this much or more: only a mistyped date explains it (the same
# bound as timeline/implausible-order).
ORDER_TYPO_MINIMUM = timedelta(hours=12)
# How many key facts and milestone lines are compared (the first ones, in document order).
MAX_KEY_FACTS = 40
MAX_TIMED_LINES = 400
# A key fact farther than this from every timeline entry is checked for a typo's shape.
FAR_FROM_TIMELINE = timedelta(days=7)


@dataclass(frozen=True)
class StatedMoment:
    """A moment the document states: its 1-based line, milestone, date and time as written
    (either may be missing), zone word, and the line's text."""

    line: int
    milestone: str
    day: date | None
    clock: time | None
    zone: str
    written: str

    @property
    def stage(self) -> int:
        return _STAGE[self.milestone]

    def earliest(self) -> datetime | None:
        """The earliest moment the statement allows (a date alone: its start)."""
        if self.day is None:
            return None
        return datetime.combine(self.day, self.clock or time(0, 0))

    def latest(self) -> datetime | None:
        """The latest moment the statement allows (a date alone: its end)."""
        if self.day is None:
            return None
        return datetime.combine(self.day, self.clock or time(23, 59))

    def when(self) -> str:
        parts = [self.day.isoformat() if self.day else "", _clock_text(self.clock)]
        zone = f" {self.zone}" if self.zone else ""
        return " ".join(part for part in parts if part) + zone


@dataclass(frozen=True)
class Mismatch:
    """Two statements that cannot both be right: reported at ``line``, naming ``other``
    (a line, or None when the other side is the timeline as a whole)."""

    line: int
    other: int | None
    message: str


@dataclass(frozen=True)
class StatedWindow:
    """A start and end the document states together ("16:15-16:45 CET"), with the dates
    written beside each (as written, "" when none: the reader places them with the
    document's own date rules) and the zone; ``line`` is 1-based."""

    line: int
    start: time
    end: time
    start_date: str
    end_date: str
    zone: str
    note: str = ""  # a parenthesis after the end: "(Pacific Time)", "(16 hours)"

    @property
    def day(self) -> date | None:
        """The start's date when it is written in ISO form (others need the reader)."""
        return _read_day(self.start_date)


def _clock_of(match: re.Match[str]) -> str | None:
    """The time of a stamp, written after a date or alone."""
    return match.group("clock") or match.group("alone")


def _clock_text(clock: time | None) -> str:
    return f"{clock:%H:%M}" if clock is not None else ""


def _read_clock(text: str | None) -> time | None:
    if not text:
        return None
    hours, minutes = re.split(r"[:h]", text.lower(), maxsplit=1)
    return time(int(hours), int(minutes[:2]))


def _read_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _unfenced(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(1-based line number, text) of the lines outside code fences."""
    kept = []
    fenced = False
    for number, text in enumerate(lines, start=1):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        if not fenced:
            kept.append((number, text))
    return kept


def key_facts(lines: Sequence[str]) -> list[StatedMoment]:
    """The document's key facts ("Label: stamp" lines and headings), in document order."""
    facts = []
    for number, text in _unfenced(lines):
        match = _KEY_FACT.match(text)
        if match is None:
            continue
        label = " ".join(match.group("label").lower().split())
        day, clock = _read_day(match.group("day")), _read_clock(_clock_of(match))
        if day is None and clock is None:
            continue
        zone = (match.group("zone") or "").upper()
        facts.append(StatedMoment(number, _LABEL_OF[label], day, clock, zone, text.strip()))
    return facts


def timed_milestones(lines: Sequence[str]) -> list[StatedMoment]:
    """Timed lines that name a milestone ("16:59 – Incident declared"), in document order."""
    found = []
    for number, text in _unfenced(lines):
        if _KEY_FACT.match(text):
            continue
        match = _TIMED.match(text)
        if match is None or _clock_of(match) is None:
            continue
        said = match.group("text")
        for milestone, pattern in _NAMED:
            if pattern.search(said):
                found.append(
                    StatedMoment(
                        number,
                        milestone,
                        _read_day(match.group("day")),
                        _read_clock(_clock_of(match)),
                        (match.group("zone") or "").upper(),
                        text.strip(),
                    )
                )
                break
    return found


def _typo_shape(span: timedelta) -> str:
    """What a span between two statements of one story looks like as a typo."""
    days = span.total_seconds() / 86400
    if 360 <= days <= 370:
        return "a year is probably mistyped"
    if 27 <= days <= 32:
        return "a month is probably mistyped"
    if 0.9 <= days <= 1.1:
        return "a day is probably mistyped (a date not rolled over at midnight?)"
    if abs(span - timedelta(hours=12)) <= timedelta(minutes=30):
        return "AM and PM are probably swapped"
    return "one of them is probably mistyped"


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2:
        return f"{days} days"
    if days or hours:
        total = days * 24 + hours
        return f"{total} h {minutes} min" if minutes else f"{total} h"
    return f"{minutes} min"


def _name(fact: StatedMoment) -> str:
    return f"{fact.milestone} {fact.when()} (line {fact.line})"


def _among_facts(facts: Sequence[StatedMoment]) -> list[Mismatch]:
    """A key fact that comes, by its own date, half a day or more before a milestone that
    must precede it ("declared 2022-01-05" against "first detected 2023-01-04")."""
    found = []
    for later in facts:
        latest = later.latest()
        if latest is None:
            continue
        # The nearest milestone first: "resolved" is checked against "repaired" before
        # "detected", so the message names the pair a typo most likely split.
        for earlier in sorted(facts, key=lambda fact: -fact.stage):
            earliest = earlier.earliest()
            if earlier.stage >= later.stage or earliest is None:
                continue
            if earlier.zone != later.zone and earlier.zone and later.zone:
                continue  # different zones written: not comparable as written
            back = earliest - latest
            if back >= ORDER_TYPO_MINIMUM:
                found.append(
                    Mismatch(
                        later.line,
                        earlier.line,
                        f"The header says {_name(later)}, {_span(back)} before "
                        f"{_name(earlier)}; {_typo_shape(back)}.",
                    )
                )
                break
    return found


def _against_lines(facts: Sequence[StatedMoment], timed: Sequence[StatedMoment]) -> list[Mismatch]:
    """A key fact whose time differs from the timed line that names the same milestone
    ("Incident declared 16:48" against "16:59 – Incident declared")."""
    found = []
    for fact in facts:
        if fact.clock is None:
            continue
        same = [
            entry
            for entry in timed
            if entry.milestone == fact.milestone
            and entry.clock is not None
            and not (entry.zone and fact.zone and entry.zone != fact.zone)
        ]
        if not same:
            continue
        if any(_close(fact, entry) for entry in same):
            continue  # one of the lines agrees
        entry = same[0]
        assert entry.clock is not None
        found.append(
            Mismatch(
                fact.line,
                entry.line,
                f"The header says {_name(fact)}, but line {entry.line} says "
                f"“{_excerpt(entry.written)}”; one of the two times is probably mistyped.",
            )
        )
    return found


def _close(fact: StatedMoment, entry: StatedMoment) -> bool:
    assert fact.clock is not None and entry.clock is not None
    if fact.day is not None and entry.day is not None:
        delta = datetime.combine(fact.day, fact.clock) - datetime.combine(entry.day, entry.clock)
        return abs(delta) <= SAME_MOMENT_SLACK
    anchor = date(2000, 1, 1)
    delta = datetime.combine(anchor, fact.clock) - datetime.combine(anchor, entry.clock)
    return abs(delta) <= SAME_MOMENT_SLACK


def _against_timeline(
    facts: Sequence[StatedMoment], timeline: Sequence[datetime]
) -> list[Mismatch]:
    """A key fact far from every timeline entry that a year or a month off would put among
    them (the header typed "2022" for a timeline in 2023)."""
    if not timeline:
        return []
    first = min(timeline).replace(tzinfo=None) - timedelta(days=1)
    last = max(timeline).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for fact in facts:
        moment = fact.earliest()
        if moment is None or first - FAR_FROM_TIMELINE <= moment <= last + FAR_FROM_TIMELINE:
            continue
        for years, months in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            shifted = _shift(moment, years, months)
            if shifted is not None and first <= shifted <= last:
                unit = "year" if years else "month"
                found.append(
                    Mismatch(
                        fact.line,
                        None,
                        f"The header says {_name(fact)}, but the timeline runs from "
                        f"{first + timedelta(days=1):%Y-%m-%d} to {last - timedelta(days=1):%Y-%m-%d}; "
                        f"the {unit} is probably mistyped.",
                    )
                )
                break
    return found


def _shift(moment: datetime, years: int, months: int) -> datetime | None:
    month = moment.month - 1 + months
    year = moment.year + years + month // 12
    try:
        return moment.replace(year=year, month=month % 12 + 1)
    except ValueError:  # 29 February, 31 of a shorter month
        return None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59].rstrip() + "…"


def stated_mismatches(lines: Sequence[str], timeline: Sequence[datetime] = ()) -> list[Mismatch]:
    """Where the document's key facts contradict each other, the timed line of the same
    milestone, or the timeline's dates (``timeline``: its entries, as read), each once."""
    # A header states a handful of key facts; past these bounds the lines are a log, and the
    # pairwise checks stay small on hostile input (at most 40 x 40 and 40 x 400 pairs).
    facts = key_facts(lines)[:MAX_KEY_FACTS]
    if not facts:
        return []
    found: dict[int, Mismatch] = {}
    for mismatch in (
        *_among_facts(facts),
        *_against_lines(facts, timed_milestones(lines)[:MAX_TIMED_LINES]),
        *_against_timeline(facts, timeline),
    ):
        found.setdefault(mismatch.line, mismatch)  # one finding per line, the first reason
    return sorted(found.values(), key=lambda mismatch: mismatch.line)


# "16:15-16:45 CET", "from 07:11 to 09:43 UTC", "between 21:33 and 23:05", "From 21:33 UTC
# on 25 June 2025 until 13:22 UTC on 26 June 2025", "25 June 2025 21:33 until 26 June 2025
# 13:22": a start and an end, each with the date written before or after it, if any.
_W_CLOCK = r"(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?"
_W_ZONE = r"(?-i:UTC|GMT|[A-Z]{2,4}T|[A-Z]{3})"


def _window_end(name: str, day: str) -> str:
    return (
        rf"(?:(?P<{name}_before>{day}),?[ \t]+(?:at[ \t]+)?)?(?P<{name}>{_W_CLOCK})(?![\d:])"
        rf"(?:[ \t]*(?P<{name}_zone>{_W_ZONE})\b)?"
        rf"(?:,?[ \t]+(?:on[ \t]+)?(?P<{name}_after>{day}))?"
    )


@cache
def _window_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(the window, a date near it), compiled on first use: ``kintsugi lint`` loads this
    module for key facts and should not pay for the importer's date grammar."""
    from kintsugi.core.markdown.timeline_dates import DATE

    window = re.compile(
        rf"(?:\b(?:from|between)[ \t]+)?{_window_end('start', DATE)}"
        rf"[ \t]*(?:-|–|—|to|until|till|and)[ \t]*{_window_end('end', DATE)}"
        r"(?:[ \t]*\((?P<note>[^()\n]{2,40})\))?",
        re.IGNORECASE,
    )
    return window, re.compile(DATE, re.IGNORECASE)


# Where a window is the outage's: a duration or outage label, or words of an outage span.
_WINDOW_CUE = re.compile(
    r"(?i)\b(?:duration|outage|downtime|impact(?:ed)?|unavailable|down|degraded|affected"
    r"|incident window|was out|brownout|disruption|interrupted)\b"
)
# A heading that opens the timeline: windows below it belong to its entries or sub-incidents.
_TIMELINE_HEADING = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]+.*\b(?:timeline|chronology|sequence of events)\b", re.IGNORECASE
)
# How many lines above a window its date is looked for.
_DATE_ABOVE = 3
# How far into a line a window is looked for: a header value or a summary's opening
# sentence states it early; a longer line is read no further (linear time on hostile input).
_WINDOW_REACH = 1_000


def stated_window(lines: Sequence[str], *, limit: int = 80) -> StatedWindow | None:
    """The outage window the document states in its header or summary (the first of its
    ``limit`` lines outside code that gives one beside an outage word), or None.

    "Duration: ~30 minutes (16:15-16:45 CET)" and "the blocking lasted from 07:11 to
    09:43" bound the outage where the timeline marks neither its start nor its end."""
    window_pattern, day_near = _window_patterns()
    kept = _unfenced(lines[:limit])
    for index, (number, text) in enumerate(kept):
        if _TIMELINE_HEADING.match(text):
            break  # the timeline's own windows are its sub-incidents', not the outage's
        if _TIMED.match(text) and not _KEY_FACT.match(text):
            continue  # a timeline entry, not a statement about the outage
        text = text[:_WINDOW_REACH]
        match = window_pattern.search(text)
        if match is None or not _WINDOW_CUE.search(text):
            continue
        start, end = _read_clock(match.group("start")), _read_clock(match.group("end"))
        if start is None or end is None or start == end:
            continue
        zone = match.group("end_zone") or match.group("start_zone") or ""
        start_date = match.group("start_before") or match.group("start_after") or ""
        end_date = match.group("end_before") or match.group("end_after") or ""
        if not start_date:
            # The date in the same line ("On Sep 29, we had ... from 14:00 to 16:30") or in
            # the lines just above ("**Date**: Thursday, Dec 25, 2025" over "**Duration**").
            for _, above in reversed(kept[max(0, index - _DATE_ABOVE) : index + 1]):
                nearby = day_near.search(above[:_WINDOW_REACH])
                if nearby is not None:
                    start_date = nearby.group(0)
                    break
        note = (match.group("note") or "").strip()
        return StatedWindow(number, start, end, start_date.strip(), end_date.strip(), zone, note)
    return None
