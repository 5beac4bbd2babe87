"""One action item's values as people write them, read into an ActionItemEntry.

Shared by the table rows and the list items of actions_section.py. In best effort a value
that cannot be read is kept in the item's description with a note (never dropped) and a
word that is mapped ("High" -> P1, "May 14" -> this year) is reported; strict mode refuses
what it always refused and reads what it always read, silently.
"""

from __future__ import annotations

import re

from kintsugi.core.document import ActionItemEntry
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.action_fields import read_date, ticket_of_url
from kintsugi.core.markdown.escaping import read_optional
from kintsugi.core.markdown.fields import (
    clean_person,
    clean_ticket_id,
    clean_url,
    parse_action_status,
    parse_priority_word,
)
from kintsugi.core.markdown.links import parse_link
from kintsugi.core.markdown.state import ParseState

# Words our own format has always accepted for a priority: strict mode reads them
# silently, as before; other mapped words ("Must", "P4") are assumptions it refuses.
_STRICT_PRIORITY_WORDS = ("immediate", "critical", "urgent", "high", "medium", "normal", "low")


# Link labels that say "a ticket" without naming one: "([Issue](https://...))", "[see
# issue here](...)": every word is one of these, and one of them names a ticket.
_GENERIC_WORDS = frozenset(
    {
        *("see", "this", "the", "an", "a", "our", "related", "github", "gitlab", "jira"),
        *("tracking", "pull", "merge", "request", "in", "on", "for"),
        *("issue", "issues", "pr", "mr", "ticket", "bug", "link", "here", "fixed", "fix"),
        "tracker",
    }
)
_TICKET_WORDS = frozenset(
    {"issue", "issues", "pr", "mr", "ticket", "bug", "link", "here", "fixed", "fix", "tracker"}
)


def _generic_label(label: str) -> bool:
    words = re.findall(r"[\w']+", label.lower())
    return bool(words) and set(words) <= _GENERIC_WORDS and bool(set(words) & _TICKET_WORDS)


def read_ticket(item: ActionItemEntry, cell: str, *, strict: bool = True) -> None:
    value = read_optional(cell)
    if value is None:
        return
    link = parse_link(value)
    if link is None:
        item.ticket_id = clean_ticket_id(value, field="action_items.ticket_id")
        return
    label, url = link
    item.ticket_url = clean_url(url, field="action_items.ticket_url")
    if not strict and _generic_label(label):
        label = ""  # the URL names the ticket better than "Issue" does
    key = label or (None if strict else ticket_of_url(url))
    if key:
        item.ticket_id = clean_ticket_id(key, field="action_items.ticket_id")


def append_line(description: str, text: str) -> str:
    return f"{description}\n{text}".strip() if description else text


class ValueReader:
    """Reads the facts of one action item; in best effort a value that cannot be read is
    kept in the item's description with a note (never dropped), in strict mode refused."""

    def __init__(self, state: ParseState, item: ActionItemEntry, line: int):
        self.state, self.item, self.line = state, item, line

    def note(self, message: str) -> None:
        """A mapping strict mode accepts too (it only reports in best effort)."""
        if not self.state.strict:
            self.state.report.add("assumption", message, line=self.line, field="action_items")

    def unread(self, label: str, value: str, problem: ValidationProblem) -> None:
        if self.state.strict:
            self.state.problems.record(problem, line=self.line)
            return
        self.item.description = append_line(self.item.description, f"{label}: {value}")
        self.state.report.add(
            "attention",
            f"{problem.message} The value is kept in the item's description.",
            line=self.line,
            field=problem.field,
        )

    def owner(self, value: str) -> None:
        raw = value.strip()
        owner = read_optional(raw)
        if owner is None and not self.state.strict and raw.lower() in ("tbd", "tba"):
            owner = raw  # kept as written: the database decides later
        if owner is None:
            return
        try:
            self.item.owner = clean_person(owner, field="action_items.owner")
        except ValidationProblem as problem:
            self.unread("Owner", raw, problem)

    def ticket(self, value: str) -> None:
        try:
            read_ticket(self.item, value.strip(), strict=self.state.strict)
        except ValidationProblem as problem:
            self.unread("Ticket", value.strip(), problem)

    def due(self, value: str) -> None:
        raw = read_optional(value.strip())
        if raw is None:
            return
        year = self.state.timeline_date or (
            self.state.doc.started_at.date() if self.state.doc.started_at else None
        )
        reading = read_date(raw, year=year.year if year else None)
        if reading.value is not None and reading.assumption:
            self.state.assume(
                f"Due date {reading.assumption}.", line=self.line, field="action_items.due_on"
            )
        if reading.value is not None:
            self.item.due_on = reading.value
            return
        self.unread(
            "Due",
            raw,
            ValidationProblem(
                f"The due date {reading.problem}; write it as YYYY-MM-DD.",
                field="action_items.due_on",
            ),
        )

    def priority(self, value: str) -> None:
        raw = read_optional(value.strip())
        if raw is None:
            return
        try:
            priority, exact = parse_priority_word(raw, field="action_items.priority")
        except ValidationProblem as problem:
            self.unread("Priority", raw, problem)
            return
        self.item.priority = priority
        if exact:
            return
        if raw.strip().lower() in _STRICT_PRIORITY_WORDS:
            self.note(f"Priority {raw!r} read as {priority.value}.")
        else:
            self.state.assume(
                f"Priority {raw!r} read as {priority.value}.",
                line=self.line,
                field="action_items.priority",
            )

    def status(self, value: str) -> None:
        raw = read_optional(value.strip())
        if raw is None:
            return
        try:
            self.item.status = parse_action_status(raw, field="action_items.status")
        except ValidationProblem as problem:
            self.unread("Status", raw, problem)
