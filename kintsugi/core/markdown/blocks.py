"""Reading a Markdown document as lines, headings, list items, paragraphs and tables.

This is deliberately not a full CommonMark parser: import needs line numbers for every
value and exact source text for every section, and it must behave the same way on our
export and on the variants people write by hand. So structure is read line by line with a
few rules that are documented in docs/markdown-format.md: ATX headings (``##``), code
fences, ``-``/``*``/``+``/``1.`` list items with indented continuation lines, and tables
whose rows start with ``|``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kintsugi.core.markdown.escaping import unescape_lines


class Line(NamedTuple):
    number: int  # 1-based, in the file as given
    text: str
    fenced: bool  # inside a fenced code block, fence lines included


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_SEQUENCE = re.compile(r"(?:^|[ \t]+)#+$")
BULLET = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)|$)")
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def is_blank(text: str) -> bool:
    """Blank as Markdown sees it: spaces and tabs only (not other Unicode spaces)."""
    return text.strip(" \t") == ""


def heading(line: Line) -> tuple[int, str] | None:
    """(level, text) of an ATX heading outside code fences, else None."""
    if line.fenced:
        return None
    match = _ATX.match(line.text)
    if match is None:
        return None
    content = _CLOSING_SEQUENCE.sub("", match.group(2) or "").rstrip(" \t")
    return len(match.group(1)), content


def text_of(lines: Sequence[Line], *, markers: Sequence[re.Pattern[str]] = ()) -> str:
    """Free text of a region, unescaped, with surrounding blank lines removed."""
    plain = unescape_lines(
        [line.text for line in lines], [line.fenced for line in lines], markers=markers
    )
    return "\n".join(plain).strip()


def strip_blank(lines: Sequence[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and is_blank(lines[start].text):
        start += 1
    while end > start and is_blank(lines[end - 1].text):
        end -= 1
    return list(lines[start:end])


@dataclass
class Item:
    """One list item: its marker line and its content, de-indented."""

    line: int
    marker: str
    content: list[str] = field(default_factory=list)
    source: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.content).strip()


@dataclass
class Block:
    """A run of lines: a list ``item``, a ``paragraph`` or a ``table``."""

    kind: str
    lines: list[Line]
    item: Item | None = None

    @property
    def line(self) -> int:
        return self.lines[0].number


def _content_offset(match: re.Match[str]) -> int:
    spaces = match.group(3) or ""
    marker_end = len(match.group(1)) + len(match.group(2))
    if not spaces or len(spaces.expandtabs(4)) > 4:
        return marker_end + 1
    return marker_end + len(spaces)


def _read_item(lines: Sequence[Line], start: int) -> tuple[Item, int]:
    first = lines[start]
    match = BULLET.match(first.text)
    assert match is not None
    offset = _content_offset(match)
    item = Item(line=first.number, marker=match.group(2), content=[first.text[offset:]])
    item.source.append(first)
    index = start + 1
    previous_blank = False
    while index < len(lines):
        text = lines[index].text
        if text.startswith(" " * offset):
            item.content.append(text[offset:])
        elif is_blank(text):
            following = index + 1
            while following < len(lines) and is_blank(lines[following].text):
                following += 1
            if following >= len(lines) or not lines[following].text.startswith(" " * offset):
                break
            item.content.append("")
            previous_blank = True
            item.source.append(lines[index])
            index += 1
            continue
        elif (
            not previous_blank
            and not BULLET.match(text)
            and not _TABLE_ROW.match(text)
            and not lines[index].fenced
        ):
            item.content.append(text)  # a lazy continuation line, as CommonMark allows
        else:
            break
        previous_blank = False
        item.source.append(lines[index])
        index += 1
    return item, index


def split_blocks(lines: Sequence[Line]) -> list[Block]:
    """Items, paragraphs and tables of a region, skipping blank lines between them."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if is_blank(line.text) and not line.fenced:
            index += 1
            continue
        if not line.fenced and BULLET.match(line.text):
            item, index = _read_item(lines, index)
            blocks.append(Block("item", item.source, item))
            continue
        if (
            not line.fenced
            and _TABLE_ROW.match(line.text)
            and index + 1 < len(lines)
            and _DELIMITER_ROW.match(lines[index + 1].text)
        ):
            end = index + 2
            while end < len(lines) and _TABLE_ROW.match(lines[end].text):
                end += 1
            blocks.append(Block("table", list(lines[index:end])))
            index = end
            continue
        end = index + 1
        while end < len(lines):
            following = lines[end]
            if not following.fenced and (is_blank(following.text) or BULLET.match(following.text)):
                break
            end += 1
        blocks.append(Block("paragraph", list(lines[index:end])))
        index = end
    return blocks
