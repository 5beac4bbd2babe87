"""Timeline tables: our own, and the tables teams write, whose time column is named for
what it holds ("When", "Timestamp"), for its zone ("Time (PDT)", "PST", "Date and Time in
CET"), or only holds times, and whose event column has any reasonable name."""

from __future__ import annotations

import re
from datetime import date, datetime

from kintsugi.core.document import MAX_SHORT_TEXT, TimelineEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Block, Line
from kintsugi.core.markdown.clock import Stamp, read_stamp
from kintsugi.core.markdown.escaping import read_optional
from kintsugi.core.markdown.fields import clean_person, clean_text, clean_url
from kintsugi.core.markdown.headings import normalise_name
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.tables import Row, Table, read_table
from kintsugi.core.markdown.timeline_clock import assume_once, note_zone, place
from kintsugi.core.markdown.timeline_dates import DATE_RE, read_date
from kintsugi.core.markdown.timeline_entries import (
    UTC_DECLARATION,
    add_entry,
    known_zone,
    refuse_or_keep,
    text_and_kind,
)
from kintsugi.core.markdown.zones import Zone, lookup_zone
from kintsugi.core.timeline import parse_kind
from kintsugi.core.timeparse import parse_utc

COLUMNS: dict[str, tuple[str, ...]] = {
    "time": tuple(
        [
            "time",
            "time utc",
            "timestamp",
            "timestamps",
            "when",
            "date/time",
            "date time",
            "date and time",
            "datetime",
            "time/date",
            "local time",
            "start",
            "start time",
        ]
    ),
    "date": ("date", "day"),
    "kind": ("kind", "type", "event type", "category"),
    "text": tuple(
        [
            "event",
            "events",
            "description",
            "what happened",
            "details",
            "detail",
            "text",
            "activity",
            "summary",
            "action",
            "actions",
            "action taken",
            "notes",
            "note",
            "update",
            "message",
            "comment",
            "comments",
            "what",
        ]
    ),
    "author": ("author", "who", "by", "actor", "person", "owner", "responder"),
    "evidence": ("evidence", "link", "links", "source", "evidence link"),
}


def _whole_stamp(state: ParseState, raw: str) -> Stamp | None:
    """A stamp that is the whole cell (decorations aside), else None."""
    stamp = read_stamp(raw, known_zone=known_zone(state), loose=not state.strict)
    if stamp is None or raw[stamp.end :].strip(" \t*_`"):
        return None
    return stamp


def _read_row_time(
    state: ParseState, cells: dict[str, str], line: int, table_zone: Zone | None
) -> datetime:
    raw = cells.get("time", "").strip()
    day: date | None = None
    if cells.get("date", "").strip():
        day = _row_date(state, cells["date"], line)
    if not raw:
        raise ValidationProblem("This timeline row has no time.", line=line)
    stamp = _whole_stamp(state, raw)
    if stamp is None:
        try:
            return parse_utc(raw, field="timeline.at")
        except ValidationProblem as problem:
            raise ValidationProblem(problem.message, field="timeline.at", line=line) from None
    return place(state, stamp, line=line, day=day, table_zone=table_zone)


def _row_date(state: ParseState, raw: str, line: int) -> date:
    match = DATE_RE.fullmatch(raw.strip().strip("*_`"))
    day = read_date(match.group(0), state.dates) if match is not None else None
    for key, message in state.dates.notes:
        assume_once(state, f"date:{key}", message, line)
    state.dates.notes = []
    if day is None:
        raise ValidationProblem(
            f"{raw.strip()!r} is not a date; write it as YYYY-MM-DD.",
            field="timeline.at",
            line=line,
        )
    return day


def _holds_times(state: ParseState, table: Table, header: str) -> bool:
    values = [value for row in table.rows for name, value in row.extra if name == header]
    if not values:
        return False
    return sum(_whole_stamp(state, value) is not None for value in values) * 2 >= len(values)


def read_timeline_table(state: ParseState, heading_text: str, block: Block) -> None:
    table = read_table(block, COLUMNS)
    if any(UTC_DECLARATION.search(normalise_name(header)[1]) for header in table.headers):
        state.utc_declared = True
    table, table_zone = _remap(state, block, table)
    if "time" not in table.keys or "text" not in table.keys:
        raise ValidationProblem(
            "A timeline table needs a 'Time (UTC)' column and an 'Event' column.",
            line=table.line,
        )
    by_line = {line.number: line for line in block.lines}
    for row in table.rows:
        lines = [by_line[row.line]]
        try:
            _read_row(state, row, table_zone, heading_text, lines)
        except ValidationProblem as problem:
            refuse_or_keep(state, problem, heading_text, lines)


def _header_zone(state: ParseState, header: str) -> tuple[bool, Zone | None]:
    """(is it a time column, the zone it is named for): "Time (PDT)", "PST", "Time UTC+2",
    "Date and Time in CET"."""
    plain, note = normalise_name(header)
    zone = note_zone(note, state.zone_definitions) if note else None
    if plain in COLUMNS["time"]:
        return True, zone
    alone = lookup_zone(plain, state.zone_definitions)
    if alone is not None:
        return True, alone
    suffix = _ZONE_SUFFIX.match(plain)
    if suffix is not None and suffix.group("name") in COLUMNS["time"]:
        named = lookup_zone(suffix.group("zone"), state.zone_definitions)
        if named is not None:
            return True, zone or named
    return False, zone


_ZONE_SUFFIX = re.compile(r"^(?P<name>.+?)[ \t]+(?:in[ \t]+)?(?P<zone>[\w/+:-]+(?: time)?)$")


def _remap(state: ParseState, block: Block, table: Table) -> tuple[Table, Zone | None]:
    """Find the time column (named for what it holds, for its zone, or holding times) and
    the text column (named for it, else the longest remaining one)."""
    keys = list(table.keys)
    zone = None
    for index, header in enumerate(table.headers):
        if keys[index] not in ("", "time"):
            continue
        is_time, named = _header_zone(state, header)
        if keys[index] == "time" or ("time" not in keys and is_time):
            keys[index], zone = "time", named
            break
    if "time" not in keys:
        for index, header in enumerate(table.headers):
            if not keys[index] and _holds_times(state, table, header):
                keys[index] = "time"
                break
    if "text" not in keys and "time" in keys:
        lengths = {
            index: sum(
                len(value) for row in table.rows for name, value in row.extra if name == header
            )
            for index, header in enumerate(table.headers)
            if not keys[index]
        }
        if lengths:
            keys[max(lengths, key=lambda index: lengths[index])] = "text"
    if keys == table.keys:
        return table, zone
    synonyms: dict[str, tuple[str, ...]] = {}
    for header, key in zip(table.headers, keys, strict=True):
        if key:
            synonyms[key] = (*synonyms.get(key, ()), normalise_name(header)[0])
    return read_table(block, synonyms), zone


def _read_row(
    state: ParseState, row: Row, table_zone: Zone | None, heading_text: str, lines: list[Line]
) -> None:
    at = _read_row_time(state, row.cells, row.line, table_zone)
    text = row.cells.get("text", "")
    for header, value in row.extra:
        text += f"\n{header}: {value}"
    raw_kind = row.cells.get("kind", "").strip()
    if read_optional(raw_kind) is None:
        text, kind = text_and_kind(state, text)
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
    add_entry(state, entry, heading_text, lines)
