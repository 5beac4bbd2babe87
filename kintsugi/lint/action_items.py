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
    DONE_GROUP,
    DONE_STATUS,
    DONE_TEXT,
    EMPTY_ITEM,
    META_ITEM,
    OWNER_IN_TEXT,
    PLACEHOLDER,
    TRACKER_ONLY,
    done_title,
    group_target,
    has_label,
    has_ticket,
    is_missing,
    is_target,
    labels_a_team,
    not_team_work,
    owner_label,
    reads_done,
    reads_past,
    reads_past_clause,
)

TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
LIST_ITEM = re.compile(
    r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[(?P<check>[ xX])\][ \t]+)?(?P<body>\S.*)$"
)
_ANY_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target>\S+)")
_REFERENCE = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\[(?P<label>[^\]]*)\])?")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# A numbered heading under the action items ("### 1) Set up websocket observability",
# "#### 2. Verify cron is running"): one item written as a heading, its paragraphs the
# detail, when no list follows it (a numbered heading over a list titles a group).
_NUMBERED_HEADING = re.compile(
    r"^ {0,3}#{1,6}[ \t]+(?:\d{1,2}[.):]|step \d{1,2}[.):]?)[ \t]+(?P<body>\S.*)$", re.I
)

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
    group: int = -1  # the line of the heading the item is under
    text: str = ""  # the item as written (a list item's text; empty for a table row)
    group_due: str = ""  # the target its group's heading gives it, added to its due text
    by_writer: bool = False  # a one-person project's writer commits to it ("I'll ...")
    own_ticket: bool = False  # it carries a backlog number in the document's own form
    label_is_topic: bool = False  # its leading label names a topic, as its neighbours' do

    def has_own_date(self) -> bool:
        """A date in the item itself, not one given to its group by a heading."""
        if self.table is not None:
            return self.has("due")
        value = self.values.get("due")
        return value is not None and is_target(value[1].removesuffix(self.group_due))

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        if value is None:
            return False
        text = value[1]
        if self.table is not None:
            return not is_missing(text)  # a cell that is not a date is reported on its own
        if name == "due":
            return is_target(text)
        if name == "owner":
            label = owner_label(self.text) and not self.label_is_topic
            return bool(OWNER_IN_TEXT.search(text) or label)
        return self.own_ticket or bool(has_ticket(text))


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


@dataclass
class _Group:
    """What the heading over a run of items says of all of them: "Immediate actions
    (completed)" that they are done, "Short-term ([follow along](.../issues/39133))" their
    ticket, "Long-term (Q4 2025 - Q1 2026)" their target."""

    line: int
    done: bool = False
    ticket: str = ""  # the heading, when it links the items' ticket
    due: str = ""  # the heading, when it gives the items a target


def _group_of(line: int, heading: str, links: dict[str, str]) -> _Group:
    text = re.sub(r"^ {0,3}#{1,6}[ \t]*", "", heading)
    linked = _with_targets(text, links)
    return _Group(
        line,
        done=bool(DONE_GROUP.search(text)),
        ticket=linked if has_ticket(linked) else "",
        due=text if group_target(text) else "",
    )


@dataclass
class _Reader:
    """Where the reading of one section stands."""

    section: Section
    links: dict[str, str]
    group: _Group
    item_indent: int | None = None
    run: list[Item] = field(default_factory=list)  # items just read, up to a heading or prose
    parent: Item | None = None  # the numbered item that unindented bullets detail
    in_paragraph: bool = False


