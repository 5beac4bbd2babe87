"""Lessons Learned: what went well, what went poorly, where we got lucky.

Ours: three ``###`` subsections of list items. Variants: the same names as top-level
sections, or as label lines ("**What went wrong:**") followed by items; paragraphs count
as items too. Text we cannot place in one of the three lists goes to the appendix.
"""

from __future__ import annotations

from kintsugi.core.document import MAX_LIST_ITEMS, MAX_SHORT_TEXT
from kintsugi.core.markdown.blocks import Block, Line, split_blocks, text_of
from kintsugi.core.markdown.escaping import unescape_strict
from kintsugi.core.markdown.fields import clean_text
from kintsugi.core.markdown.headings import section_key
from kintsugi.core.markdown.state import ParseState

LESSON_KEYS = ("went_well", "went_poorly", "got_lucky")


def _items_of(state: ParseState, key: str) -> list[str]:
    lessons = state.doc.lessons
    if key == "went_well":
        return lessons.went_well
    if key == "went_poorly":
        return lessons.went_poorly
    return lessons.got_lucky


def _add_block(state: ParseState, key: str, block: Block) -> None:
    text = unescape_strict(block.item.text) if block.item is not None else text_of(block.lines)
    if not text:
        return  # an empty bullet says nothing
    with state.problems.guard(block.line):
        item = clean_text(text, field=f"lessons.{key}", limit=MAX_SHORT_TEXT, required=True)
        state.append(
            _items_of(state, key),
            item,
            field=f"lessons.{key}",
            limit=MAX_LIST_ITEMS,
            line=block.line,
        )


def read_lesson_list(state: ParseState, key: str, heading_line: Line, lines: list[Line]) -> None:
    """One of the three lists: every item or paragraph is a lesson."""
    for block in split_blocks(lines):
        if block.kind == "table":
            state.stray(heading_line.text, block.lines)
        else:
            _add_block(state, key, block)


def read_lesson_intro(state: ParseState, heading_line: Line, lines: list[Line]) -> None:
    """Text under "Lessons Learned" before any subsection: label lines pick the list."""
    current: str | None = None
    for block in split_blocks(lines):
        if block.kind == "paragraph" and len(block.lines) == 1:
            key = section_key(block.lines[0].text)
            if key in LESSON_KEYS:
                current = key
                continue
        if current is None or block.kind == "table":
            state.stray(heading_line.text, block.lines)
        else:
            _add_block(state, current, block)
