"""Placing a written timeline time on the UTC line: its zone, its day, and the notes.

Which zone a time is in, most specific first: the zone written with it; the zone its
table's time column is named for ("Time (PDT)"); the zone the timeline heading or a line
in the timeline declares ("Timeline (all times PDT)", "All times are Pacific Time."); the
zone a sentence anywhere in the document declares (best effort); "all times UTC". With
none of these, strict mode refuses (an hour off would rewrite the story) and best effort
reads UTC with one note for the document.

Which day: the date written with it or in its row; the date heading or line above it
("### Monday, May 1st"); the document's date. A time that goes back by more than 12 hours
in a list under one date is the next day (23:50, then 00:10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line
from kintsugi.core.markdown.clock import Stamp
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_dates import first_full_date, read_date, slash_order
from kintsugi.core.markdown.zones import (
    ABBREVIATION,
    AMBIGUOUS,
    CERTAIN,
    DEFINED,
    GUESSED,
    Zone,
    dst_mismatch,
    guess_zone,
    lookup_zone,
    offset_zone,
)
from kintsugi.core.timeline import EventKind
from kintsugi.core.timeparse import format_utc

_ZONE_WORDS = r"[A-Za-z][\w/+\-−:]*(?:[ \t]+(?:[A-Za-z][\w/+\-−:]*|[+\-−]\d[\d:]*)){0,3}"
# "All times are in Pacific Time", "all times PDT", "Times below are US/Eastern",
# "Timestamps are UTC+2", "Time zone: America/New_York".
_DECLARATION = re.compile(
    r"(?:\ball[ \t]+(?:the[ \t]+)?(?:times|timestamps)\b(?:[ \t]+(?:below|above|here|listed))?"
    r"(?:[ \t]+(?:are|were))?"
    r"|\b(?:times|timestamps)(?:[ \t]+(?:below|above|here|listed|in[ \t]+this[ \t]+[\w-]+))?"
    r"[ \t]+(?:are|were)"
    r"|\btime[ \t]?zone[ \t]*(?:is|:))"
    r"(?:[ \t]+(?:shown|given|listed|written|expressed|reported|displayed))?"
    r"(?:[ \t]+(?:in|as))?(?:[ \t]+the)?[ \t]*:?[ \t]*"
    rf"(?P<zone>{_ZONE_WORDS})",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)")
# "IST (UTC+05:30)", "XYZ, which is UTC+05:30", "ABC = GMT-7": the document's own names.
_DEFINITION = re.compile(
    r"\b(?P<name>[A-Z]{2,6})\b[ \t]*,?[ \t]*(?:\([ \t]*|which[ \t]+is[ \t]+|i\.e\.,?[ \t]*"
    r"|=[ \t]*|is[ \t]+)"
    r"(?P<offset>(?:UTC|GMT)[ \t]*[+\-−][ \t]*\d{1,2}(?::?\d{2})?|[+\-−]\d{2}:?\d{2})"
)
# "(times in BST)", "(all times are in PDT)": what precedes the zone in a parenthesis.
_NOTE_LEAD = re.compile(
    r"^(?:all[ \t]+)?(?:the[ \t]+)?(?:times?|timestamps?)[ \t]+(?:are[ \t]+)?"
    r"(?:shown[ \t]+|given[ \t]+)?(?:in[ \t]+)?",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset({"UTC", "GMT", "TZ", "ALL", "THE"})


def declared_zone(text: str, definitions: dict[str, Zone]) -> Zone | None:
    """The zone a sentence or a heading's parenthesis declares for all times, if any."""
    text = _EMPHASIS.sub(" ", text)  # "_All times in EEST_" (America/New_York stays whole)
    for match in _DECLARATION.finditer(text):
        words = match.group("zone").split()
        for count in range(len(words), 0, -1):
            candidate = " ".join(words[:count]).rstrip(".,;:)")
            zone = lookup_zone(candidate, definitions)
            if zone is not None:
                return zone
        guessed = guess_zone(words[0].rstrip(".,;:)")) if words else None
        if guessed is not None:
            return guessed
    return None


def unknown_declaration(text: str, definitions: dict[str, Zone]) -> str | None:
    """A declaration of a zone word we do not know ("All times are XYZ."): times without a
    zone are then not taken as UTC, since the author said they are not."""
    if declared_zone(text, definitions) is not None:
        return None
    for match in _DECLARATION.finditer(text):
        word = match.group("zone").split()[0].rstrip(".,;:)")
        if re.fullmatch(r"[A-Z]{2,5}|[A-Za-z]+/[A-Za-z_]+", word):
            return word
    return None


