"""Contributing Factors (and the "Root Causes" of the Google SRE template).

Ours: one ``### F1. Title`` subsection per factor, its description, then an ``Evidence:``
line and a list of typed links (``- graph: [label](https://...)``). Variants: one factor
per list item or paragraph (the first line, or a leading **bold** phrase, is the title).
"""

from __future__ import annotations

import re

from kintsugi.core.document import (
    MAX_LIST_ITEMS,
    MAX_TEXT,
    MAX_TITLE,
    ContributingFactor,
    EvidenceLink,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Block, Line, split_blocks, strip_blank, text_of
from kintsugi.core.markdown.escaping import unescape_heading_title, unescape_strict
from kintsugi.core.markdown.fields import (
    clean_line,
    clean_text,
    clean_title,
    clean_url,
    parse_evidence_kind,
)
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.vocabulary import EvidenceKind

# The line that starts the evidence list. A description line that reads the same is
# written with a leading backslash (see escaping.escape_block).
EVIDENCE_MARKER = re.compile(
    r"^( {0,3})(\\*)(?:\*\*|__)?evidence(?: links)?(?:\*\*|__)?:(?:\*\*|__)?[ \t]*$",
    re.IGNORECASE,
)
# "F2. Title" (ours) or "2. Title"; a bare number needs its dot, so that a title such
# as "500 errors from the API" keeps its number.
FACTOR_LABEL = re.compile(r"^(?:F(\d{1,4})[.:)]?|(\d{1,4})[.)])[ \t]+(.*)$")
_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)[ \t]*[:.–—-]?[ \t]*(.*)$", re.DOTALL)
_KIND_PREFIX = re.compile(r"^([^:\[\]<>]{1,40}?)[ \t]*:[ \t]+(.*)$", re.DOTALL)
EVIDENCE_LABEL_LIMIT = MAX_TITLE


def split_title(text: str) -> tuple[str, str]:
    """(title, description) of a factor or action written as one paragraph or list item.

    A leading **bold** phrase is the title (``**Title:** description``); else the first
    sentence, colons and all: "Cascading failure: high load and a leak" is one title, not
    "Cascading failure" with the rest cut off. Only a first sentence too long for a title
    is split, at a colon when the words before it are short, else cut with an ellipsis.
    The description keeps the whole text whenever the title is not all of it, so nothing
    is lost.
    """
    bold = _BOLD_LEAD.match(text)
    if bold is not None and "\n" not in bold.group(1) and len(bold.group(1)) <= MAX_TITLE:
        return bold.group(1).strip().rstrip(":").strip(), bold.group(2).strip()
    paragraph = " ".join(line.strip() for line in text.split("\n\n", 1)[0].split("\n"))
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
    if len(sentence) > MAX_TITLE:
        head, colon, _ = sentence.partition(": ")
        if colon and 0 < len(head) <= 80:
            return head.strip(), text
        return sentence[: MAX_TITLE - 1].rstrip() + "…", text
    whole = sentence == paragraph and paragraph == " ".join(text.split())
    return sentence.rstrip(".").strip() or sentence, "" if whole else text


def _evidence(text: str) -> EvidenceLink:
    link = parse_link(text)
    if link is not None:
        label, url = link
        return EvidenceLink(
            kind=EvidenceKind.OTHER,
            url=clean_url(url, field="evidence.url"),
            label=clean_line(
                label, field="evidence.label", limit=EVIDENCE_LABEL_LIMIT, required=False
            ),
        )
    prefixed = _KIND_PREFIX.match(text)
    if prefixed is None:
        raise ValidationProblem(
            f"{text[:60]!r} is not an evidence link; write '- graph: [label](https://...)'.",
            field="evidence",
        )
    prefix, rest = prefixed.group(1).strip(), prefixed.group(2).strip()
    link = parse_link(rest)
    if link is None:
        raise ValidationProblem(
            f"{rest[:60]!r} is not a link; write '[label](https://...)' or '<https://...>'.",
            field="evidence.url",
        )
    label, url = link
    try:
        kind = parse_evidence_kind(prefix, field="evidence.kind")
    except ValidationProblem:
        if rest.startswith("[") or (" " not in prefix and prefix.isalpha()):
            raise  # "- screenshot: [x](...)": a kind we do not know, not a label
        kind, label = EvidenceKind.OTHER, prefix  # "Grafana dashboard: https://..."
    return EvidenceLink(
        kind=kind,
        url=clean_url(url, field="evidence.url"),
        label=clean_line(label, field="evidence.label", limit=EVIDENCE_LABEL_LIMIT, required=False),
    )


