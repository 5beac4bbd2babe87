"""Action Items: the table, and the details that do not fit in a table cell.

Ours: a table ``# | Priority | Action | Owner | Ticket | Due | Status | Addresses`` sorted
by priority then due date, and for items with a description, a status reason or a
completion time, a ``### A1. Title`` subsection: first a list of ``Status reason:`` and
``Completed:`` lines, then the description. Variants: tables with other columns (the
Google SRE ``Action Item | Type | Owner | Bug``), and plain or checkbox lists.
"""

from __future__ import annotations

import re

from kintsugi.core.document import (
    MAX_LIST_ITEMS,
    MAX_SHORT_TEXT,
    MAX_TEXT,
    ActionItemEntry,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Block, Line, split_blocks, text_of
from kintsugi.core.markdown.escaping import read_optional, unescape_strict
from kintsugi.core.markdown.factors_section import split_title
from kintsugi.core.markdown.fields import (
    clean_person,
    clean_text,
    clean_ticket_id,
    clean_title,
    clean_url,
    parse_action_status,
    parse_priority,
)
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.state import ActionSource, ParseState
from kintsugi.core.markdown.tables import read_table
from kintsugi.core.timeparse import parse_date, parse_utc
from kintsugi.core.vocabulary import ActionStatus

COLUMNS = {
    "key": ("#", "id", "no", "no.", "number", "ref"),
    "priority": ("priority", "prio", "pri"),
    "title": ("action", "action item", "action items", "item", "task", "title", "what"),
    "owner": ("owner", "assignee", "assigned to", "who", "responsible"),
    "ticket": ("ticket", "bug", "bug/ticket", "ticket/bug", "issue", "tracking", "jira", "tracker"),
    "due": (
        "due",
        "due date",
        "due on",
        "target",
        "target date",
        "target completion date",
        "deadline",
        "eta",
    ),
    "status": ("status", "state"),
    "addresses": ("addresses", "factor", "contributing factor", "root cause", "cause"),
    "description": ("description", "details", "notes", "note"),
    "reason": ("reason", "status reason"),
    "completed": ("completed", "completed at", "done at", "closed at", "completed on"),
}

# The leading lines of a details subsection. A description whose first line reads like
# one of them is written with a leading backslash.
DETAIL_LINE = re.compile(r"^(completed|status reason|reason)[ \t]*:[ \t]*(.*)$", re.I | re.S)
DESCRIPTION_GUARD = re.compile(
    r"^( {0,3})(\\*)[-*+][ \t]+(?:completed|status reason|reason)[ \t]*:", re.IGNORECASE
)
ACTION_LABEL = re.compile(r"^A(\d{1,4})\b[.:)]?[ \t]*(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\][ \t]+(.*)$", re.DOTALL)


def _ticket(item: ActionItemEntry, cell: str) -> None:
    value = read_optional(cell)
    if value is None:
        return
    link = parse_link(value)
    if link is None:
        item.ticket_id = clean_ticket_id(value, field="action_items.ticket_id")
        return
    label, url = link
    item.ticket_url = clean_url(url, field="action_items.ticket_url")
    if label:
        item.ticket_id = clean_ticket_id(label, field="action_items.ticket_id")


def _addresses(cell: str) -> str | None:
    value = read_optional(cell)
    if value is None:
        return None
    match = re.fullmatch(r"(?:F|factor[ ]*)?(\d{1,4})", value.strip(), re.IGNORECASE)
    if match is None:
        raise ValidationProblem(
            f"'Addresses' should name a contributing factor such as F2, not {value[:40]!r}.",
            field="action_items.addresses",
        )
    return f"F{match.group(1)}"


def _row_item(
    state: ParseState, cells: dict[str, str], extra: list[tuple[str, str]], line: int
) -> ActionItemEntry:
    item = ActionItemEntry(title="")
    problems = state.problems
    with problems.guard(line):
        item.title = clean_title(cells.get("title", ""), field="action_items.title")
    with problems.guard(line):
        if read_optional(cells.get("priority", "")) is not None:
            item.priority = parse_priority(cells["priority"], field="action_items.priority")
    with problems.guard(line):
        owner = read_optional(cells.get("owner", ""))
        item.owner = None if owner is None else clean_person(owner, field="action_items.owner")
    with problems.guard(line):
        _ticket(item, cells.get("ticket", ""))
    with problems.guard(line):
        due = read_optional(cells.get("due", ""))
        item.due_on = None if due is None else parse_date(due, field="action_items.due_on")
    with problems.guard(line):
        if read_optional(cells.get("status", "")) is not None:
            item.status = parse_action_status(cells["status"], field="action_items.status")
    with problems.guard(line):
        completed = read_optional(cells.get("completed", ""))
        if completed is not None:
            item.completed_at = parse_utc(completed, field="action_items.completed_at")
    description = cells.get("description", "").strip()
    for header, value in extra:
        description += f"\n{header}: {value}"
    with problems.guard(line):
        item.description = clean_text(description, field="action_items.description", limit=MAX_TEXT)
    with problems.guard(line):
        item.status_reason = clean_text(
            cells.get("reason", ""), field="action_items.status_reason", limit=MAX_SHORT_TEXT
        )
    return item


def _add(state: ParseState, item: ActionItemEntry, source: ActionSource) -> None:
    if any(existing.key == source.key for existing in state.action_sources):
        state.problems.add(f"Two action items are numbered {source.key}.", line=source.line)
    if state.append(
        state.doc.action_items, item, field="action_items", limit=MAX_LIST_ITEMS, line=source.line
    ):
        state.action_sources.append(source)


def _read_table(state: ParseState, block: Block) -> None:
    table = read_table(block, COLUMNS)
    if "title" not in table.keys:
        raise ValidationProblem(
            "An action item table needs an 'Action' column (the task to do).", line=table.line
        )
    for row in table.rows:
        item = _row_item(state, row.cells, row.extra, row.line)
        key = (row.cells.get("key") or "").strip().upper() or f"A{len(state.doc.action_items) + 1}"
        addresses = None
        with state.problems.guard(row.line):
            addresses = _addresses(row.cells.get("addresses", ""))
        _add(state, item, ActionSource(line=row.line, key=key, addresses=addresses))


def _read_list_item(state: ParseState, block: Block) -> None:
    assert block.item is not None
    text = unescape_strict(block.item.text)
    item = ActionItemEntry(title="")
    checkbox = _CHECKBOX.match(text)
    if checkbox is not None:
        item.status = ActionStatus.OPEN if checkbox.group(1) == " " else ActionStatus.DONE
        text = checkbox.group(2)
    with state.problems.guard(block.line):
        title, description = split_title(text)
        item.title = clean_title(title, field="action_items.title")
        item.description = clean_text(description, field="action_items.description", limit=MAX_TEXT)
    key = f"A{len(state.doc.action_items) + 1}"
    _add(state, item, ActionSource(line=block.line, key=key))


def read_action_blocks(state: ParseState, heading_line: Line, lines: list[Line]) -> None:
    for block in split_blocks(lines):
        if block.kind == "table":
            with state.problems.guard(block.line):
                _read_table(state, block)
        elif block.kind == "item":
            _read_list_item(state, block)
        else:
            state.stray(heading_line.text, block.lines)


def read_details(state: ParseState, heading_line: Line, heading: str, lines: list[Line]) -> bool:
    """A ``### A1. ...`` subsection; False when the heading names no action item."""
    label = ACTION_LABEL.match(heading)
    if label is None:
        return False
    key = f"A{label.group(1)}"
    index = next((i for i, s in enumerate(state.action_sources) if s.key == key), None)
    if index is None:
        state.problems.add(
            f"Details for action item {key}, but the table has no row {key}.",
            line=heading_line.number,
        )
        return True
    item = state.doc.action_items[index]
    start = len(lines)
    for block in split_blocks(lines):
        detail = None
        if block.item is not None and block.item.marker in "-*+":
            detail = DETAIL_LINE.match(unescape_strict(block.item.text))
        if detail is None:
            start = lines.index(block.lines[0])
            break
        with state.problems.guard(block.line):
            name, value = detail.group(1).lower(), detail.group(2).strip()
            if name == "completed":
                item.completed_at = parse_utc(value, field="action_items.completed_at")
            else:
                item.status_reason = clean_text(
                    value, field="action_items.status_reason", limit=MAX_SHORT_TEXT
                )
    description_lines = lines[start:]
    with state.problems.guard(
        description_lines[0].number if description_lines else heading_line.number
    ):
        text = text_of(description_lines, markers=[DESCRIPTION_GUARD])
        combined = "\n\n".join(part for part in (item.description, text) if part)
        item.description = clean_text(combined, field="action_items.description", limit=MAX_TEXT)
    return True
