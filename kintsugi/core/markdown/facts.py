"""One fact of the header (severity, status, authors...) from a front matter key or a
"Key: value" line under the title, read the same way wherever it was written.

Strict mode (our own files, ``--strict``) takes only our own spelling of each value and
refuses the rest. Best effort reads the words of other tools through the tables of
values.py and says so in the report; a value it cannot read at all is kept in the source
metadata under the key it was written with, never dropped and never guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import yaml

from kintsugi.core.document import MAX_LIST_ITEMS, MAX_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line, is_blank
from kintsugi.core.markdown.fields import (
    SLUG_PATTERN,
    clean_person,
    clean_region,
    clean_revision,
    clean_slug,
    clean_text,
    clean_title,
)
from kintsugi.core.markdown.headings import meta_key
from kintsugi.core.markdown.report import NoteKind
from kintsugi.core.markdown.source_meta import (
    MAX_SOURCE_METADATA,
    check_source_metadata,
    json_safe,
)
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.values import (
    parse_postmortem_status,
    parse_severity,
    read_severity,
    read_status,
    word_key,
)
from kintsugi.core.timeparse import ensure_utc, parse_date, parse_utc
from kintsugi.core.vocabulary import Severity

_TRUE = ("true", "yes", "y", "on", "1")
_FALSE = ("false", "no", "n", "off", "0")
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")
# Where a status word ends: "Complete, action items in progress", "Final<br> Owners: x".
_FIRST_PART = re.compile(r"[;(,]|<br\s*/?>|\.\s| - | — | – ", re.IGNORECASE)


class Unread(ValidationProblem):
    """A value best effort cannot read: kept in the source metadata, with a note of ``kind``."""

    def __init__(self, message: str, *, kind: NoteKind = "kept", field: str | None = None):
        super().__init__(message, field=field)
        self.kind: NoteKind = kind


def keep_in_metadata(state: ParseState, key: str, value: object) -> None:
    """In the source metadata while it stays within its limit; beyond, as YAML text in the
    appendix (an import must not fail on the size of a key it does not use)."""
    safe = json_safe(value)
    metadata = {**state.doc.source_metadata, key: safe}
    if len(json.dumps(metadata, ensure_ascii=False)) <= MAX_SOURCE_METADATA:
        state.doc.source_metadata[key] = safe
        return
    dumped = yaml.safe_dump({key: safe}, allow_unicode=True, sort_keys=False, width=1_000_000)
    state.appendix.append(dumped.rstrip("\n"))


def text_of(value: object, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationProblem(f"'{key}' must be text.", field=key)
    return str(value)


def _names(value: object, key: str) -> list[str]:
    """A YAML list, or text with comma-separated names."""
    if value is None:
        return []
    if isinstance(value, list):
        names = [text_of(item, key) for item in value]
    else:
        names = text_of(value, key).split(",")
    names = [name.strip() for name in names if name.strip()]
    if len(names) > MAX_LIST_ITEMS:
        raise ValidationProblem(
            f"Too many {key}: {len(names)}; the limit is {MAX_LIST_ITEMS}.", field=key
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValidationProblem(f"{key.capitalize()} lists {duplicates[0]!r} twice.", field=key)
    return names


def _moment(value: object, key: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationProblem(
                f"'{key}' has no timezone; write it like 2026-03-01T14:02:00Z.", field=key
            )
        return ensure_utc(value)
    if isinstance(value, date):
        raise ValidationProblem(
            f"'{key}' needs a time of day as well, such as {value.isoformat()}T14:02:00Z.",
            field=key,
        )
    return parse_utc(text_of(value, key), field=key)


def _whole_number(value: object, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationProblem(f"'{key}' must be a whole number.", field=key)
    if not str(value).strip().isdigit():
        raise ValidationProblem(f"'{key}' must be a whole number, not {value!r}.", field=key)
    return int(str(value).strip())


def _slug(state: ParseState, name: str, key: str, line: int) -> str:
    """A slug as written, or (best effort) the slug of a name such as "Platform Team"."""
    if state.strict or SLUG_PATTERN.fullmatch(name.strip()):
        return clean_slug(name, field=key)
    slug = re.sub(r"[^\w]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise ValidationProblem(f"{name!r} is not a valid {key} name.", field=key)
    state.assume(f"The {key} {name!r} is read as the slug {slug!r}.", line=line, field=key)
    return clean_slug(slug, field=key)


def _severity(state: ParseState, value: object, line: int, written: str) -> Severity:
    word = text_of(value, "severity")
    if state.strict:
        return parse_severity(word, field="severity")
    reading = read_severity(word)
    if reading is None:
        raise Unread(
            f"Severity {word!r} was not read: it is in no severity table. The post-mortem "
            f"stays {Severity.SEV3.value} until a person sets it",
            kind="attention",
            field="severity",
        )
    if not reading.exact:
        state.assume(
            f"Severity {word!r} is read as {reading.value.value} (the severity table of "
            "docs/markdown-format.md).",
            line=line,
            field="severity",
        )
    return reading.value


def _status(state: ParseState, value: object, line: int, written: str) -> None:
    """ "Complete, action items in progress": the status is the first word; the whole value
    is kept in the source metadata whenever it says more than our own word."""
    text = text_of(value, "status").strip()
    word = _FIRST_PART.split(text, maxsplit=1)[0].strip()
    if state.strict:
        state.doc.status = parse_postmortem_status(word, field="status")
        return
    reading = read_status(word)
    state.doc.status = reading.value
    if not reading.exact or word != text:
        state.doc.source_metadata[written] = json_safe(value)
    if not reading.exact:
        state.assume(
            f"Status {word!r} is kept in the source metadata; imported as a draft so it is "
            "reviewed before it is published.",
            line=line,
            field="status",
        )


def _restricted(state: ParseState, value: object, line: int) -> bool:
    """A restricted post-mortem must never come back visible to everyone: a value that
    cannot be read makes it restricted (and a person is asked to check)."""
    if isinstance(value, bool):
        return value
    if state.strict:
        raise ValidationProblem("'restricted' must be true or false.", field="restricted")
    key = word_key(value)
    if key in _TRUE or key in _FALSE:
        state.assume(
            f"'restricted: {value}' is read as {key in _TRUE}.", line=line, field="restricted"
        )
        return key in _TRUE
    state.attention(
        f"'restricted: {value}' is neither true nor false; the post-mortem is imported as "
        "restricted until a person decides.",
        line=line,
        field="restricted",
    )
    return True


def _incident_date(state: ParseState, value: object, line: int, written: str) -> None:
    """The day of the incident; a time with a zone is also its start (best effort)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        state.timeline_date = value
        return
    if state.strict:
        state.timeline_date = parse_date(text_of(value, "date"), field="date")
        return
    moment: datetime | None = value if isinstance(value, datetime) else None
    if moment is None:
        text = text_of(value, "date").strip()
        try:
            state.timeline_date = parse_date(text, field="date")
            return
        except ValidationProblem:
            pass
        try:
            moment = parse_utc(text, field="date")
        except ValidationProblem:
            leading = _LEADING_DATE.match(text)
            if leading is None:
                raise
            state.timeline_date = parse_date(leading.group(1), field="date")
            state.doc.source_metadata[written] = text
            state.assume(
                f"'{written}: {text}' has no zone: only its day is used; the value is kept in "
                "the source metadata.",
                line=line,
                field="date",
            )
            return
    if moment.tzinfo is None:
        state.timeline_date = moment.date()
        state.doc.source_metadata[written] = moment.isoformat()
        state.assume(
            f"'{written}: {moment.isoformat()}' has no zone: only its day is used; the value "
            "is kept in the source metadata.",
            line=line,
            field="date",
        )
        return
    state.timeline_date = moment.date()
    if state.doc.started_at is None and "started_at" not in state.meta_lines:
        state.doc.started_at = ensure_utc(moment)
        state.assume(
            f"'{written}: {moment.isoformat()}' is read as the incident start "
            f"({ensure_utc(moment).isoformat().replace('+00:00', 'Z')}); a site's date is "
            "often when the page was published, so check it.",
            line=line,
            field="started_at",
        )


