"""The front matter: our YAML block, and the YAML or TOML blocks of static-site generators.

Our keys (:data:`KEYS`) hold what identifies and classifies the incident. Hugo, Jekyll,
MkDocs, Docusaurus and Astro pages carry their own keys; best effort reads those that mean
one of our facts through :data:`KEY_ALIASES` (``author`` -> authors, ``description`` ->
summary...) with a note, and keeps every other key verbatim in the source metadata with
one note listing them. Strict mode refuses any key that is not ours.

A block that cannot be read at all (invalid YAML or TOML) is kept as text in the source
metadata under ``front_matter`` in best effort, and the rest of the document is read.
Variants also put facts in lines under the title ("Date: 2015-10-21"); those go through
the same :func:`set_meta`, and the front matter wins when both give a value.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.facts import keep_in_metadata, set_meta
from kintsugi.core.markdown.source_meta import MAX_SOURCE_METADATA
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.values import read_severity, word_key

__all__ = [
    "KEYS",
    "KEY_ALIASES",
    "FrontMatter",
    "apply_front_matter",
    "read_front_matter",
    "set_meta",
]

KEYS = (
    "id",
    "version",
    "revision",
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
    "restricted",
    "members",
    "date",
    "source_metadata",
)

_ALIAS_NAMES: dict[str, tuple[str, ...]] = {
    "authors": ("author", "by", "written by", "created by", "postmortem author"),
    "summary": ("description", "summary", "excerpt", "abstract", "tldr", "tl;dr", "subtitle"),
    "impact": ("impact", "customer impact", "user impact"),
    "severity": (
        "sev",
        "priority",
        "impact level",
        "incident severity",
        "incident level",
        "incident priority",
    ),
    "status": ("postmortem status", "post mortem status", "report status"),
    "date": ("incident date", "date of incident", "outage date"),
    "started_at": ("start", "started", "start time", "incident start", "outage start", "began"),
    "ended_at": ("end", "ended", "end time", "incident end", "outage end", "resolved at"),
    "team": ("owning team",),
    "services": (
        "service",
        "affected services",
        "services affected",
        "affected service",
        "affected systems",
        "affectedsystems",
        "components",
        "affected components",
    ),
    "regions": ("region", "affected regions"),
    "members": ("visible to",),
}
# Keys other tools write for one of our facts, compared ignoring case, spaces, _ and -;
# our own keys spelled another way ("Title", "started-at") are here too.
KEY_ALIASES: dict[str, str] = {
    **{word_key(key): key for key in KEYS},
    **{name: target for target, names in _ALIAS_NAMES.items() for name in names},
}
# Facts written as text join others of their kind instead of competing with them.
_TEXT_TARGETS = ("summary", "impact")
# List keys that may name the severity among other words ("tags: [outage, sev1]").
TAG_KEYS = ("tags", "categories", "labels", "keywords")
# The comment lines of a block, kept as one text under this source metadata key.
COMMENTS_KEY = "front_matter_comments"
_SEVERITY_TAG = re.compile(r"(?:sev|severity)[ _-]?[0-5]", re.IGNORECASE)
_LABELS = {
    "started_at": "the incident start",
    "ended_at": "the incident end",
    "date": "the incident date",
}


@dataclass
class FrontMatter:
    values: dict[str, Any]
    lines: dict[str, int]
    end: int  # index of the first line after the closing fence (0: no block after all)
    raw: str | None = None  # the block's text, when it could not be read
    error: ValidationProblem | None = None  # why it could not be read (best effort only)
    comments: tuple[str, ...] = ()  # "# ..." lines: an archetype's explanations, kept


_FENCES = {"---": ("---", "..."), "+++": ("+++",)}


def read_front_matter(lines: list[str], *, strict: bool = True) -> FrontMatter | None:
    """The block between a first line ``---`` (YAML) or ``+++`` (TOML) and its closing line.

    Strict mode raises for a block it cannot read; best effort returns it with ``error``
    set, and an unclosed block as no block at all (``end`` 0: the line is text).
    """
    if not lines or lines[0].rstrip() not in _FENCES:
        return None
    opening = lines[0].rstrip()
    closing = _FENCES[opening]
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() in closing), None)
    if end is None:
        problem = ValidationProblem(
            f"The front matter that starts on line 1 is never closed; end it with a line "
            f"containing only {opening}.",
            line=1,
        )
        if strict:
            raise problem
        return FrontMatter(values={}, lines={}, end=0, error=problem)
    text = "\n".join(lines[1:end])
    try:
        values, key_lines = _toml(text) if opening == "+++" else _yaml(text)
    except ValidationProblem as problem:
        if strict:
            raise
        return FrontMatter(values={}, lines={}, end=end + 1, raw=text, error=problem)
    comments = _comment_lines(lines[1:end], toml=opening == "+++")
    return FrontMatter(values=values, lines=key_lines, end=end + 1, comments=comments)


def _comment_lines(block: list[str], *, toml: bool) -> tuple[str, ...]:
    """The "# ..." lines of a block that are comments, not a line of a value that spans
    lines (a quoted or block scalar whose next line starts with '#'): the YAML scanner
    says where each value runs, so those lines are left out."""
    inside: set[int] = set()
    if not toml:
        try:
            for token in yaml.scan("\n".join(block), Loader=yaml.SafeLoader):
                first, last = token.start_mark.line, token.end_mark.line
                if last > first:
                    inside.update(range(first + 1, last + 1))
        except yaml.YAMLError:
            pass  # already read without error above; a scanner complaint changes nothing
    return tuple(
        line.strip()
        for number, line in enumerate(block)
        if number not in inside and line.lstrip().startswith("#")
    )


def _yaml(text: str) -> tuple[dict[str, Any], dict[str, int]]:
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
        return {}, {}
    if not isinstance(node, yaml.MappingNode) or not isinstance(values, dict):
        raise ValidationProblem(
            "The front matter must be 'key: value' lines, such as 'severity: SEV2'.", line=2
        )
    return {str(k): v for k, v in values.items()}, _key_lines(node)


def _key_lines(node: yaml.MappingNode) -> dict[str, int]:
    """Each key's line in the file (the block starts on line 2); a key given twice is
    refused, since YAML would silently keep only the last value."""
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
    return key_lines


def _toml(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Hugo's ``+++`` block. tomllib gives no positions: a key's line is the first line
    that assigns it."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationProblem(f"The front matter is not valid TOML: {error}.", line=1) from None
    key_lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=2):
        found = re.match(r"\s*([\"']?)([^\"'=\s]+)\1\s*=", line)
        if found is not None and found.group(2) in values:
            key_lines.setdefault(found.group(2), number)
    return values, key_lines


def apply_front_matter(state: ParseState, front: FrontMatter) -> None:
    """Store what the front matter says: our keys, the keys of other tools that mean one of
    ours (best effort), and every other key kept in the source metadata with one note."""
    if front.error is not None:
        _unreadable(state, front)
        return
    claimed = _own_facts(front)
    kept: dict[str, object] = {}
    for key, value in front.values.items():
        line = front.lines.get(key, 2)
        if key in KEYS:
            set_meta(state, key, value, line, override=True)
        elif state.strict:
            state.problems.add(
                f"Unknown front matter key {key!r}; the keys are: {', '.join(KEYS)}.",
                line=line,
                field=key,
            )
        elif not _read_alias(state, key, value, line, claimed):
            kept[key] = value
    if "severity" not in claimed:
        _severity_from_tags(state, front)
    if front.comments and not state.strict:
        kept[COMMENTS_KEY] = "\n".join(front.comments)
    _keep_unused(state, front, kept)


def _own_facts(front: FrontMatter) -> set[str]:
    """The facts our own keys give: another tool's key for the same fact is kept as written."""
    own = {key for key in front.values if key in KEYS}
    return own | {"team" for key in own if key == "teams"}


