"""The time at the start of a timeline entry, in the shapes people write it.

``14:02 UTC - text``, ``**09:05** — text``, ``[09:05] text``, ``9:05 pm: text``,
``2024-05-01 09:05 UTC text``, ``**May 1, 14:02 UTC**: text``, ``09:05-09:20 text`` (a
range: its start is the event's time), ``2024-05-01T14:02:00Z``. The grammar only finds
the parts (date, clock, zone word); what they mean (which zone, which day) is decided by
the timeline reader with the document's context.

A 12-hour time must never land 12 hours off: ``12:30 am`` is 00:30, ``12:15 pm`` is 12:15,
and an hour over 12 with am/pm is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.timeline_dates import DATE
from kintsugi.core.markdown.zones import ZONE_WORD, looks_like_zone

_CLOCK = (
    r"(?P<{p}h>\d{{1,2}})(?::(?P<{p}m>\d{{2}})(?::(?P<{p}s>\d{{2}})(?:[.,](?P<{p}f>\d{{1,6}}))?)?)?"
    r"(?![\d:])(?:[ \t]?(?P<{p}ap>[ap])\.?[ \t]?m\b\.?)?"
)
_HEAD = re.compile(
    r"^[ \t]*(?P<open>\*\*|__|[*_`\[(])?[ \t]*(?:~|≈|approx\.?[ \t]|around[ \t]|ca\.[ \t])?[ \t]*"
    rf"(?:(?P<date>{DATE}|\d{{2}}-\d{{2}}(?=[ \t]+\d{{1,2}}:\d{{2}}))"
    r"(?:[ \t]*(?:,|at|@|-|–)?[ \t]*~?|T|/(?=\d{1,2}:\d{2})))?"
    + _CLOCK.format(p="")
    + r"(?:[ \t]*(?:-|–|—|to|until)[ \t]*"
    + _CLOCK.format(p="e")
    + r")?",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"[ \t]*(?P<paren>\()?(?P<zone>(?:Pacific|Eastern|Central|Mountain)(?: Standard| Daylight)?"
    rf" Time\b|{ZONE_WORD})(?(paren)\))"
)
# Best effort only (``loose``): a lead word before the time. "At 14:02 UTC, the alert
# fired." is prose with a time first; "Thursday 5:20am" names a day of the week only.
_LOOSE_LEAD = re.compile(
    r"^[ \t]*(?:(?P<weekday>mon|tue|wed|thu|fri|sat|sun)(?:day|s|nes|nesday|rs|rsday|urday)?"
    r"\.?,?[ \t]+(?:at[ \t]+)?|(?:at|by)[ \t]+)(?=[\d*_`(~])",
    re.IGNORECASE,
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOSE = re.compile(r"[ \t]*(?:\*\*|__|[*_`\])])?")
_SEPARATOR = re.compile(r"^[ \t]*(?:[-–—:|.,][ \t]*)?")


@dataclass
class Stamp:
    """The parts of a written time; ``end`` is where the entry's text starts."""

    date_text: str
    clock: time
    zone_text: str
    text: str  # the stamp as written, for messages
    end: int
    weekday: int | None = None  # "Thursday 5:20am": 0 Monday .. 6 Sunday, no date written


def _clock(match: re.Match[str], prefix: str, meridiem: str | None = None) -> time | None:
    """A time of day from the matched parts; None when it is not one (no minutes, no am/pm)."""
    hours_text, minutes_text = match.group(prefix + "h"), match.group(prefix + "m")
    ap = (match.group(prefix + "ap") or meridiem or "").lower()
    if minutes_text is None and not ap:
        return None
    hours, minutes = int(hours_text), int(minutes_text or 0)
    seconds = int(match.group(prefix + "s") or 0)
    fraction = match.group(prefix + "f") or ""
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    if ap:
        if hours > 12:
            raise ValidationProblem(
                f"{match.group(0).strip()!r} is not a time: an hour over 12 with am/pm.",
                field="timeline.at",
            )
        hours = hours % 12 + (12 if ap == "p" else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValidationProblem(
            f"{match.group(0).strip()!r} is not a time; write it like 14:02 UTC.",
            field="timeline.at",
        )
    return time(hours, minutes, seconds, micro)


def _start(match: re.Match[str]) -> time | None:
    """The start of ``9:05-9:20 pm`` takes the end's am/pm when it has none of its own:
    the reading that puts the start before the end."""
    end_ap = match.group("eap")
    if match.group("ap") or not end_ap or match.group("eh") is None:
        return _clock(match, "")
    end = _clock(match, "e")
    same = _clock(match, "", end_ap)
    if end is None or same is None or same <= end:
        return same
    return _clock(match, "", "a" if end_ap.lower() == "p" else "p")


def read_stamp(
    text: str, *, known_zone: Callable[[str], bool] | None = None, loose: bool = False
) -> Stamp | None:
    """The stamp at the start of ``text``, or None when the text does not start with one.

    ``known_zone`` tells whether a word after the time is a zone (so that
    "14:02 API errors" keeps "API" as text); unknown words shaped like a zone ("XST") are
    returned too, for the reader to keep the entry rather than misread it. ``loose``
    (best effort) also reads a lead word: "At 14:02 UTC, ...", "Thursday 5:20am ...".
    """
    lead = _LOOSE_LEAD.match(text) if loose else None
    if lead is not None:
        stamp = read_stamp(text[lead.end() :], known_zone=known_zone)
        if stamp is None:
            return None
        day = lead.group("weekday")
        stamp.weekday = _WEEKDAYS.index(day.lower()) if day and not stamp.date_text else None
        stamp.text = text[: lead.end()].strip() + " " + stamp.text
        stamp.end += lead.end()
        return stamp
    match = _HEAD.match(text)
    if match is None:
        return None
    clock = _start(match)
    if clock is None:
        return None
    position = match.end()
    zone_text = ""
    zone = _ZONE.match(text, position)
    if zone is not None:
        word = zone.group("zone")
        after = text[zone.end() : zone.end() + 1]
        separated = after in ("", " ", "\t", ":", "-", "*", "_", "`", "]", ")", ",", "|")
        is_zone = known_zone is not None and known_zone(word)
        if is_zone or (separated and (zone.group("paren") or looks_like_zone(word))):
            zone_text = word
            position = zone.end()
    close = _CLOSE.match(text, position)
    if close is not None and (match.group("open") or not close.group().strip()):
        position = close.end()
    stamp_text = text[:position].strip(" \t*_`[]()")
    position += _SEPARATOR.match(text[position:]).end()  # type: ignore[union-attr]
    return Stamp(
        date_text=(match.group("date") or "").strip(),
        clock=clock,
        zone_text=zone_text,
        text=stamp_text,
        end=position,
    )
