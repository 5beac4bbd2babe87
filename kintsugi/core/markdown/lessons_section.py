"""Lessons Learned: what went well, what went poorly, where we got lucky.

Ours: three ``###`` subsections of list items. Variants: the same names as top-level
sections, or as label lines ("**What went wrong:**") followed by items; paragraphs count
as items too. Text we cannot place in one of the three lists goes to the appendix.
"""

from __future__ import annotations

import re

from kintsugi.core.document import MAX_LIST_ITEMS, MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.action_fields import REFERENCE_DEFINITION
from kintsugi.core.markdown.blocks import Block, Line, split_blocks, text_of
from kintsugi.core.markdown.escaping import unescape_strict
from kintsugi.core.markdown.fields import clean_text
from kintsugi.core.markdown.headings import exact_section_key, section_key
from kintsugi.core.markdown.state import ParseState

LESSON_KEYS = ("went_well", "went_poorly", "got_lucky")


def _items_of(state: ParseState, key: str) -> list[str]:
    lessons = state.doc.lessons
    if key == "went_well":
        return lessons.went_well
    if key == "went_poorly":
        return lessons.went_poorly
    return lessons.got_lucky


# "What went well:" or "**Went well:** the alert fired": a label, maybe with a first lesson.
_LABEL = re.compile(
    r"^[ \t]*(?:\*\*|__)?([^:*_\n]{1,60}?)[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?"
    r"[ \t]*(.*)$",
    re.DOTALL,
)
_BOLD_LINE = re.compile(r"^[ \t]*(?:\*\*|__)([^*_\n]{1,60})(?:\*\*|__)[ \t]*$")


def lesson_label(text: str) -> tuple[str, str] | None:
    """(list key, text after the label) when a line is a lesson label: a name followed by
    a colon, a bold line, or exactly one of the names. A sentence that only mentions
    luck ("We got lucky that the backup was fresh.") is a lesson, not a label."""
    first, _, after = text.partition("\n")
    labelled = _LABEL.match(first)
    if labelled is not None:
        key = section_key(labelled.group(1))
        if key in LESSON_KEYS:
            rest = "\n".join(part for part in (labelled.group(2).strip(), after) if part)
            return key, rest.strip()
    bold = _BOLD_LINE.match(first)
    key = section_key(bold.group(1)) if bold is not None else exact_section_key(first)
    if key in LESSON_KEYS:
        return key, after.strip()
    return None


def _add_text(state: ParseState, key: str, text: str, heading: str, lines: list[Line]) -> None:
    if not text:
        return  # an empty bullet says nothing
    line = lines[0].number
    try:
        item = clean_text(text, field=f"lessons.{key}", limit=MAX_SHORT_TEXT, required=True)
    except ValidationProblem as problem:
        if state.strict:
            state.problems.record(problem, line=line)
        else:
            state.keep(f"{problem.message} The lesson is kept as text.", heading, lines, line=line)
        return
    state.append(
        _items_of(state, key), item, field=f"lessons.{key}", limit=MAX_LIST_ITEMS, line=line
    )


def _block_text(block: Block) -> str:
    return unescape_strict(block.item.text) if block.item is not None else text_of(block.lines)


def _is_definitions(block: Block) -> bool:
    """``[status]: https://...`` lines: link targets for the text, not a lesson."""
    return block.kind == "paragraph" and all(
        REFERENCE_DEFINITION.match(line.text) for line in block.lines
    )


def _read_blocks(
    state: ParseState, key: str | None, heading: str, blocks: list[Block], *, labels: bool
) -> None:
    """Every item or paragraph is a lesson of list ``key``. In best effort, a paragraph
    ending in ":" and the list right after it are one lesson (the list finishes its
    sentence); with ``labels``, label lines ("What went wrong:") switch the list."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        label = lesson_label(_block_text(block)) if labels and block.kind != "table" else None
        if label is not None:
            key, rest = label
            if block.item is not None and rest:
                # "- What went well:" with the lessons nested under it: one lesson each.
                item = block.item
                nested = [
                    source._replace(text=text)
                    for source, text in zip(item.source[1:], item.content[1:], strict=True)
                ]
                inner = split_blocks(nested)
                if inner and all(b.kind == "item" for b in inner):
                    _read_blocks(state, key, heading, inner, labels=False)
                    continue
            _add_text(state, key, rest, heading, block.lines)
            continue
        if key is None or block.kind == "table" or _is_definitions(block):
            state.stray(heading, block.lines)
            continue
        text, lines = _block_text(block), list(block.lines)
        if not state.strict and block.kind == "paragraph" and text.endswith(":"):
            while index < len(blocks) and blocks[index].kind == "item":
                text += "\n" + "\n".join(line.text for line in blocks[index].lines)
                lines += blocks[index].lines
                index += 1
        _add_text(state, key, text, heading, lines)


def read_lesson_list(state: ParseState, key: str, heading_line: Line, lines: list[Line]) -> None:
    """One of the three lists: every item or paragraph is a lesson."""
    _read_blocks(state, key, heading_line.text, split_blocks(lines), labels=False)


def read_lesson_intro(state: ParseState, heading_line: Line, lines: list[Line]) -> None:
    """Text under "Lessons Learned" before any subsection: label lines pick the list
    ("What went well", "**Went well:** the alert fired"); text before any label is kept."""
    _read_blocks(state, None, heading_line.text, split_blocks(lines), labels=True)
