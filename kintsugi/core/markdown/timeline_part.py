"""Only the timeline of a Markdown post-mortem: its entries and the incident's start and end.

``kintsugi lint`` checks the timeline's dates (kintsugi.core.timeline_sanity) on every file
it is given; reading the whole document with :func:`kintsugi.core.markdown.parse.read_markdown`
for that loaded the readers of every other part (action items, 5 Whys, lessons, facts)
and cost more than the rest of linting. This reads what the timeline depends on, with the
importer's own pieces, in the importer's order, so the entries and the bounds are the ones
import would find: the front matter (only when there is one); the document-wide scan
(declared zones, the order of numeric dates, the document's date); the title (a date
heading above it dates the timeline); the "Label: value" lines under the title
("Started at: ...", "Timeline: ..."), only when there are any; the sections named for a
time fact ("## Date", "## Start time"); and the timeline section with the date headings
after it (best effort), read by :func:`kintsugi.core.markdown.timeline_section.read_timeline`.

Text outside those (a list of times in a summary, which best-effort import also reads as
timeline entries) is not read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kintsugi.core.document import PostmortemDocument, TimelineEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line
from kintsugi.core.markdown.escaping import fence_mask
from kintsugi.core.markdown.headings import meta_key
from kintsugi.core.markdown.limits import check_text
from kintsugi.core.markdown.problems import ProblemList
from kintsugi.core.markdown.sections import split_body
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_clock import infer_bounds, scan_document
from kintsugi.core.markdown.timeline_section import read_timeline
from kintsugi.core.markdown.titles import find_title

if TYPE_CHECKING:
    from kintsugi.core.markdown.frontmatter import FrontMatter

# A "Label: value" line (preamble.py reads them); without one the preamble sets nothing.
_LABEL = re.compile(r"^[ \t]*(?:\*\*|__)?[A-Za-z][A-Za-z ;/&'’-]{0,40}?(?:\*\*|__)?[ \t]*:")
# The facts a timeline's times depend on: the incident's day, its start and end.
_TIME_FACTS = frozenset({"date", "started_at", "ended_at"})


@dataclass(frozen=True)
class TimelinePart:
    """The timeline entries and the incident's bounds, as import would set them."""

    entries: list[TimelineEntry]
    started_at: datetime | None
    ended_at: datetime | None


def read_timeline_part(text: str, *, strict: bool, source: str = "<input>") -> TimelinePart:
    """The timeline of a post-mortem, read as :func:`~kintsugi.core.markdown.parse` reads it.

    ``strict`` refuses what strict import refuses in the front matter, the title and the
    timeline (ValidationProblem), stopping at the first of those parts with a problem: the
    caller learns that the file is not in our strict format, not every bad line. Best
    effort keeps what it can and, as import does, takes a missing start or end from the
    timeline.
    """
    raw = _checked(text, source).split("\n")
    return _read(raw, _front_matter(raw), strict=strict, source=source)


def read_timeline_either(text: str, *, source: str = "<input>") -> TimelinePart:
    """Strictly if the file reads strictly (our own format), else in best effort (documents
    written elsewhere): what ``kintsugi lint`` checks. The front matter is parsed once for
    both; raises ValidationProblem only for what is no text document at all."""
    raw = _checked(text, source).split("\n")
    front = _front_matter(raw)
    try:
        return _read(raw, front, strict=True, source=source)
    except ValidationProblem:
        return _read(raw, front, strict=False, source=source)


def _checked(text: str, source: str) -> str:
    try:
        return check_text(text)
    except ValidationProblem as problem:
        raise ProblemList([problem], source=source) from None


def _front_matter(raw: list[str]) -> FrontMatter | None:
    """The front matter as best effort reads it; strict refuses exactly when it has an
    ``error`` (frontmatter.read_front_matter), so one reading serves both."""
    if not raw or raw[0].rstrip() not in ("---", "+++"):
        return None
    # Imported here: most documents linted have no front matter, and YAML is slow to load.
    from kintsugi.core.markdown.frontmatter import read_front_matter

    return read_front_matter(raw, strict=False)


def _read(raw: list[str], front: FrontMatter | None, *, strict: bool, source: str) -> TimelinePart:
    state = ParseState(doc=PostmortemDocument(title=""), strict=strict)
    start = 0
    if front is not None:
        if strict and front.error is not None:
            raise ProblemList([front.error], source=source)
        from kintsugi.core.markdown.frontmatter import apply_front_matter

        apply_front_matter(state, front)
        start = front.end
    body = raw[start:]
    lines = [
        Line(start + index + 1, line, fenced)
        for index, (line, fenced) in enumerate(zip(body, fence_mask(body), strict=True))
    ]
    if strict:
        state.problems.raise_if_any(source=source)
    scan_document(state, lines)
    _read_timeline_sections(state, lines)
    infer_bounds(state)
    if strict:
        state.problems.raise_if_any(source=source)
    doc = state.doc
    return TimelinePart(list(doc.timeline), doc.started_at, doc.ended_at)


def _read_timeline_sections(state: ParseState, lines: list[Line]) -> None:
    """The sections split as import splits them (parse._read_body); only timelines read."""
    title_lines = find_title(state, lines)
    if state.strict:
        state.problems.raise_if_any()  # a title strict import refuses: stop here
    _, preamble, sections = split_body(state, lines, title_lines)
    if any(not line.fenced and _LABEL.match(line.text) for line in preamble):
        # Imported here: the preamble's facts need the front matter's readers (YAML).
        from kintsugi.core.markdown.preamble import read_preamble

        lede = not state.strict and not any(section.key == "summary" for section in sections)
        for pseudo in read_preamble(state, preamble, lede=lede):
            if pseudo.key == "timeline":
                read_timeline(state, pseudo.heading, pseudo.heading.text, pseudo.lines)
    for section in sections:
        if section.key == "appendix":
            break  # the rest of the document is kept verbatim by import
        if section.key == "timeline":
            read_timeline(state, section.heading_line, section.title, section.lines)
        elif section.key is None and not state.strict and meta_key(section.title) in _TIME_FACTS:
            from kintsugi.core.markdown.facts import read_fact_section

            read_fact_section(state, section.title, section.lines)
