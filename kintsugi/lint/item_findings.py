"""Action-item field checks: every item needs an owner, a ticket and a target date.

What the document lacks is said once: when no action item has an owner (a table without
an Owner column, a list that names nobody), that is one finding at the table or section,
not one per row, because the author has one thing to fix. Items that miss a field their
neighbours have are reported one by one, since each is its own omission.

The ``relaxed`` profile (documents written elsewhere) keeps owner and ticket findings, asks
for target dates only in documents that track them (a due column, or some item with a
date: elsewhere the date lives in the tracker), and never reports row by row: several
items missing a field among others that have it are one finding listing their lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kintsugi.core.language import Finding, Rule
from kintsugi.lint.action_items import FIELDS, Item, Section
from kintsugi.lint.item_text import is_missing, is_target

Make = Callable[[Rule, int, int, str], Finding]

_LABELS = {"owner": "Owner", "ticket": "Ticket", "due": "Due"}
_HINTS = {
    "owner": "names an owner (@name or 'Owner: name')",
    "ticket": "has a ticket (e.g. OPS-123 or a link)",
    "due": "has a target date (YYYY-MM-DD)",
}
_SINGLE = {
    "owner": "names no owner (@name or 'Owner: name')",
    "ticket": "has no ticket (e.g. OPS-123 or a link)",
    "due": "has no target date (YYYY-MM-DD)",
}
_NOUNS = {"owner": "an owner", "ticket": "a ticket", "due": "a target date"}


def check_items(
    sections: Sequence[Section], rules: dict[str, Rule], make: Make, *, relaxed: bool
) -> list[Finding]:
    """Owner, ticket and due-date findings over every action item of the document."""
    items = [item for section in sections for item in section.items]
    if relaxed:
        items = [item for item in items if not item.done]
    if not items:
        return []
    findings: list[Finding] = []
    for name in FIELDS:
        rule = rules[name]
        if relaxed and name == "due" and not _tracks_dates(sections, items):
            continue
        missing = [item for item in items if not item.has(name)]
        if relaxed and name == "owner":
            missing = [item for item in missing if not (item.tracker_only or item.by_writer)]
            if not missing:
                continue
        if len(missing) == len(items):
            findings.append(_none_has(name, rule, sections, items, make))
            continue
        columnless = {item.table for item in missing if item.table is not None}
        columnless = {t for t in columnless if item_field_absent(sections, t, name)}
        for table in sorted(columnless):
            count = sum(1 for item in missing if item.table == table)
            findings.append(
                make(
                    rule,
                    table,
                    1,
                    f"This action items table has no {_LABELS[name]} column: "
                    f"{_count(count)} without {_NOUNS[name]}.",
                )
            )
        rows = [item for item in missing if item.table not in columnless]
        if relaxed and len(rows) > 1:
            where = ", ".join(str(item.line + 1) for item in rows)
            findings.append(
                make(
                    rule,
                    rows[0].line,
                    rows[0].column,
                    f"{len(rows)} of {len(items)} action items have no {_word(name)} "
                    f"(lines {where}).",
                )
            )
            continue
        have = len(items) - len(missing)
        findings.extend(_row_finding(name, rule, item, make, have, len(items)) for item in rows)
    findings.extend(_bad_dates(items, rules["due"], make))
    return findings


def item_field_absent(sections: Sequence[Section], table: int, name: str) -> bool:
    return any(table in s.tables and name not in s.tables[table] for s in sections)


def _tracks_dates(sections: Sequence[Section], items: Sequence[Item]) -> bool:
    """Whether the document dates its items one by one (a due column, an item with its own
    date): a quarter in a group's heading ("Long-term (Q4 2025)") dates that group only,
    and the other items keep their dates in the tracker."""
    has_column = any("due" in roles for s in sections for roles in s.tables.values())
    return has_column or any(item.has_own_date() for item in items)


def _none_has(
    name: str, rule: Rule, sections: Sequence[Section], items: Sequence[Item], make: Make
) -> Finding:
    tables = {item.table for item in items}
    if len(tables) == 1 and None not in tables:
        header = next(iter(tables))
        assert header is not None
        if item_field_absent(sections, header, name):
            message = (
                f"The action items table has no {_LABELS[name]} column: "
                f"{_count(len(items))} without {_NOUNS[name]}."
            )
        else:
            message = (
                f"No action item has {_NOUNS[name]}: the {_LABELS[name]} column is empty in "
                f"all {len(items)} rows."
            )
        return make(rule, header, 1, message)
    # At the heading of the first section that holds the items (not an empty "Follow-up").
    heading = next(s.heading for s in sections if any(item in s.items for item in items[:1]))
    holder = next(s for s in sections if s.heading == heading)
    if holder.as_lessons:
        title = holder.title.strip(" #*_")
        if len(items) == 1:
            message = f"The follow-up written as a lesson under '{title}' {_SINGLE[name]}."
        else:
            message = (
                f"None of the {len(items)} follow-ups written as lessons under '{title}' "
                f"{_HINTS[name]}."
            )
    elif len(items) == 1:
        message = f"The action item {_SINGLE[name]}."
    else:
        message = f"None of the {len(items)} action items {_HINTS[name]}."
    return make(rule, heading, 1, message)


def _row_finding(name: str, rule: Rule, item: Item, make: Make, have: int, total: int) -> Finding:
    value = item.values.get(name)
    column = value[0] if value is not None and item.table is not None else item.column
    message = f"Action item has no {_word(name)} ({have} of {total} items have one)."
    return make(rule, item.line, column, message)


def _bad_dates(items: Sequence[Item], rule: Rule, make: Make) -> list[Finding]:
    """A due cell that holds something other than a date ("next sprint")."""
    found = []
    for item in items:
        value = item.values.get("due")
        if item.table is None or value is None or is_missing(value[1]) or is_target(value[1]):
            continue
        found.append(
            make(rule, item.line, value[0], f"Due date '{value[1]}' is not a date; use YYYY-MM-DD.")
        )
    return found


def _word(name: str) -> str:
    return {"owner": "owner", "ticket": "ticket", "due": "target date"}[name]


def _count(number: int) -> str:
    return f"{number} item{'s' if number != 1 else ''}"