def note_zone(text: str, definitions: dict[str, Zone]) -> Zone | None:
    """A heading's or header's parenthesis: "(all times PDT)", "(PDT)", "(UTC+2)"."""
    stripped = _NOTE_LEAD.sub("", text.strip(" \t()*_:")).strip(" \t.")
    if not stripped:
        return None
    return lookup_zone(stripped, definitions) or declared_zone(text, definitions)


def scan_document(state: ParseState, lines: Sequence[Line]) -> None:
    """What the whole document says about its times, read before any section.

    The document's own zone names, the order of its numeric dates, its date (for dates
    without a year) and, in best effort, a zone declared in a sentence anywhere.
    """
    text = "\n".join(line.text for line in lines if not line.fenced)
    unfenced = [line.number for line in lines if not line.fenced]
    for match in _DEFINITION.finditer(text):
        name = match.group("name")
        zone = offset_zone(match.group("offset"))
        if name in _NOT_NAMES or zone is None or name in state.zone_definitions:
            continue
        index = text.count("\n", 0, match.start())
        number = unfenced[index] if index < len(unfenced) else 1
        meaning = f"{zone.meaning}, as the document defines it on line {number}"
        state.zone_definitions[name] = Zone(zone.tz, name, meaning, DEFINED)
    doc = state.doc
    if state.timeline_date is not None:
        state.dates.anchor, state.dates.anchor_source = state.timeline_date, "the document's date"
    elif doc.started_at is not None:
        state.dates.anchor, state.dates.anchor_source = doc.started_at.date(), "started_at"
    else:
        state.dates.anchor = first_full_date(text)
        state.dates.anchor_source = "the first full date in the document"
    order, reason = slash_order(text, state.dates.anchor)
    state.dates.slash_order, state.dates.slash_reason = order, reason
    if state.strict:
        return  # strict mode honours only the declarations it always has (timeline, preamble)
    # Imported here: only best effort reads a stated window.
    from kintsugi.core.markdown.stated_times import stated_window

    window = stated_window([line.text for line in lines])
    if window is not None:  # numbered in the file, not in the body passed
        window = replace(window, line=lines[window.line - 1].number)
    state.stated_window = window
    metadata_zone = doc.source_metadata.get("timezone") or doc.source_metadata.get("time_zone")
    if isinstance(metadata_zone, str):
        state.doc_zone = lookup_zone(metadata_zone, state.zone_definitions)
        state.doc_zone_line = state.meta_lines.get("timezone", 1)
    for line in lines:
        if state.doc_zone is not None:
            break
        if not line.fenced and ("time" in line.text.lower()):
            state.doc_zone = declared_zone(line.text, state.zone_definitions)
            state.doc_zone_line = line.number
            unknown = unknown_declaration(line.text, state.zone_definitions)
            if unknown is not None and state.unknown_zone is None:
                state.unknown_zone = (unknown, line.number)


def assume_once(state: ParseState, key: str, message: str, line: int) -> None:
    """An assumption about times, reported once per document (not once per row); in strict
    mode, a refusal of the row."""
    if state.strict:
        raise ValidationProblem(message, field="timeline.at", line=line)
    if key not in state.timeline_notes:
        state.timeline_notes.add(key)
        state.report.add("assumption", message, line=line, field="timeline.at")


def _zone_of(state: ParseState, stamp: Stamp, line: int, table_zone: Zone | None) -> Zone:
    if stamp.zone_text:
        zone = lookup_zone(stamp.zone_text, state.zone_definitions)
        if zone is None:
            raise ValidationProblem(
                f"The zone {stamp.zone_text!r} of {stamp.text!r} is not one we know; write an "
                "offset such as -08:00 or a zone name such as America/Los_Angeles.",
                field="timeline.at",
                line=line,
            )
        _check_zone(state, zone, line)
        if not state.strict:
            state.carried_zone = (zone, line)
        return zone
    declared = table_zone or state.section_zone
    if declared is None and state.utc_declared:
        return Zone(UTC, "UTC", "UTC", CERTAIN)
    declared = declared or state.doc_zone
    if declared is None and state.carried_zone is not None:
        # "### 17:04 PST" then "### 17:07": a zone written once holds for the times after
        # it until another is written (docs/markdown-format.md, "Time zones").
        carried, written_on = state.carried_zone
        assume_once(
            state,
            f"zone:carried:{carried.label}",
            f"Times without a zone are read in '{carried.label}', the zone written on line "
            f"{written_on} before them.",
            line,
        )
        return carried
    if declared is None and state.unknown_zone is not None:
        word, declared_on = state.unknown_zone
        raise ValidationProblem(
            f"The document declares its times in {word!r} (line {declared_on}), which is not a zone "
            f"we know, so {stamp.text!r} cannot be placed; write an offset such as -08:00.",
            field="timeline.at",
            line=line,
        )
    if declared is None:
        if state.strict:
            raise ValidationProblem(
                f"The time {stamp.text!r} has no timezone. Add UTC (or an offset "
                "such as +02:00) to it, or declare all times UTC in the heading: "
                "'## Timeline (all times UTC)'.",
                field="timeline.at",
                line=line,
            )
        assume_once(
            state,
            "zone:none",
            "The timeline's times have no zone and the document declares none; they are "
            "read as UTC.",
            line,
        )
        return Zone(UTC, "UTC", "UTC", CERTAIN)
    if declared.certainty == CERTAIN and (state.strict or declared.is_utc):
        return declared
    where = f" on line {state.doc_zone_line}" if declared is state.doc_zone else ""
    _check_zone(state, declared, line, f"the zone the document declares{where}")
    return declared


