"""Action Items: the table, and the details that do not fit in a table cell.

Ours: a table ``# | Priority | Action | Owner | Ticket | Due | Status | Addresses`` sorted
by priority (the given order within one), and for items with a description, a status
reason or a completion time, a ``### A1. Title`` subsection: first a list of ``Status
reason:`` and ``Completed:`` lines, then the description. Variants: tables with other
columns (the Google SRE ``Action Item | Type | Owner | Bug``), plain or checkbox lists with
their facts in the text (action_fields.py), subsections of items ("### Short term") and,
in best effort, sections of paragraphs. Values are read by action_values.py.
"""

from __future__ import annotations

import re

from kintsugi.core.document import (
    MAX_LIST_ITEMS,
    MAX_SHORT_TEXT,
    MAX_TEXT,
    MAX_TITLE,
    ActionItemEntry,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.action_fields import (
    REFERENCE_DEFINITION,
    read_inline_facts,
    resolve_references,
)
from kintsugi.core.markdown.action_values import ValueReader, append_line
from kintsugi.core.markdown.blocks import Block, Line, split_blocks, text_of
from kintsugi.core.markdown.escaping import read_optional, unescape_strict
from kintsugi.core.markdown.factors_section import split_title
from kintsugi.core.markdown.fields import (
    clean_text,
    clean_title,
)
from kintsugi.core.markdown.state import ActionSource, ParseState
from kintsugi.core.markdown.tables import read_table
from kintsugi.core.timeparse import parse_utc
from kintsugi.core.vocabulary import ActionStatus

COLUMNS = {
    "key": ("#", "id", "no", "no.", "number", "ref"),
    "priority": ("priority", "prio", "pri"),
    "title": (
        "action",
        "action item",
        "action items",
        "item",
        "task",
        "title",
        "what",
        "remediation",
        "remediation item",
        "follow-up",
        "follow up",
        "corrective action",
        "fix",
        "improvement",
        "next step",
        "work item",
        "recommendation",
    ),
    "owner": (
        "owner",
        "owners",
        "assignee",
        "assignees",
        "assigned to",
        "who",
        "responsible",
        "dri",
        "team",
        "owning team",
    ),
    "ticket": (
        "ticket",
        "bug",
        "bug/ticket",
        "ticket/bug",
        "issue",
        "tracking",
        "jira",
        "tracker",
        "link",
        "ticket link",
        "issue link",
        "jira ticket",
        "tracking issue",
        "pr",
    ),
    "due": (
        "due",
        "due date",
        "due on",
        "due by",
        "target",
        "target date",
        "target completion date",
        "deadline",
        "eta",
        "by when",
        "when",
    ),
    "status": ("status", "state"),
    "addresses": ("addresses", "factor", "contributing factor", "root cause", "cause"),
    "description": ("description", "details", "notes", "note", "comments"),
    "reason": ("reason", "status reason"),
    "completed": ("completed", "completed at", "done at", "closed at", "completed on"),
}

# Headers that no name above matches, read by their words ("Tracking bug", "Owner
# team", "Target completion"); a header whose words fit two columns stays extra text.
COLUMN_KEYWORDS = {
    "title": r"\b(?:action|task|remediation|follow[- ]?up|fix|improvement)s?\b",
    "owner": r"\b(?:owner|assignee|responsible|dri)s?\b",
    "ticket": r"\b(?:bug|ticket|issue|jira|tracking|tracker|pr|link)s?\b",
    "due": r"\b(?:due|deadline|eta|target)\b",
    "status": r"\b(?:status|state|done)\b",
    "priority": r"\bprio(?:rity)?\b",
}

# The leading lines of a details subsection. A description whose first line reads like
# one of them is written with a leading backslash.
DETAIL_LINE = re.compile(r"^(completed|status reason|reason)[ \t]*:[ \t]*(.*)$", re.I | re.S)
DESCRIPTION_GUARD = re.compile(
    r"^( {0,3})(\\*)[-*+][ \t]+(?:completed|status reason|reason)[ \t]*:", re.IGNORECASE
)
ACTION_LABEL = re.compile(r"^A(\d{1,4})\b[.:)]?[ \t]*(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\][ \t]+(.*)$", re.DOTALL)


_PLACEHOLDER = re.compile(r"(?:none|n/?a|tbd|-+|—|nothing|nothing yet)\.?", re.IGNORECASE)


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
    reader = ValueReader(state, item, line)
    with problems.guard(line):
        item.title = clean_title(cells.get("title", ""), field="action_items.title")
    reader.priority(cells.get("priority", ""))
    reader.owner(cells.get("owner", ""))
    reader.ticket(cells.get("ticket", ""))
    reader.due(cells.get("due", ""))
    reader.status(cells.get("status", ""))
    with problems.guard(line):
        completed = read_optional(cells.get("completed", ""))
        if completed is not None:
            item.completed_at = parse_utc(completed, field="action_items.completed_at")
    description = cells.get("description", "").strip()
    for header, value in extra:
        description += f"\n{header}: {value}"
    with problems.guard(line):
        item.description = clean_text(
            append_line(description.strip(), item.description),
            field="action_items.description",
            limit=MAX_TEXT,
        )
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


def _read_table(state: ParseState, heading: str, block: Block) -> None:
    table = read_table(block, COLUMNS, None if state.strict else COLUMN_KEYWORDS)
    if "title" not in table.keys:
        if state.strict or "description" not in table.keys:
            raise ValidationProblem(
                "An action item table needs an 'Action' column (the task to do).",
                line=table.line,
            )
        state.report.add(
            "assumption",
            "The action item table has no 'Action' column; its 'Description' column gives "
            "each item's title.",
            line=table.line,
            field="action_items",
        )
        for row in table.rows:
            row.cells["title"] = row.cells.pop("description", "")
    for row in table.rows:
        title = row.cells.get("title", "").strip()
        if not state.strict and (not title or "\n" in title or len(title) > MAX_TITLE):
            if not title:
                state.keep(
                    "This action item row has no title; it is kept as text.",
                    heading,
                    [line for line in block.lines if line.number == row.line],
                    line=row.line,
                    field="action_items.title",
                )
                continue
            split, rest = split_title(title.replace("\n", " "))
            row.cells["title"] = split
            row.cells["description"] = append_line(rest, row.cells.get("description", ""))
        item = _row_item(state, row.cells, row.extra, row.line)
        key = (row.cells.get("key") or "").strip().upper() or f"A{len(state.doc.action_items) + 1}"
        addresses = None
        try:
            addresses = _addresses(row.cells.get("addresses", ""))
        except ValidationProblem as problem:
            ValueReader(state, item, row.line).unread(
                "Addresses", row.cells.get("addresses", "").strip(), problem
            )
        _add(state, item, ActionSource(line=row.line, key=key, addresses=addresses))


def _read_list_item(
    state: ParseState, block: Block, group: str | None, references: dict[str, str]
) -> None:
    raw = unescape_strict(block.item.text) if block.item is not None else text_of(block.lines)
    text = resolve_references(raw, references)
    item = ActionItemEntry(title="")
    checkbox = _CHECKBOX.match(text)
    if checkbox is not None:
        item.status = ActionStatus.OPEN if checkbox.group(1) == " " else ActionStatus.DONE
        text = checkbox.group(2)
    facts = read_inline_facts(text)
    if facts.owner_from_subject:  # "DevEx will ...": a reading, noted; strict reads none
        if state.strict:
            facts.owner = None
        else:
            state.report.add(
                "assumption",
                f"{facts.owner!r}, the subject of the item's sentence ('{facts.owner} will "
                "...', '... has added ...'), is read as its owner.",
                line=block.line,
                field="action_items.owner",
            )
    reader = ValueReader(state, item, block.line)
    for name, value in (
        ("priority", facts.priority),
        ("owner", facts.owner),
        ("ticket", facts.ticket),
        ("due", facts.due),
        ("status", facts.status),
    ):
        if value is not None:
            getattr(reader, name)(value)
    rest = "\n".join(facts.rest).strip()
    before = item.description
    with state.problems.guard(block.line):
        title, description = split_title(facts.title)
        item.title = clean_title(title, field="action_items.title")
        parts = [description, rest, before, f"Section: {group}" if group else ""]
        item.description = clean_text(
            "\n\n".join(part for part in parts if part),
            field="action_items.description",
            limit=MAX_TEXT,
        )
    if not item.title:
        if not state.strict:
            state.keep(
                "This list item could not be read as an action item; it is kept as text.",
                group or "",
                block.lines,
                line=block.line,
                field="action_items",
            )
        return
    key = f"A{len(state.doc.action_items) + 1}"
    _add(state, item, ActionSource(line=block.line, key=key))


def link_references(lines: list[Line]) -> dict[str, str]:
    """The ``[label]: url`` definitions among these lines, for ``[Issue][label]`` links."""
    found: dict[str, str] = {}
    for line in lines:
        match = None if line.fenced else REFERENCE_DEFINITION.match(line.text)
        if match is not None:
            found.setdefault(match.group(1).strip().lower(), match.group(2))
    return found


def is_prose(lines: list[Line]) -> bool:
    """A section of paragraphs only ("## Follow-up" written as prose) has one action item
    per paragraph, in best effort; with a list or table anywhere in the section, its
    paragraphs are introductions and notes (kept as text)."""
    return all(block.kind == "paragraph" for block in split_blocks(lines))


def read_action_blocks(
    state: ParseState,
    heading_line: Line,
    lines: list[Line],
    *,
    group: str | None = None,
    references: dict[str, str] | None = None,
    prose: bool | None = None,
) -> None:
    """Tables and list items are action items; ``group`` names the subsection they are
    under ("Short term"), kept in each item's description. ``references`` are the link
    definitions of the whole section (they often sit at its end). ``prose``: the whole
    section is paragraphs (see :func:`is_prose`)."""
    references = link_references(lines) if references is None else references
    blocks = split_blocks(lines)
    if group is not None and not blocks:
        state.appendix.append(heading_line.text)  # an empty subsection: its heading stays
    prose = is_prose(lines) if prose is None else prose
    prose = prose and not state.strict
    read = 0
    for block in blocks:
        if (
            prose
            and not _PLACEHOLDER.fullmatch(text_of(block.lines))
            and not all(REFERENCE_DEFINITION.match(line.text) for line in block.lines)
        ):
            _read_list_item(state, block, group, references)
            read += 1
            continue
        if block.kind == "table":
            try:
                _read_table(state, heading_line.text, block)
            except ValidationProblem as problem:
                if state.strict:
                    state.problems.record(problem, line=block.line)
                else:
                    state.keep(
                        f"{problem.message} The table is kept as text.",
                        heading_line.text,
                        block.lines,
                        line=problem.line or block.line,
                        field="action_items",
                    )
        elif block.kind == "item":
            _read_list_item(state, block, group, references)
        else:
            state.stray(heading_line.text, block.lines)
    if read:
        state.report.add(
            "assumption",
            f"The '{heading_line.text.lstrip('#').strip()}' section is written as paragraphs; "
            f"each of its {read} paragraph{'s' if read > 1 else ''} is read as an action item.",
            line=heading_line.number,
            field="action_items",
        )


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
