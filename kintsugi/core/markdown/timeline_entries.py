"""What every timeline reader shares: the UTC declarations, the kind of an entry, adding
an entry, and what happens to an entry that cannot be read (strict: refused; best effort:
kept verbatim with the reason, never dropped)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kintsugi.core.document import TimelineEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line
from kintsugi.core.markdown.kinds import infer_kind
from kintsugi.core.markdown.limits import MAX_TIMELINE_ENTRIES
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.zones import lookup_zone
from kintsugi.core.timeline import EventKind, parse_kind

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

_EXPLICIT_KIND = re.compile(r"^\[([^\]]{1,40})\](?!\()[ \t]*")


def text_and_kind(state: ParseState, text: str) -> tuple[str, EventKind]:
    explicit = _EXPLICIT_KIND.match(text)
    if explicit is not None:
        try:
            kind = parse_kind(explicit.group(1))
        except ValidationProblem:
            if state.strict:
                raise
            return text, infer_kind(text)  # "[Slack]": a label of the author's, kept as text
        return text[explicit.end() :], kind
    return text, infer_kind(text)


def add_entry(
    state: ParseState, entry: TimelineEntry, heading_text: str, lines: Sequence[Line]
) -> None:
    line = lines[0].number
    added = state.append(
        state.doc.timeline, entry, field="timeline", limit=MAX_TIMELINE_ENTRIES, line=line
    )
    if not added and not state.strict:
        state.stray(heading_text, lines)  # over the limit: the text stays, in the appendix


def known_zone(state: ParseState) -> Callable[[str], bool]:
    return lambda word: lookup_zone(word, state.zone_definitions) is not None


def refuse_or_keep(
    state: ParseState, problem: ValidationProblem, heading_text: str, lines: Sequence[Line]
) -> None:
    """Strict: the problem, on its line. Best effort: the entry's text, kept with the reason."""
    line = problem.line if problem.line is not None else lines[0].number
    if state.strict:
        state.problems.add(problem.message, line=line, field=problem.field)
        return
    state.keep(
        f"A timeline entry was kept as text: {problem.message}",
        heading_text,
        lines,
        line=line,
        field="timeline",
    )