def _read_alias(state: ParseState, key: str, value: object, line: int, claimed: set[str]) -> bool:
    """Read another tool's key as the fact it means; False when it means none of ours, or
    one already given (except texts, which add up), so that it is kept as written."""
    target = KEY_ALIASES.get(word_key(key))
    if target is None or (target in claimed and target not in _TEXT_TARGETS):
        return False
    claimed.add(target)
    if word_key(key) != word_key(target):
        label = _LABELS.get(target, f"the {target.replace('_', ' ')}")
        state.assume(f"Front matter {key!r} is read as {label}.", line=line, field=target)
    set_meta(state, target, value, line, override=True, written=key)
    return True


def _keep_unused(state: ParseState, front: FrontMatter, kept: dict[str, object]) -> None:
    """Keep the keys Kintsugi does not use in the source metadata, with one note for all."""
    if not kept:
        return
    for key, value in kept.items():
        keep_in_metadata(state, key, value)
    names = ", ".join(kept)
    state.report.add(
        "kept",
        f"Front matter keys kept in the source metadata as written (Kintsugi does not "
        f"use them): {names}.",
        line=min(front.lines.get(key, 2) for key in kept),
        field="source_metadata",
    )


def _unreadable(state: ParseState, front: FrontMatter) -> None:
    assert front.error is not None
    if state.strict:  # read_front_matter raises in strict mode; kept for safety
        state.problems.record(front.error)
        return
    if front.raw is None:
        state.report.add(
            "assumption",
            f"{front.error.message} The line is read as part of the document.",
            line=1,
            field="front_matter",
        )
        return
    where = "the source metadata as 'front_matter'"
    if len(front.raw) <= MAX_SOURCE_METADATA // 2:
        state.doc.source_metadata["front_matter"] = front.raw
    else:  # too long to be metadata (a "---" line far below was not its end): text
        where = "the appendix"
        state.appendix.append(front.raw)
    state.report.add(
        "kept",
        f"{front.error.message.rstrip('.')} (line {front.error.line}); the whole block is "
        f"kept in {where}, and the rest of the document is read.",
        line=1,
        field="front_matter",
    )


def _severity_from_tags(state: ParseState, front: FrontMatter) -> None:
    """``tags: [outage, sev1]``: a tag that names a severity gives it (the tags stay in the
    source metadata as written)."""
    for key, value in front.values.items():
        if word_key(key) not in TAG_KEYS:
            continue
        items = value if isinstance(value, list) else str(value).split(",")
        for item in items:
            tag = str(item).strip()
            reading = read_severity(tag) if _SEVERITY_TAG.fullmatch(tag) else None
            if reading is not None:
                state.doc.severity = reading.value
                state.assume(
                    f"The {key} entry {tag!r} is read as severity {reading.value.value}.",
                    line=front.lines.get(key, 2),
                    field="severity",
                )
                return
