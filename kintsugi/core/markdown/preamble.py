"""Lines between the title and the first section, as the Google SRE template writes them:

    Date: 2015-10-21
    Authors: jennifer, martym
    Summary: Shakespeare search down for 66 minutes...
    Root Causes: ...

A "Label: value" line whose label names a fact (Date, Authors, Severity...) sets it, one
that names a part of the template (Summary, Impact, Root Causes, Trigger...) starts a
pseudo-section that is read exactly like a ``##`` section with that name. Anything else is
kept in the appendix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kintsugi.core.markdown.blocks import Line, is_blank
from kintsugi.core.markdown.frontmatter import set_meta
from kintsugi.core.markdown.headings import meta_key, section_key
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_section import UTC_NOTE

_LABEL_LINE = re.compile(
    r"^[ \t]*(?:\*\*|__)?([A-Za-z][A-Za-z ;/&'’-]{0,40}?)(?:\*\*|__)?[ \t]*:"
    r"(?:\*\*|__)?[ \t]*(.*)$"
)


@dataclass
class PseudoSection:
    key: str
    heading: Line  # the label line
    lines: list[Line] = field(default_factory=list)


def _set_fact(state: ParseState, key: str, value: str, line: Line) -> None:
    # "Status: Complete, action items in progress": facts.py reads the first word and
    # keeps the whole line in the source metadata.
    set_meta(state, key, value.strip(), line.number, override=False)


def read_preamble(
    state: ParseState, lines: list[Line], *, lede: bool = False
) -> list[PseudoSection]:
    """The facts and labelled parts above the first section. With ``lede`` (best effort,
    the document has no summary section), prose paragraphs there are its summary: the
    opening paragraph of a blog post or an incident page, under the title."""
    sections: list[PseudoSection] = []
    current: PseudoSection | None = None
    stray: list[Line] = []
    previous_blank = True
    for line in lines:
        label = None if line.fenced else _LABEL_LINE.match(line.text)
        name = label.group(1) if label is not None else ""
        key = (meta_key(name) or section_key(name)) if label is not None else None
        if label is not None and key is not None:
            if meta_key(name):
                _set_fact(state, key, label.group(2), line)  # a fact fits on its line
                current = None
            else:
                current = PseudoSection(key=key, heading=line)
                if label.group(2).strip():
                    current.lines.append(line._replace(text=label.group(2)))
                sections.append(current)
        elif is_blank(line.text):
            (current.lines if current is not None else stray).append(line)
        elif (
            current is not None
            and label is None
            and not (previous_blank and _starts_paragraph(line))
        ):
            current.lines.append(line)
        elif UTC_NOTE.match(line.text):
            state.utc_declared = True  # "All times are UTC.": honoured, and kept as written
            current = None
            stray.append(line)
        else:
            current = None
            stray.append(line)
        previous_blank = is_blank(line.text)
    if lede and not any(section.key == "summary" for section in sections) and _is_prose(stray):
        text = [line for line in stray if not is_blank(line.text)]
        sections.insert(0, PseudoSection(key="summary", heading=text[0], lines=stray))
        state.report.add(
            "assumption",
            "The text between the title and the first section is read as the summary "
            "(the document has no summary section).",
            line=text[0].number,
            field="summary",
        )
        return sections
    state.stray("", stray)
    return sections


_NOT_PROSE = re.compile(r"^[ \t]*(?:\||<|!\[|\[toc\]|\{|---|===|>)", re.IGNORECASE)


def _is_prose(lines: list[Line]) -> bool:
    """Paragraphs of sentences only: no table, fence, HTML, image, quote or list."""
    text = [line for line in lines if not is_blank(line.text)]
    return (
        bool(text)
        and not any(
            line.fenced
            or _NOT_PROSE.match(line.text)
            or re.match(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]", line.text)
            for line in text
        )
        and any(len(line.text.split()) >= 6 for line in text)
    )


def _starts_paragraph(line: Line) -> bool:
    """After a blank line, plain text ends a labelled value; lists and tables continue it
    ("Root Causes:" followed by a list)."""
    text = line.text.lstrip()
    return not (text.startswith(("-", "*", "+", "|")) or text[:1].isdigit() or line.fenced)
