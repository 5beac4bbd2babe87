"""Reversible escapes that keep user text from being read as document structure.

The Markdown export puts user text between our own headings, tables and lists. A summary
that contains a line ``## Trigger``, an event text with a ``|`` or an owner called ``-``
must come back unchanged on import, so every place where user text could pass for
structure is escaped with a Markdown backslash, which readers (GitHub, editors) display as
the text the user typed. Each escape adds exactly one backslash in front of a run of
backslashes and its unescape removes exactly one, which makes it lossless even for text
that already contains backslashes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Lines that our parser reads as structure: ATX headings of levels 1-3 (levels 4-6 are
# left to the author's text) and code fences. Group 1: indentation, group 2: backslashes.
STRUCTURE_LINE = re.compile(r"^( {0,3})(\\*)(?:#{1,3}(?=[ \t]|$)|`{3,}|~{3,})")

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


def fence_mask(lines: Sequence[str]) -> list[bool]:
    """Which lines belong to a fenced code block (fence lines included).

    Unlike CommonMark, a fence that is never closed does not swallow the rest of the
    file: a forgotten closing fence in an imported document then costs one code block,
    not every section after it. Runs in linear time even on hostile input.
    """
    count = len(lines)
    longest_close = {"`": [0] * (count + 1), "~": [0] * (count + 1)}
    for index in range(count - 1, -1, -1):
        for char in "`~":
            longest_close[char][index] = longest_close[char][index + 1]
        closing = _FENCE_CLOSE.match(lines[index])
        if closing is not None:
            char, size = closing.group(1)[0], len(closing.group(1))
            longest_close[char][index] = max(longest_close[char][index], size)
    mask = [False] * count
    index = 0
    while index < count:
        opening = _FENCE_OPEN.match(lines[index])
        if opening is not None:
            char, size = opening.group(1)[0], len(opening.group(1))
            info_ok = not (char == "`" and "`" in opening.group(2))
            if info_ok and longest_close[char][index + 1] >= size:
                end = index + 1
                while not _closes(lines[end], char, size):
                    end += 1
                for covered in range(index, end + 1):
                    mask[covered] = True
                index = end + 1
                continue
        index += 1
    return mask


def _closes(line: str, char: str, size: int) -> bool:
    closing = _FENCE_CLOSE.match(line)
    return closing is not None and closing.group(1)[0] == char and len(closing.group(1)) >= size


def _add_backslash(line: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(line)
    if match is None:
        return line
    return line[: match.end(1)] + "\\" + line[match.end(1) :]


def _drop_backslash(line: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(line)
    if match is None or not match.group(2):
        return line
    return line[: match.end(1)] + line[match.end(1) + 1 :]


def escape_block(
    text: str, *, strict: bool = False, markers: Sequence[re.Pattern[str]] = ()
) -> str:
    """Escape the lines of ``text`` that would read as structure.

    Outside code fences, headings of levels 1-3, fences that are never closed and lines
    matching one of ``markers`` (each with groups: indentation, backslashes) get one more
    backslash. ``strict`` escapes inside fences too: used for text that the export indents
    (list items), where a fence would no longer line up with the document's fences.
    """
    lines = text.split("\n")
    fenced = [False] * len(lines) if strict else fence_mask(lines)
    patterns = (STRUCTURE_LINE, *markers)
    out = []
    for line, inside in zip(lines, fenced, strict=True):
        if not inside:
            for pattern in patterns:
                if pattern.match(line):
                    line = _add_backslash(line, pattern)
                    break
        out.append(line)
    return "\n".join(out)


def unescape_lines(
    lines: Sequence[str],
    fenced: Sequence[bool],
    *,
    markers: Sequence[re.Pattern[str]] = (),
) -> list[str]:
    """Undo :func:`escape_block` on lines whose fence state the document scan computed."""
    patterns = (STRUCTURE_LINE, *markers)
    out = []
    for line, inside in zip(lines, fenced, strict=True):
        if not inside:
            for pattern in patterns:
                match = pattern.match(line)
                if match is not None and match.group(2):
                    line = _drop_backslash(line, pattern)
                    break
        out.append(line)
    return out


def unescape_strict(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(unescape_lines(lines, [False] * len(lines)))


# --- Table cells -------------------------------------------------------------------------
# A cell is one line: a newline is written <br>, a pipe \|, and a literal "<br>" \<br>.
# A backslash run in front of one of these is doubled, so that the parity of the run tells
# an escaped token (odd) from a backslash that belongs to the text (even).

_CELL_SPECIAL = re.compile(r"(\\*)(\||<br[ \t]*/?>|\n)", re.IGNORECASE)
_CELL_ESCAPED = re.compile(r"(\\*)(\||<br[ \t]*/?>)", re.IGNORECASE)


def escape_cell(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        slashes, piece = match.group(1), match.group(2)
        if piece == "\n":
            return slashes * 2 + "<br>"
        return slashes * 2 + "\\" + piece

    return _CELL_SPECIAL.sub(replace, text)


def unescape_cell(cell: str) -> str:
    def replace(match: re.Match[str]) -> str:
        slashes, piece = match.group(1), match.group(2)
        kept = "\\" * (len(slashes) // 2)
        if len(slashes) % 2 or piece == "|":
            return kept + piece
        return kept + "\n"

    return _CELL_ESCAPED.sub(replace, cell)


def split_row(line: str) -> list[str]:
    """Cells of a table row, raw (still escaped). A pipe after a backslash is content, as
    in GitHub Flavored Markdown."""
    row = line.strip()
    cells: list[str] = []
    current: list[str] = []
    previous = ""
    for char in row:
        if char == "|" and previous != "\\":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        previous = char
    cells.append("".join(current))
    if row.startswith("|"):
        cells = cells[1:]
    if len(cells) > 1 and row.endswith("|") and not row.endswith("\\|"):
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


# --- Link labels ---------------------------------------------------------------------

_LABEL_SPECIAL = re.compile(r"[\\\[\]]")
_LABEL_ESCAPED = re.compile(r"\\([\\\[\]])")


def escape_label(text: str) -> str:
    return _LABEL_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def unescape_label(text: str) -> str:
    return _LABEL_ESCAPED.sub(lambda match: match.group(1), text)


# --- Heading titles ------------------------------------------------------------------
# CommonMark drops a closing run of # from a heading ("# Title #"); a title that ends in #
# gets a backslash before that run so that it survives.

_TRAILING_HASHES = re.compile(r"(\\*)(#+)$")


def escape_heading_title(title: str) -> str:
    return _TRAILING_HASHES.sub(lambda match: "\\" + match.group(1) + match.group(2), title)


def unescape_heading_title(title: str) -> str:
    match = _TRAILING_HASHES.search(title)
    if match is None or not match.group(1):
        return title
    return title[: match.start()] + match.group(1)[1:] + match.group(2)


# --- Missing values ----------------------------------------------------------------------
# The export writes a missing owner as **unassigned** and other missing cells as an em
# dash; import also accepts what people type for "nothing here". A real value that reads
# like one of these (a user called "none") is written with a leading backslash.

MISSING = "—"
UNASSIGNED = "**unassigned**"
PLACEHOLDERS = frozenset(
    {"", "—", "–", "-", "n/a", "na", "none", "tbd", "?", "unassigned"}
    | {"**unassigned**", "*unassigned*", "_unassigned_", "__unassigned__"}
)


def protect_value(value: str) -> str:
    return "\\" + value if value.lower() in PLACEHOLDERS else value


def read_optional(cell: str) -> str | None:
    """A cell that names one thing (owner, ticket, date...): None when it says "nothing"."""
    if cell.lower() in PLACEHOLDERS:
        return None
    if cell.startswith("\\") and cell[1:].lower() in PLACEHOLDERS:
        return cell[1:]
    return cell