def _read_evidence(state: ParseState, factor: ContributingFactor, lines: list[Line]) -> None:
    for block in split_blocks(lines):
        if block.kind != "item" or block.item is None:
            state.problems.add(
                "After 'Evidence:' only a list of links is expected, such as "
                "'- graph: [Connections](https://...)'.",
                line=block.line,
            )
            continue
        with state.problems.guard(block.line):
            link = _evidence(unescape_strict(block.item.text))
            state.append(
                factor.evidence, link, field="evidence", limit=MAX_LIST_ITEMS, line=block.line
            )


def read_factor_subsection(
    state: ParseState, heading_line: Line, heading: str, lines: list[Line]
) -> None:
    label_match = FACTOR_LABEL.match(heading)
    position = len(state.doc.factors) + 1
    number = (label_match.group(1) or label_match.group(2)) if label_match else str(position)
    label = f"F{int(number)}"
    raw_title = label_match.group(3) if label_match else heading
    marker = next(
        (
            index
            for index, line in enumerate(lines)
            if not line.fenced
            and (match := EVIDENCE_MARKER.match(line.text))
            and not match.group(2)
        ),
        len(lines),
    )
    factor = ContributingFactor(title="")
    with state.problems.guard(heading_line.number):
        factor.title = clean_title(unescape_heading_title(raw_title), field="factors.title")
    body = strip_blank(lines[:marker])
    with state.problems.guard(body[0].number if body else heading_line.number):
        factor.description = clean_text(
            text_of(lines[:marker], markers=[EVIDENCE_MARKER]),
            field="factors.description",
            limit=MAX_TEXT,
        )
    _read_evidence(state, factor, lines[marker + 1 :])
    _add_factor(state, factor, label, heading_line.number)


def _add_factor(state: ParseState, factor: ContributingFactor, label: str, line: int) -> None:
    if label in state.factor_labels:
        state.problems.add(
            f"Two contributing factors are labelled {label}; number them F1, F2, ...",
            line=line,
        )
    if state.append(state.doc.factors, factor, field="factors", limit=MAX_LIST_ITEMS, line=line):
        state.factor_labels.setdefault(label, len(state.doc.factors))


def read_factor_blocks(
    state: ParseState, heading: str, blocks: list[Block], *, join_paragraphs: bool = False
) -> int:
    """Factors written as list items or paragraphs (the Google SRE "Root Causes"); the
    number of factors read.

    Each list item is a factor. With ``join_paragraphs`` (prose root causes in best
    effort), a run of paragraphs is one factor, as an explanation usually runs over
    several paragraphs; a paragraph that starts with a **bold** phrase starts a new one,
    and a paragraph ending in ":" just before a list introduces it (kept as text).
    Otherwise each paragraph is a factor.
    """
    before = len(state.doc.factors)
    pending: list[Block] = []

    def flush() -> None:
        if pending:
            text = "\n\n".join(text_of(block.lines) for block in pending)
            lines = [line for block in pending for line in block.lines]
            _factor_of_text(state, heading, text, lines)
            pending.clear()

    for index, block in enumerate(blocks):
        if block.kind == "table":
            flush()
            state.stray(heading, block.lines)
            continue
        if join_paragraphs and block.kind == "paragraph":
            text = text_of(block.lines)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following.kind == "item" and text.endswith(":"):
                flush()
                state.stray(heading, block.lines)
                continue
            if _BOLD_LEAD.match(text):
                flush()
            pending.append(block)
            continue
        flush()
        text = unescape_strict(block.item.text) if block.item is not None else text_of(block.lines)
        _factor_of_text(state, heading, text, block.lines)
    flush()
    return len(state.doc.factors) - before


def _factor_of_text(state: ParseState, heading: str, text: str, lines: list[Line]) -> None:
    line = lines[0].number
    title, description = split_title(text)
    try:
        factor = ContributingFactor(
            title=clean_title(title, field="factors.title"),
            description=clean_text(description, field="factors.description", limit=MAX_TEXT),
        )
    except ValidationProblem as problem:
        if state.strict:
            state.problems.record(problem, line=line)
        else:
            state.keep(f"{problem.message} The text is kept.", heading, lines, line=line)
        return
    _add_factor(state, factor, f"F{len(state.doc.factors) + 1}", line)
