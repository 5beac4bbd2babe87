"""The Incident Timeline section: our table, and the tables, lists and paragraphs people write.

Shapes read: tables whose time column is named for what it holds ("Time", "When",
"Timestamp") or for its zone ("Time (PDT)", "PST", "Time (UTC+2)"), or holds times; list
items and lines that start with a time (``- 14:02 PST: ...``, ``**09:05** — ...``,
``[09:05] ...``, ``9:05 pm: ...``); date headings and date lines above them. How a written
time becomes a UTC moment (its zone, its day) is timeline_clock.py; the grammar of the
time is clock.py; tables are timeline_table.py.

In best effort an entry whose time cannot be placed is kept verbatim with the reason,
never dropped; strict mode refuses it, as it refuses any time without a zone or a date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kintsugi.core.document import MAX_SHORT_TEXT, TimelineEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line, heading, split_blocks
from kintsugi.core.markdown.clock import read_stamp
from kintsugi.core.markdown.escaping import unescape_strict
from kintsugi.core.markdown.fields import clean_text
from kintsugi.core.markdown.headings import normalise_name
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_clock import (
    declared_zone,
    note_zone,
    place,
    set_timeline_date,
)
from kintsugi.core.markdown.timeline_dates import DATE, DATE_RE
from kintsugi.core.markdown.timeline_entries import (
    UTC_DECLARATION,
    UTC_NOTE,
    add_entry,
    known_zone,
    refuse_or_keep,
    text_and_kind,
)
from kintsugi.core.markdown.timeline_table import COLUMNS, read_timeline_table
from kintsugi.core.markdown.zones import Zone

__all__ = ["COLUMNS", "UTC_DECLARATION", "UTC_NOTE", "read_timeline"]

_DATE_LINE = re.compile(
    rf"^(?:date[ \t]*:[ \t]*)?(?P<date>{DATE})[ \t:.,]*(?:\((?P<note>[^)]*)\))?[ \t:.]*$",
    re.IGNORECASE,
)


def _read_entry(
    state: ParseState, text: str, heading_text: str, lines: Sequence[Line]
) -> TimelineEntry | None:
    """A list item or line that starts with a time (``14:02 UTC - Alert fired``); None if it
    does not start with one. An entry that cannot be read is refused or kept."""
    line = lines[0].number
    try:
        stamp = read_stamp(text, known_zone=known_zone(state), loose=not state.strict)
    except ValidationProblem as problem:  # "13:05 pm"
        refuse_or_keep(state, problem, heading_text, lines)
        return None
    if stamp is None:
        return None
    try:
        at = place(state, stamp, line=line)
        rest, kind = text_and_kind(state, text[stamp.end :])
        entry = TimelineEntry(
            at=at,
            kind=kind,
            text=clean_text(rest, field="timeline.text", limit=MAX_SHORT_TEXT, required=True),
        )
    except ValidationProblem as problem:
        refuse_or_keep(state, problem, heading_text, lines)
        return None
    add_entry(state, entry, heading_text, lines)
    return entry


def _starts_with_time(state: ParseState, text: str) -> bool:
    try:
        return read_stamp(text, known_zone=known_zone(state), loose=not state.strict) is not None
    except ValidationProblem:
        return True


def _date_line(state: ParseState, here: str, text: str, lines: Sequence[Line]) -> bool:
    """ "Date: 2024-05-01 (all times UTC)", "**May 1, 2024**", "### Monday, May 1st",
    "#### Day 2 (May 2)": the day of the times that follow."""
    line = lines[0].number
    plain = re.sub(r"^#+[ \t]*|[*_]", "", text.strip()).strip()
    match = _DATE_LINE.match(plain)
    if match is not None:
        note = match.group("note") or ""
        if note and UTC_DECLARATION.search(note):
            state.utc_declared = True
        elif note:
            state.section_zone = note_zone(note, state.zone_definitions) or state.section_zone
        written = match.group("date")
    elif heading(lines[0]) is not None and len(plain) <= 60 and not _starts_with_time(state, plain):
        found = DATE_RE.search(plain)
        if found is None:
            return False
        written = found.group(0)
    else:
        return False
    try:
        set_timeline_date(state, written, line)
    except ValidationProblem as problem:
        # The times below it cannot be placed on a day: they are kept too, not misdated.
        state.timeline_date, state.day_offset = None, 0
        refuse_or_keep(state, problem, here, lines)
    return True


def declares_utc(lines: Sequence[Line]) -> bool:
    return any(not line.fenced and UTC_NOTE.match(line.text) for line in lines)


def _section_zone(state: ParseState, note: str, lines: Sequence[Line]) -> Zone | None:
    """The zone the timeline's heading or one of its lines declares for all its times."""
    zone = note_zone(note, state.zone_definitions) if note else None
    for line in lines:
        if zone is not None:
            break
        if not line.fenced and "time" in line.text.lower():
            zone = declared_zone(line.text, state.zone_definitions)
    return zone