# Every setter takes the same arguments so that one table can name them all: the key as
# this module knows it, the value, the line it came from and the key as it was written.
Setter = Callable[[ParseState, str, Any, int, str], None]


def _set_whole_number(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    setattr(state.doc, key, _whole_number(value, key))


def _set_revision(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.revision = clean_revision(text_of(value, key), field="revision")


def _set_title(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.title = clean_title(text_of(value, key), field="title")


def _set_severity(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.severity = _severity(state, value, line, written)


def _set_status(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    _status(state, value, line, written)


def _set_moment(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    setattr(state.doc, key, _moment(value, key))


def _set_team(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    teams = _names(value, key)
    if len(teams) > 1:
        raise ValidationProblem(
            "A post-mortem belongs to one team; list the others' services instead.",
            field="team",
        )
    state.doc.team = _slug(state, teams[0], "team", line) if teams else None


def _set_services(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.services = [_slug(state, name, "services", line) for name in _names(value, key)]


def _set_regions(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.regions = [clean_region(name, field="regions") for name in _names(value, key)]


def _set_people(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    setattr(state.doc, key, [clean_person(name, field=key) for name in _names(value, key)])


def _set_restricted(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.doc.restricted = _restricted(state, value, line)


def _set_date(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    _incident_date(state, value, line, written)


def _set_source_metadata(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    # What the file keeps under source_metadata yields to keys already kept from this file.
    kept = check_source_metadata(json_safe(value or {}), field="source_metadata")
    state.doc.source_metadata = {**kept, **state.doc.source_metadata}


def _set_text(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    state.add_text(key, clean_text(text_of(value, written), field=key, limit=MAX_TEXT))


_SETTERS: dict[str, Setter] = {
    "id": _set_whole_number,
    "version": _set_whole_number,
    "revision": _set_revision,
    "title": _set_title,
    "severity": _set_severity,
    "status": _set_status,
    "started_at": _set_moment,
    "ended_at": _set_moment,
    "team": _set_team,
    "teams": _set_team,
    "services": _set_services,
    "regions": _set_regions,
    "authors": _set_people,
    "members": _set_people,
    "restricted": _set_restricted,
    "date": _set_date,
    "source_metadata": _set_source_metadata,
    "summary": _set_text,
    "impact": _set_text,
}


def _set(state: ParseState, key: str, value: Any, line: int, written: str) -> None:
    """Store one fact through its setter; a key with none is not a header fact (ignored)."""
    setter = _SETTERS.get(key)
    if setter is not None:
        setter(state, key, value, line, written)


def set_meta(
    state: ParseState,
    key: str,
    value: object,
    line: int,
    *,
    override: bool,
    written: str | None = None,
) -> None:
    """Store one fact; ``override`` is False for "Key: value" lines, which only fill gaps.

    ``written`` is the key as the file spelled it (``author`` for ``authors``): a value
    that best effort cannot read is kept in the source metadata under that name.
    """
    if not override and key in state.meta_lines:
        return
    state.meta_lines[key] = line
    written = written or key
    try:
        _set(state, key, value, line, written)
    except ValidationProblem as problem:
        if state.strict:
            state.problems.record(problem, line=line)
            return
        kind: NoteKind = problem.kind if isinstance(problem, Unread) else "kept"
        keep_in_metadata(state, written, value)
        message = problem.message.rstrip(".")
        state.report.add(
            kind,
            f"{message}; '{written}' is kept in the source metadata as written.",
            line=line,
            field=problem.field or key,
        )


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def read_fact_section(state: ParseState, title: str, lines: list[Line]) -> bool:
    """Best effort: a section named like a fact ("## Severity" over "**Critical** - most
    customers affected") gives that fact from its first line, or from its list items
    ("## Authors" over a list). True when the body was only the value (nothing else to
    keep); otherwise the caller keeps the section's text as well. Strict mode reads no
    such section (our format writes facts in the front matter)."""
    key = meta_key(title)
    if state.strict or key is None or key == "title":
        return False
    body = _fact_body(lines)
    if not body:
        return False
    value, consumed = _fact_value(key, body)
    if not value:
        return False
    set_meta(state, key, value, body[0].number, override=False, written=key)
    return consumed


def _fact_body(lines: list[Line]) -> list[Line]:
    """The section's non-blank lines; none when any is fenced (code is not a value)."""
    body = [line for line in lines if not is_blank(line.text) and not line.fenced]
    blank = sum(1 for line in lines if is_blank(line.text))
    return body if len(body) == len(lines) - blank else []


def _fact_value(key: str, body: list[Line]) -> tuple[str, bool]:
    """The value a fact section gives, and whether that value is all the section says."""
    items = [_LIST_ITEM.match(line.text) for line in body]
    if len(body) > 1 and all(items):
        return ", ".join(_bare(match.group(1)) for match in items if match), True
    value = _bare(items[0].group(1) if items[0] else body[0].text)
    # A status keeps its whole line in the source metadata; other facts are one value.
    return value, len(body) == 1 and (key == "status" or len(value.split()) <= 4)


def _bare(text: str) -> str:
    return re.sub(r"[*_`]+", "", text).strip()