def _check_zone(state: ParseState, zone: Zone, line: int, declared: str = "") -> None:
    """The note (or, in strict mode, the refusal) that the zone's certainty calls for."""
    if zone.certainty == CERTAIN and not declared:
        return
    if state.strict and zone.certainty in (ABBREVIATION, AMBIGUOUS):
        raise ValidationProblem(
            f"The timezone abbreviation {zone.label!r} is ambiguous; write an offset such as "
            "-08:00, a zone name such as America/Los_Angeles, or UTC.",
            field="timeline.at",
            line=line,
        )
    if declared:
        message = f"Times without a zone are read in '{zone.label}', {declared}"
        message += "." if zone.label == zone.meaning else f": {zone.meaning}."
    else:
        message = f"'{zone.label}' is read as {zone.meaning}."
    if zone.certainty == AMBIGUOUS:
        message += (
            f" It is its most common meaning; '{zone.label}' can also mean "
            f"{zone.alternatives}. Write an offset ({zone.meaning.split(',')[0][3:]}) to be sure."
        )
    if zone.certainty == GUESSED and not state.strict:
        if f"zone:{zone.label}" not in state.timeline_notes:
            state.timeline_notes.add(f"zone:{zone.label}")
            state.report.add(
                "attention", message + " Check the times.", line=line, field="timeline.at"
            )
        return
    assume_once(state, f"zone:{zone.label}", message, line)


def _day_of(state: ParseState, stamp: Stamp, line: int, day: date | None) -> tuple[date, bool]:
    """(local date, whether the entry gave it itself)."""
    if stamp.date_text:
        day = read_date(stamp.date_text, state.dates)
    _flush_date_notes(state, line)
    if day is not None:
        return day, True
    started = state.doc.started_at
    base = state.timeline_date or (started.date() if started is not None else None)
    if base is None and not state.strict and state.dates.anchor is not None:
        base = state.dates.anchor
        assume_once(
            state,
            "date:anchor",
            f"Times without a date are placed on {base.isoformat()}, {state.dates.anchor_source}.",
            line,
        )
    if stamp.weekday is not None and base is not None:
        return _weekday_day(state, stamp, line, base + timedelta(days=state.day_offset)), True
    if base is None:
        raise ValidationProblem(
            f"The time {stamp.text!r} has no date: write the full date and time, add a "
            "'Date: YYYY-MM-DD' line under the title, a date line in the timeline, or "
            "'started_at' to the front matter.",
            field="timeline.at",
            line=line,
        )
    return base + timedelta(days=state.day_offset), False


def _weekday_day(state: ParseState, stamp: Stamp, line: int, base: date) -> date:
    """ "Thursday 5:20am" under a dated context: the first such weekday on or after the
    day the timeline has reached (timelines run forward), noted once."""
    day = base + timedelta(days=((stamp.weekday or 0) - base.weekday()) % 7)
    assume_once(
        state,
        f"weekday:{day.isoformat()}",
        f"{stamp.text!r} has a weekday but no date: read as {day.strftime('%A')} "
        f"{day.isoformat()}, the first such day from {base.isoformat()}.",
        line,
    )
    return day


def _flush_date_notes(state: ParseState, line: int) -> None:
    notes, state.dates.notes = state.dates.notes, []
    for key, message in notes:
        assume_once(state, f"date:{key}", message, line)


def set_timeline_date(state: ParseState, text: str, line: int) -> None:
    """A date heading or date line above the times: the day of what follows."""
    day = read_date(text, state.dates)
    _flush_date_notes(state, line)
    if day is not None:
        state.timeline_date = day
        state.day_offset = 0


