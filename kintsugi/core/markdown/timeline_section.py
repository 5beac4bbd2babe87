"""The Incident Timeline section: our table, and the tables and lists people write.

Every stored time is UTC. A time is read as UTC only when it says so (``UTC``, ``Z``, an
offset or a zone name) or when the document declares that all its times are UTC
("Timeline (all times UTC)", "All times are UTC."). Otherwise it is refused: an hour off
would rewrite the story of the incident. Zone abbreviations such as PST are refused too,
because several zones share them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from kintsugi.core.document import MAX_SHORT_TEXT, TimelineEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Block, Line, split_blocks
from kintsugi.core.markdown.escaping import read_optional, unescape_strict
from kintsugi.core.markdown.fields import clean_person, clean_text, clean_url
from kintsugi.core.markdown.headings import normalise_name
from kintsugi.core.markdown.kinds import infer_kind
from kintsugi.core.markdown.limits import MAX_TIMELINE_ENTRIES
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.tables import read_table
from kintsugi.core.timeline import EventKind, parse_kind
from kintsugi.core.timeparse import parse_date, parse_utc

COLUMNS = {
    "time": ("time", "time utc", "timestamp", "when", "date/time", "date time", "datetime"),
    "date": ("date", "day"),
    "kind": ("kind", "type", "event type", "category"),
    "text": ("event", "description", "what happened", "details", "text", "activity", "summary"),
    "author": ("author", "who", "by", "actor", "person"),
    "evidence": ("evidence", "link", "links", "source", "evidence link"),
}

# What a heading's or a date line's parentheses say: "(all times UTC)", "(UTC)".
UTC_DECLARATION = re.compile(
    r"\ball (?:the )?times\b[^.\n]{0,30}\b(?:utc|gmt)\b|\btimes? (?:are |shown |given )?"
    r"(?:in )?(?:utc|gmt)\b|^\(?(?:utc|gmt)\)?$",
    re.IGNORECASE,
)
# A line that says nothing but that: "All times are UTC.", "*Times in UTC*".
UTC_NOTE = re.compile(
    r"^[\W_]*(?:all (?:the )?)?times?(?: are| shown| given)?(?: in)? (?:utc|gmt)[\W_]*$",
    re.IGNORECASE,
)

_AMBIGUOUS_ZONES = frozenset(
    re.findall(r"[A-Z]+", "PST PDT MST MDT CST CDT EST EDT AKST AKDT HST CET CEST EET EEST WET")
    + re.findall(r"[A-Z]+", "WEST BST IST JST KST SGT AEST AEDT ACST AWST NZST NZDT")
)

_STAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})?[ T]?"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(?P<zone>[ ]?Z\b|[ ]?[+-]\d{2}:?\d{2}\b|[ ]+\(?(?:UTC|GMT)\b\)?"
    r"|[ ]+[A-Z][A-Za-z]+/[A-Z][A-Za-z_+/-]+"
    rf"|[ ]+(?:{'|'.join(sorted(_AMBIGUOUS_ZONES))})\b)?"
)
_SEPARATOR = re.compile(r"^[ \t]*(?:[-–—:|][ \t]*)?")
_DATE_LINE = re.compile(
    r"^(?:date[ \t]*:[ \t]*)?(\d{4}-\d{2}-\d{2})[ \t:]*(?:\((.*)\))?[ \t:.]*$", re.IGNORECASE
)
_EXPLICIT_KIND = re.compile(r"^\[([^\]]{1,40})\](?!\()[ \t]*")


def _clean_zone(zone: str) -> str:
    zone = zone.strip().strip("()")
    if re.fullmatch(r"[+-]\d{4}", zone):
        return f"{zone[:3]}:{zone[3:]}"
    return zone


def resolve_time(
    state: ParseState, stamp: re.Match[str], *, line: int, day: date | None = None
) -> datetime:
    """A UTC datetime from a matched stamp, using the timeline's date and UTC context."""
    raw_date = stamp.group("date")
    time_text = stamp.group("time")
    if len(time_text.split(":")[0]) == 1:
        time_text = "0" + time_text
    zone = _clean_zone(stamp.group("zone") or "")
    if zone in _AMBIGUOUS_ZONES:
        raise ValidationProblem(
            f"The timezone abbreviation {zone!r} is ambiguous; write an offset such as "
            "-08:00, a zone name such as America/Los_Angeles, or UTC.",
            field="timeline.at",
            line=line,
        )
    if not zone and not state.utc_declared:
        raise ValidationProblem(
            f"The time {stamp.group().strip()!r} has no timezone. Add UTC (or an offset "
            "such as +02:00) to it, or declare all times UTC in the heading: "
            "'## Timeline (all times UTC)'.",
            field="timeline.at",
            line=line,
        )
    started = state.doc.started_at
    base = day or state.timeline_date or (started.date() if started is not None else None)
    if raw_date:
        base = parse_date(raw_date, field="timeline.at")
    elif base is None:
        raise ValidationProblem(
            f"The time {time_text!r} has no date: write the full date and time, add a "
            "'Date: YYYY-MM-DD' line under the title, a date line in the timeline, or "
            "'started_at' to the front matter.",
            field="timeline.at",
            line=line,
        )
    else:
        base += timedelta(days=state.day_offset)
    if zone.startswith(("+", "-")) or zone == "Z":
        moment = parse_utc(f"{base.isoformat()}T{time_text}{zone}", field="timeline.at")
    else:
        moment = parse_utc(f"{base.isoformat()} {time_text} {zone or 'UTC'}", field="timeline.at")
    timeline = state.doc.timeline
    if not raw_date and timeline and moment < timeline[-1].at - timedelta(hours=12):
        # "23:50 ... 00:10" in a list under one date: the second time is the next day.
        state.day_offset += 1
        moment += timedelta(days=1)
    return moment