def read_section(
    lines: Sequence[str],
    heading: int,
    end: int,
    title: str,
    links: dict[str, str] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> Section:
    reader = _Reader(Section(heading, title), links or {}, _group_of(heading, title, links or {}))
    number = heading + 1
    while number < end:
        skipped = next((stop for start, stop in skip if start == number), None)
        if skipped is not None:
            number = skipped
            reader.in_paragraph = False
            continue
        line = lines[number]
        if "|" in line and number + 1 < end and TABLE_DELIMITER.match(lines[number + 1]):
            number = _read_table(lines, number, end, reader.section)
            reader.in_paragraph = False
            continue
        titled = _NUMBERED_HEADING.match(line)
        if titled and not _lists_below(lines, number + 1, end):
            title = titled.group("body").rstrip(" \t#")
            number = _read_heading_item(lines, number, end, title, reader)
            reader.in_paragraph = False
            continue
        item = LIST_ITEM.match(line)
        if item and reader.item_indent is None:
            reader.item_indent = len(item.group(1))
        if item and len(item.group(1)) == reader.item_indent:
            number = _read_item(lines, number, end, item, reader)
            reader.in_paragraph = False
            continue
        _read_other(lines, number, end, reader)
        number += 1
    _done_beside_done(reader.section.items)
    _topic_labels(reader.section.items)
    return reader.section


def _read_item(
    lines: Sequence[str], number: int, end: int, item: re.Match[str], reader: _Reader
) -> int:
    """Reads the list item at ``number`` (with its continuation); returns the next line."""
    after = _item_end(lines, number, end)
    rest = " ".join(part.strip() for part in lines[number + 1 : after])
    text = f"{item.group('body')} {rest}".strip()  # wrapped lines, sub-points
    numbered = lines[number].lstrip()[:1].isdigit()
    if reader.parent is not None and not numbered:
        # "1. **Migrate the table**" then unindented "- Query plans" bullets: details of
        # that item (the blind review counted 37 items for 4), not items of their own.
        for name, value in reader.parent.values.items():
            if value is not None:
                reader.parent.values[name] = (value[0], f"{value[1]} {text}")
        return after
    if PLACEHOLDER.match(text) or META_ITEM.match(text) or not_team_work(text):
        reader.section.not_work.append(text)
        return after
    body = _with_targets(text, reader.links)
    group = reader.group
    extra = {"owner": "", "ticket": group.ticket, "due": group.due}
    values: dict[str, tuple[int, str] | None] = {
        name: (len(item.group(1)) + 1, f"{body} {extra[name]}".rstrip()) for name in FIELDS
    }
    done = group.done or item.group("check") in ("x", "X") or reads_done(text)
    found = Item(
        number,
        len(item.group(1)) + 1,
        values,
        done=done,
        tracker_only=bool(TRACKER_ONLY.match(text)),
        group=group.line,
        text=text,
        group_due=group.due,
    )
    reader.section.items.append(found)
    reader.run.append(found)
    reader.parent = found if numbered else None
    return after


def _lists_below(lines: Sequence[str], start: int, end: int) -> bool:
    """Whether a list or a table comes before the next heading."""
    for number in range(start, end):
        line = lines[number]
        if _HEADING.match(line):
            return False
        if LIST_ITEM.match(line) or ("|" in line and TABLE_DELIMITER.match(line)):
            return True
    return False


def _read_heading_item(
    lines: Sequence[str], number: int, end: int, title: str, reader: _Reader
) -> int:
    """Reads an item written as a numbered heading, with the paragraphs under it up to
    the next heading (they say who does it and where it is tracked); returns that line."""
    after = next((n for n in range(number + 1, end) if _HEADING.match(lines[n])), end)
    detail = " ".join(line.strip() for line in lines[number + 1 : after] if line.strip())
    text = f"{title} {detail}".strip()
    reader.group = _Group(number)
    reader.run = []
    reader.parent = None
    if PLACEHOLDER.match(title) or META_ITEM.match(title) or not_team_work(title):
        reader.section.not_work.append(title)
        return after
    body = _with_targets(text, reader.links)
    values: dict[str, tuple[int, str] | None] = {name: (1, body) for name in FIELDS}
    done = bool(DONE_TEXT.search(title)) or reads_done(title) or done_title(title)
    found = Item(number, 1, values, done=done, group=number, text=text)
    reader.section.items.append(found)
    return after


def _read_other(lines: Sequence[str], number: int, end: int, reader: _Reader) -> None:
    """A line that is neither a table nor an item: a heading starts a group of items, a
    paragraph is counted as prose and may file the items above it under one ticket."""
    line = lines[number]
    stripped = line.strip()
    heading = bool(_HEADING.match(line))
    is_prose = bool(stripped) and not (
        heading
        or _LINK_DEFINITION.match(line)
        or stripped.startswith(("<!--", "![", "<"))
        or _ANY_LIST_ITEM.match(line)
        or EMPTY_ITEM.match(line)
    )
    if is_prose and not reader.in_paragraph:
        reader.section.prose += 1
        _share_ticket(lines, number, end, reader.run, reader.links)
    if heading:
        reader.group = _group_of(number, line, reader.links)
    if is_prose or heading:
        reader.run = []  # a paragraph or a heading ends the list it could speak of
        reader.parent = None
    reader.in_paragraph = is_prose


def _done_beside_done(items: Sequence[Item]) -> None:
    """An item opening on a past tense ("Sent the notice to every team") is done when an
    item under the same heading is marked done ("✅ Reverted the change"), or when every
    item under that heading opens on one and one of them surely is a verb ("Migrated the
    Asia node"): a list of what was done, not titles of work to do ("Automated tests")."""
    groups: dict[int, list[Item]] = {}
    for item in items:
        if item.table is None:
            groups.setdefault(item.group, []).append(item)
    for group in groups.values():
        past = [item for item in group if reads_past(item.text)]
        finished = any(item.done for item in group) or (
            len(past) == len(group) >= 2 and any(reads_past_clause(item.text) for item in past)
        )
        if finished:
            for item in past:
                item.done = True


def _topic_labels(items: Sequence[Item]) -> None:
    """In a list whose items open on a label, one label that names a topic ("**Monitoring**:
    Investigate ...") says what the labels are: "**Memory Limits**:" beside it is a topic
    too, not an owner. Labels with a handle or a team word still name owners."""
    groups: dict[int, list[Item]] = {}
    for item in items:
        if item.table is None and has_label(item.text):
            groups.setdefault(item.group, []).append(item)
    for group in groups.values():
        if len(group) < 2 or all(owner_label(item.text) for item in group):
            continue
        for item in group:
            label = owner_label(item.text) or ""
            if label and not labels_a_team(label):
                item.label_is_topic = True


def _share_ticket(
    lines: Sequence[str], start: int, end: int, items: Sequence[Item], links: dict[str, str]
) -> None:
    """A paragraph right after a list that files its items together ("Add these to the
    documentation [see here for an issue](...)") gives each of them that ticket."""
    stop = next((n for n in range(start, end) if not lines[n].strip()), end)
    paragraph = _with_targets(" ".join(line.strip() for line in lines[start:stop]), links)
    if not items or not BACK_REFERENCE.search(paragraph) or not has_ticket(paragraph):
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
