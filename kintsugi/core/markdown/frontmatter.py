"""The YAML front matter, and the same facts written as "Key: value" lines.

The front matter holds what identifies and classifies the incident (id, title, severity,
status, times, team, services, regions, authors). Variants put some of it in lines under
the title ("Date: 2015-10-21", "Authors: jennifer, martym"); both go through
:func:`set_meta`, so the same rules and messages apply. The front matter wins when both
give a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from kintsugi.core.document import MAX_LIST_ITEMS
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.fields import (
    clean_person,
    clean_region,
    clean_slug,
    clean_title,
    parse_postmortem_status,
    parse_severity,
)
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.timeparse import ensure_utc, parse_date, parse_utc

KEYS = (
    "id",
    "title",
    "severity",
    "status",
    "started_at",
    "ended_at",
    "team",
    "teams",
    "services",
    "regions",
    "authors",
    "date",
)


@dataclass
class FrontMatter:
    values: dict[str, Any]
    lines: dict[str, int]
    end: int  # index of the first line after the closing ---


def read_front_matter(lines: list[str]) -> FrontMatter | None:
    """The block between a first line ``---`` and the next ``---`` (or ``...``) line."""
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
        None,
    )
    if end is None:
        raise ValidationProblem(
            "The front matter that starts on line 1 is never closed; end it with a line "
            "containing only ---.",
            line=1,
        )
    text = "\n".join(lines[1:end])
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        raise ValidationProblem(
            f"The front matter is not valid YAML: {problem}.",
            line=(mark.line + 2) if mark is not None else 1,
        ) from None
    except yaml.YAMLError as error:
        raise ValidationProblem(f"The front matter is not valid YAML: {error}.", line=1) from None
    finally:
        loader.dispose()
    if node is None:
        return FrontMatter(values={}, lines={}, end=end + 1)
    if not isinstance(node, yaml.MappingNode) or not isinstance(values, dict):
        raise ValidationProblem(
            "The front matter must be 'key: value' lines, such as 'severity: SEV2'.", line=2
        )
    key_lines: dict[str, int] = {}
    for key_node, _ in node.value:
        line = key_node.start_mark.line + 2
        key = str(key_node.value)
        if key in key_lines:
            raise ValidationProblem(
                f"The front matter gives {key!r} twice (lines {key_lines[key]} and {line}).",
                line=line,
            )
        key_lines[key] = line
    return FrontMatter(values={str(k): v for k, v in values.items()}, lines=key_lines, end=end + 1)


def _text(value: object, key: str) -> str:
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
        names = [_text(item, key) for item in value]
    else:
        names = [part for part in _text(value, key).split(",")]
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
    return parse_utc(_text(value, key), field=key)


def set_meta(state: ParseState, key: str, value: object, line: int, *, override: bool) -> None:
    """Store one fact; ``override`` is False for "Key: value" lines, which only fill gaps."""
    if not override and key in state.meta_lines:
        return
    state.meta_lines[key] = line
    doc = state.doc
    with state.problems.guard(line):
        if key == "id":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | str)):
                raise ValidationProblem("'id' must be a whole number.", field="id")
            if value is not None and not str(value).strip().isdigit():
                raise ValidationProblem(f"'id' must be a whole number, not {value!r}.", field="id")
            doc.id = None if value is None else int(str(value).strip())
        elif key == "title":
            doc.title = clean_title(_text(value, key), field="title")
        elif key == "severity":
            doc.severity = parse_severity(_text(value, key), field="severity")
        elif key == "status":
            doc.status = parse_postmortem_status(_text(value, key), field="status")
        elif key in ("started_at", "ended_at"):
            setattr(doc, key, _moment(value, key))
        elif key in ("team", "teams"):
            teams = _names(value, key)
            if len(teams) > 1:
                raise ValidationProblem(
                    "A post-mortem belongs to one team; list the others' services instead.",
                    field="team",
                )
            doc.team = clean_slug(teams[0], field="team") if teams else None
        elif key == "services":
            doc.services = [clean_slug(name, field="services") for name in _names(value, key)]
        elif key == "regions":
            doc.regions = [clean_region(name, field="regions") for name in _names(value, key)]
        elif key == "authors":
            doc.authors = [clean_person(name, field="authors") for name in _names(value, key)]
        elif key == "date":
            if isinstance(value, date) and not isinstance(value, datetime):
                state.timeline_date = value
            elif value is not None:
                state.timeline_date = parse_date(_text(value, key), field="date")


def apply_front_matter(state: ParseState, front: FrontMatter) -> None:
    for key, value in front.values.items():
        line = front.lines.get(key, 2)
        if key not in KEYS:
            state.problems.add(
                f"Unknown front matter key {key!r}; the keys are: {', '.join(KEYS)}.",
                line=line,
                field=key,
            )
            continue
        set_meta(state, key, value, line, override=True)