def _text_and_kind(text: str) -> tuple[str, EventKind]:
    explicit = _EXPLICIT_KIND.match(text)
    if explicit is not None:
        kind = parse_kind(explicit.group(1))
        return text[explicit.end() :], kind
    return text, infer_kind(text)


def _add(state: ParseState, entry: TimelineEntry, line: int) -> None:
    state.append(state.doc.timeline, entry, field="timeline", limit=MAX_TIMELINE_ENTRIES, line=line)


def _read_row_time(state: ParseState, cells: dict[str, str], line: int) -> datetime:
    raw = cells.get("time", "").strip()
    day = None
    if cells.get("date", "").strip():
        day = parse_date(cells["date"], field="timeline.at")
    stamp = _STAMP.match(raw)
    if not raw or stamp is None or raw[stamp.end() :].strip():
        if not raw:
            raise ValidationProblem("This timeline row has no time.", line=line)
        try:
            return parse_utc(raw, field="timeline.at")
        except ValidationProblem as problem:
            raise ValidationProblem(problem.message, field="timeline.at", line=line) from None
    return resolve_time(state, stamp, line=line, day=day)


def _read_table(state: ParseState, block: Block) -> None:
    table = read_table(block, COLUMNS)
    if any(UTC_DECLARATION.search(normalise_name(header)[1]) for header in table.headers):
        state.utc_declared = True
    if "time" not in table.keys or "text" not in table.keys:
        raise ValidationProblem(
            "A timeline table needs a 'Time (UTC)' column and an 'Event' column.",
            line=table.line,
        )
    for row in table.rows:
        with state.problems.guard(row.line):
            at = _read_row_time(state, row.cells, row.line)
            text = row.cells.get("text", "")
            for header, value in row.extra:
                text += f"\n{header}: {value}"
            raw_kind = row.cells.get("kind", "").strip()
            if read_optional(raw_kind) is None:
                text, kind = _text_and_kind(text)
            else:
                kind = parse_kind(raw_kind)
            author = read_optional(row.cells.get("author", "").strip())
            evidence = read_optional(row.cells.get("evidence", "").strip())
            evidence_url = None
            if evidence is not None:
                link = parse_link(evidence)
                if link is None:
                    raise ValidationProblem(
                        f"The evidence {evidence[:60]!r} is not a link; write <https://...>.",
                        line=row.line,
                    )
                evidence_url = clean_url(link[1], field="timeline.evidence_url")
            entry = TimelineEntry(
                at=at,
                kind=kind,
                text=clean_text(text, field="timeline.text", limit=MAX_SHORT_TEXT, required=True),
                author=None if author is None else clean_person(author, field="timeline.author"),
                evidence_url=evidence_url,
            )
            _add(state, entry, row.line)


def _read_entry(state: ParseState, text: str, line: int) -> bool:
    """A list item or line such as ``14:02 UTC - Alert fired``; False if it has no time."""
    stamp = _STAMP.match(text)
    if stamp is None:
        return False
    with state.problems.guard(line):
        at = resolve_time(state, stamp, line=line)
        rest = _SEPARATOR.sub("", text[stamp.end() :], count=1)
        rest, kind = _text_and_kind(rest)
        entry = TimelineEntry(
            at=at,
            kind=kind,
            text=clean_text(rest, field="timeline.text", limit=MAX_SHORT_TEXT, required=True),
        )
        _add(state, entry, line)
    return True


def _date_line(state: ParseState, text: str) -> bool:
    plain = re.sub(r"^#+[ \t]*|[*_]", "", text.strip())
    match = _DATE_LINE.match(plain.strip())
    if match is None:
        return False
    state.timeline_date = parse_date(match.group(1), field="timeline.date")
    state.day_offset = 0
    if match.group(2) and UTC_DECLARATION.search(match.group(2)):
        state.utc_declared = True
    return True


def declares_utc(lines: Sequence[Line]) -> bool:
    return any(not line.fenced and UTC_NOTE.match(line.text) for line in lines)


def read_timeline(state: ParseState, heading_line: Line, heading: str, lines: list[Line]) -> None:
    _, note = normalise_name(heading)
    if UTC_DECLARATION.search(note) or declares_utc(lines):
        state.utc_declared = True
    for block in split_blocks(lines):
        if block.kind == "table":
            with state.problems.guard(block.line):
                _read_table(state, block)
        elif block.kind == "item" and block.item is not None:
            text = unescape_strict(block.item.text)
            if not _read_entry(state, text, block.line):
                state.stray(heading_line.text, block.lines)
        else:
            leftover = []
            for line in block.lines:
                with state.problems.guard(line.number):
                    if _date_line(state, line.text) or _read_entry(state, line.text, line.number):
                        continue
                    if UTC_NOTE.match(line.text):
                        continue
                    leftover.append(line)
            state.stray(heading_line.text, leftover)
