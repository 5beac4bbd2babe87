"""Action items as written: list items (with their continuation) and table rows.

Reads an action items section into :class:`Item` objects, each with the text or cell that
may hold its owner, ticket and target date; whether an item is done or no work at all is
kintsugi.lint.item_text, the findings are kintsugi.lint.item_findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kintsugi.lint.item_text import (
    BACK_REFERENCE,
    DONE_STATUS,
    DONE_TEXT,
    EMPTY_ITEM,
    META_ITEM,
    OWNER_IN_TEXT,
    PLACEHOLDER,
    TICKET_IN_TEXT,
    TRACKER_ONLY,
    is_date,
    is_missing,
    reads_done,
)

TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
LIST_ITEM = re.compile(
    r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[(?P<check>[ xX])\][ \t]+)?(?P<body>\S.*)$"
)
_ANY_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target>\S+)")
_REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\](?:\[(?P<label>[^\]]*)\])?")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")

FIELDS = ("owner", "ticket", "due")


@dataclass
class Item:
    """One action item: a table row or a list item (with its continuation lines)."""

    line: int  # 0-based
    column: int
    values: dict[str, tuple[int, str] | None]  # field -> (column, text); None: no such column
    table: int | None = None  # header line of its table
    done: bool = False
    tracker_only: bool = False  # the item is a ticket reference and nothing else

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        if value is None:
            return False
        text = value[1]
        if self.table is not None:
            return not is_missing(text)  # a cell that is not a date is reported on its own
        if name == "due":
            return is_date(text)
        pattern = OWNER_IN_TEXT if name == "owner" else TICKET_IN_TEXT
        return bool(pattern.search(text))


@dataclass
class Section:
    """What one action-items section holds."""

    heading: int
    title: str
    items: list[Item] = field(default_factory=list)
    tables: dict[int, dict[str, int]] = field(default_factory=dict)  # header -> field -> cell
    prose: int = 0  # paragraphs that are not items
    # Items that are no work: placeholders ("N/A") and this report itself ("Write an
    # incident report"), kept so that "no follow-up work" can say what was there instead.
    not_work: list[str] = field(default_factory=list)
    # A lessons section whose items are all work to do ("We need to..."), read as the
    # follow-ups of a document that has no action items section (relaxed profile).
    as_lessons: bool = False


def link_definitions(lines: Sequence[str]) -> dict[str, str]:
    """Reference-style link targets (``[issue-611]: https://...``), by lower-cased label."""
    found = {}
    for line in lines:
        match = _LINK_DEFINITION.match(line)
        if match:
            found[" ".join(match.group("label").lower().split())] = match.group("target")
    return found


def _with_targets(body: str, links: dict[str, str]) -> str:
    """The item's text with its reference links' targets, so ``([issue][alerting])`` and
    ``[#2226]`` count as the ticket links they are."""
    targets = []
    for match in _REFERENCE.finditer(body):
        label = match.group("label") or match.group("text")
        target = links.get(" ".join(label.lower().split()))
        if target:
            targets.append(target)
    return " ".join([body, *targets])


def read_section(
    lines: Sequence[str],
    heading: int,
    end: int,
    title: str,
    links: dict[str, str] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> Section:
    section = Section(heading, title)
    item_indent: int | None = None
    run: list[Item] = []  # the list items just read, up to a heading or a paragraph
    number = heading + 1
    in_paragraph = False
    while number < end:
        skipped = next((stop for start, stop in skip if start == number), None)
        if skipped is not None:
            number = skipped
            in_paragraph = False
            continue
        line = lines[number]
        if "|" in line and number + 1 < end and TABLE_DELIMITER.match(lines[number + 1]):
            number = _read_table(lines, number, end, section)
            in_paragraph = False
            continue
        item = LIST_ITEM.match(line)
        if item and item_indent is None:
            item_indent = len(item.group(1))
        if item and len(item.group(1)) == item_indent:
            after = _item_end(lines, number, end)
            rest = " ".join(part.strip() for part in lines[number + 1 : after])
            text = f"{item.group('body')} {rest}".strip()  # wrapped lines, sub-points
            if PLACEHOLDER.match(text) or META_ITEM.match(text):
                section.not_work.append(text)
                number = after
                in_paragraph = False
                continue
            body = _with_targets(text, links or {})
            values: dict[str, tuple[int, str] | None] = {
                name: (len(item.group(1)) + 1, body) for name in FIELDS
            }
            done = item.group("check") in ("x", "X") or reads_done(text)
            section.items.append(
                Item(
                    number,
                    len(item.group(1)) + 1,
                    values,
                    done=done,
                    tracker_only=bool(TRACKER_ONLY.match(text)),
                )
            )
            run.append(section.items[-1])
            number = after
            in_paragraph = False
            continue
        stripped = line.strip()
        is_prose = bool(stripped) and not (
            _HEADING.match(line)
            or _LINK_DEFINITION.match(line)
            or stripped.startswith(("<!--", "![", "<"))
            or _ANY_LIST_ITEM.match(line)
            or EMPTY_ITEM.match(line)
        )
        if is_prose and not in_paragraph:
            section.prose += 1
            _share_ticket(lines, number, end, run, links or {})
        if is_prose or _HEADING.match(line):
            run = []  # a paragraph or a heading ends the list it could speak of
        in_paragraph = is_prose
        number += 1
    return section


def _share_ticket(
    lines: Sequence[str], start: int, end: int, items: Sequence[Item], links: dict[str, str]
) -> None:
    """A paragraph right after a list that files its items together ("Add these to the
    documentation [see here for an issue](...)") gives each of them that ticket."""
    stop = next((n for n in range(start, end) if not lines[n].strip()), end)
    paragraph = _with_targets(" ".join(line.strip() for line in lines[start:stop]), links)
    if not items or not BACK_REFERENCE.search(paragraph) or not TICKET_IN_TEXT.search(paragraph):
        return
    for item in items:
        value = item.values.get("ticket")
        if value is not None and item.table is None:
            item.values["ticket"] = (value[0], f"{value[1]} {paragraph}")


def _item_end(lines: Sequence[str], start: int, end: int) -> int:
    """The line after a list item and its continuation (wrapped lines, sub-points)."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    number = start + 1
    while number < end:
        line = lines[number]
        if not line.strip():
            following = next((n for n in range(number + 1, end) if lines[n].strip()), end)
            if following == end:
                return number
            nxt = lines[following]
            if len(nxt) - len(nxt.lstrip()) <= indent:
                return number
            number = following
            continue
        if _HEADING.match(line) or "|" in line and TABLE_DELIMITER.match(line):
            return number
        listed = _ANY_LIST_ITEM.match(line)
        if listed and len(listed.group(1)) <= indent:
            return number
        number += 1
    return number


def _read_table(lines: Sequence[str], header: int, end: int, section: Section) -> int:
    roles: dict[str, int] = {}
    for index, (_, text) in enumerate(cells(lines[header])):
        role = column_role(text)
        if role and role not in roles:
            roles[role] = index
    section.tables[header] = roles
    number = header + 2
    while number < end and "|" in lines[number] and lines[number].strip():
        row = cells(lines[number])
        if any(text for _, text in row):
            values: dict[str, tuple[int, str] | None] = {}
            for name in FIELDS:
                cell = roles.get(name)
                if cell is None:
                    values[name] = None
                else:
                    values[name] = row[cell] if cell < len(row) else (1, "")
            status = row[roles["status"]][1] if roles.get("status", len(row)) < len(row) else ""
            done = status.strip(" *_`").lower() in DONE_STATUS or bool(DONE_TEXT.search(status))
            section.items.append(Item(number, 1, values, table=header, done=done))
        number += 1
    return number


def cells(line: str) -> list[tuple[int, str]]:
    """(1-based column, text) of each cell of a table row; escaped pipes stay in the cell."""
    found: list[tuple[int, str]] = []
    stripped = line.rstrip()
    body_start = len(stripped) - len(stripped.lstrip())
    if stripped[body_start : body_start + 1] == "|":
        body_start += 1
    start = body_start
    index = body_start
    while index <= len(stripped):
        at_end = index == len(stripped)
        if at_end or (stripped[index] == "|" and stripped[index - 1 : index] != "\\"):
            raw = stripped[start:index]
            if not (at_end and not raw.strip() and found):
                lead = len(raw) - len(raw.lstrip())
                found.append((start + lead + 1, raw.strip().replace("\\|", "|")))
            start = index + 1
        index += 1
    return found


def column_role(header: str) -> str | None:
    """The field a table header names, by the core's table that the importer reads too.
    Imported on first use: most documents linted have no action items table."""
    from kintsugi.core.markdown.action_fields import column_field

    return column_field(header)