def read_timeline(
    state: ParseState, heading_line: Line, heading_text: str, lines: list[Line]
) -> None:
    _, note = normalise_name(heading_text)
    if UTC_DECLARATION.search(note) or declares_utc(lines):
        state.utc_declared = True
    # A zone declared by an earlier timeline section holds until another is declared
    # ("## Timeline (all times PST)" then "## Timeline, day 2").
    state.section_zone = _section_zone(state, note, lines) or state.section_zone
    here = heading_line.text
    dated = DATE_RE.search(note)
    if dated is not None:  # "## Timeline (May 1, 2024, all times PDT)"
        _date_line(state, here, dated.group(0), [heading_line])
    run: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = heading(line)
        if found is None or not _starts_with_time(state, found[1]):
            run.append(line)
            index += 1
            continue
        _read_blocks(state, here, run)
        run = []
        end = index + 1
        while end < len(lines) and heading(lines[end]) is None:
            end += 1
        _read_heading_entry(state, here, found[1], lines[index:end])
        index = end
    _read_blocks(state, here, run)


def _read_heading_entry(state: ParseState, here: str, title: str, lines: Sequence[Line]) -> None:
    """ "### 20:15" or "### 2018-10-08 ~18:10" and the paragraphs under it: one entry."""
    body = "\n".join(line.text for line in lines[1:]).strip()
    text = f"{title}\n{body}" if body else title
    _read_entry(state, text, here, lines)


def _read_blocks(state: ParseState, here: str, lines: Sequence[Line]) -> None:
    for block in split_blocks(lines):
        if block.kind == "table":
            try:
                read_timeline_table(state, here, block)
            except ValidationProblem as problem:
                if state.strict:
                    state.problems.add(problem.message, line=problem.line or block.line)
                else:
                    state.keep(
                        f"A table in the timeline was kept as text: {problem.message}",
                        here,
                        block.lines,
                        line=block.line,
                        field="timeline",
                    )
        elif block.kind == "item" and block.item is not None:
            text = unescape_strict(block.item.text)
            if _date_line(state, here, text, block.lines):
                continue
            if _read_entry(state, text, here, block.lines) is None and not _starts_with_time(
                state, text
            ):
                state.stray(here, block.lines)
        else:
            _read_lines(state, here, block.lines)


def _read_lines(state: ParseState, here: str, lines: Sequence[Line]) -> None:
    """A paragraph in the timeline: date lines and timed lines ("**14:02** The alert
    fired."); in best effort a line that does not start with a time continues the timed
    line before it (hard-wrapped paragraphs, "<br>"-joined runs)."""
    leftover: list[Line] = []
    units: list[tuple[list[str], list[Line]]] = []  # (text parts, source lines) per timed run
    for line in _segments(lines):
        if _date_line(state, here, line.text, [line]):
            _flush(state, here, units)
            continue
        if UTC_NOTE.match(line.text):  # honoured by read_timeline, and kept as written
            _flush(state, here, units)
            leftover.append(line)
            continue
        if _starts_with_time(state, line.text):
            _flush(state, here, units)
            units.append(([line.text], [line]))
            continue
        if units and not state.strict:
            parts, source = units[-1]
            parts.append(line.text.strip())
            source.append(line)
            continue
        _flush(state, here, units)
        leftover.append(line)
    _flush(state, here, units)
    state.stray(here, leftover)


def _flush(state: ParseState, here: str, units: list[tuple[list[str], list[Line]]]) -> None:
    for parts, source in units:
        _read_entry(state, " ".join(parts), here, _unique(source))
    units.clear()


def _unique(lines: list[Line]) -> list[Line]:
    """The source lines of a run, each once (a line split at <br> is one source line)."""
    seen: set[int] = set()
    unique = []
    for line in lines:
        if line.number not in seen:
            seen.add(line.number)
            unique.append(line)
    return unique


_BREAK = re.compile(r"<br[ \t]*/?>", re.IGNORECASE)


def _segments(lines: Sequence[Line]) -> list[Line]:
    """Lines split at ``<br>``: "15:27 - ... <br> 21:14 - ..." is two timed lines."""
    pieces: list[Line] = []
    for line in lines:
        if line.fenced or "<" not in line.text:
            pieces.append(line)
            continue
        parts = [part for part in _BREAK.split(line.text) if part.strip()]
        pieces.extend(line._replace(text=part) for part in parts or [line.text])
    return pieces