def place(
    state: ParseState,
    stamp: Stamp,
    *,
    line: int,
    day: date | None = None,
    table_zone: Zone | None = None,
) -> datetime:
    """The UTC moment of a written time, in the document's context."""
    zone = _zone_of(state, stamp, line, table_zone)
    local_day, dated = _day_of(state, stamp, line, day)
    moment = datetime.combine(local_day, stamp.clock, tzinfo=zone.tz).astimezone(UTC)
    mismatch = dst_mismatch(zone, local_day)
    if (
        mismatch is not None
        and not state.strict
        and f"dst:{zone.label}" not in state.timeline_notes
    ):
        state.timeline_notes.add(f"dst:{zone.label}")
        state.report.add("attention", mismatch, line=line, field="timeline.at")
    if dated:
        state.timeline_date, state.day_offset = local_day, 0
        return moment
    timeline = state.doc.timeline
    if timeline and moment < timeline[-1].at - timedelta(hours=12):
        # "23:50 ... 00:10" in a list under one date: the second time is the next day.
        state.day_offset += 1
        moment += timedelta(days=1)
    return moment


def infer_bounds(state: ParseState) -> None:
    """Best effort: when the document gives no start or end, the timeline does: the first
    entry starts the incident, the last "fully recovered" entry ends it (noted).

    Where the timeline marks neither (no "impact started" entry, no "fully recovered" one),
    a window the header or summary states ("Duration: ~30 minutes (16:15-16:45 CET)") is
    the outage's own bound: the timeline's first entry is often lead-up (a beta offered
    weeks before, the deploy that set it off), not the start of the impact."""
    doc = state.doc
    if state.strict:
        return
    window = _window_bounds(state)
    stated = state.stated_window
    # The document gives its start elsewhere (front matter, a "Started:" line): a window
    # whose date is not written beside it may be placed on that start's day wrongly
    # ("Yesterday, from 11:45 to 13:56" in a post dated the day after); only a dated window
    # is used for the end then.
    if (
        stated is not None
        and doc.started_at is not None
        and not (stated.start_date or stated.end_date)
    ):
        window = None
    kinds = {entry.kind for entry in doc.timeline}
    if (
        doc.started_at is None
        and window is not None
        and EventKind.IMPACT_STARTED not in kinds
        and (doc.ended_at is None or window[0] <= doc.ended_at)
    ):
        doc.started_at = window[0]
        state.report.add(
            "assumption",
            f"started_at is taken from the outage window stated on line {window[2]}: "
            f"{format_utc(doc.started_at)}.",
            field="started_at",
            line=window[2],
        )
    if (
        doc.ended_at is None
        and window is not None
        and EventKind.FULLY_RECOVERED not in kinds
        and (doc.started_at is None or window[1] >= doc.started_at)
    ):
        doc.ended_at = window[1]
        state.report.add(
            "assumption",
            f"ended_at is taken from the outage window stated on line {window[2]}: "
            f"{format_utc(doc.ended_at)}.",
            field="ended_at",
            line=window[2],
        )
    if not doc.timeline:
        return
    if doc.started_at is None:
        doc.started_at = min(entry.at for entry in doc.timeline)
        state.report.add(
            "assumption",
            f"started_at is taken from the first timeline entry: {format_utc(doc.started_at)}.",
            field="started_at",
        )
    if doc.ended_at is None:
        ends = [entry.at for entry in doc.timeline if entry.kind == EventKind.FULLY_RECOVERED]
        if ends and max(ends) >= doc.started_at:
            doc.ended_at = max(ends)
            state.report.add(
                "assumption",
                "ended_at is taken from the last timeline entry that says the service "
                f"recovered: {format_utc(doc.ended_at)}.",
                field="ended_at",
            )


def _window_bounds(state: ParseState) -> tuple[datetime, datetime, int] | None:
    """(start, end, line) of the stated window in UTC, or None when there is none or it
    cannot be placed (no date for it, a date or zone we cannot read)."""
    window = state.stated_window
    if window is None:
        return None
    try:
        start_day = read_date(window.start_date, state.dates) if window.start_date else None
        end_day = read_date(window.end_date, state.dates) if window.end_date else None
    except ValidationProblem:
        return None
    start_day = start_day or state.timeline_date or state.dates.anchor
    if start_day is None:
        return None
    zone = lookup_zone(window.zone, state.zone_definitions) if window.zone else None
    if window.zone and zone is None:
        return None
    if zone is None and window.note:  # "(Pacific Time)"; "(16 hours)" is no zone
        zone = declared_zone(window.note, state.zone_definitions) or lookup_zone(
            window.note, state.zone_definitions
        )
    zone = zone or state.section_zone or state.doc_zone
    tz = zone.tz if zone is not None else UTC
    start = datetime.combine(start_day, window.start, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(end_day or start_day, window.end, tzinfo=tz).astimezone(UTC)
    if end <= start and end_day is None:  # "23:40-00:20": the end is the next day
        end += timedelta(days=1)
    if end <= start:
        return None  # an end written before its start: not a window we can use
    return start, end, window.line
