"""What the search index reads: each source is a table, its incident column and the text
columns that make one entry's body.

To make more content searchable, add a ``Source`` here and a migration that calls
``triggers.install`` and ``triggers.rebuild``: the triggers, the rebuild and the result
labels all follow from this list. A table without an incident column of its own (a review
comment belongs to a thread, the thread to the incident) names the parent table that holds
it (``via``): the triggers look the incident up there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # stored in SearchEntry.kind; short and stable
    label: str  # what a result says it is
    table: str
    incident_column: str
    text_columns: tuple[str, ...]
    anchor: str  # the post-mortem page's section (its element id)
    # (parent table, its incident column): ``incident_column`` is then this table's
    # reference to a parent row, which never moves to another incident.
    via: tuple[str, str] | None = None

    def incident_sql(self, row: str) -> str:
        """The incident's id for a row of this table (``NEW``, ``OLD`` or the table name)."""
        column = f'{row}."{self.incident_column}"'
        if self.via is None:
            return column
        parent, parent_incident = self.via
        return f'(SELECT "{parent_incident}" FROM {parent} WHERE id = {column})'  # noqa: S608


SOURCES: tuple[Source, ...] = (
    Source(
        "incident",
        "Post-mortem",
        "postmortems_incident",
        "id",
        ("title", "summary", "impact", "trigger", "detection", "resolution", "appendix"),
        "executive-summary",
    ),
    Source("event", "Timeline", "postmortems_timelineevent", "incident_id", ("text",), "timeline"),
    Source(
        "factor",
        "Contributing factor",
        "postmortems_factor",
        "incident_id",
        ("title", "description"),
        "factors",
    ),
    Source("lesson", "Lesson", "postmortems_lesson", "incident_id", ("text",), "lessons"),
    Source(
        "action",
        "Action item",
        "postmortems_actionitem",
        "incident_id",
        ("title", "description", "ticket_id"),
        "action-items",
    ),
    Source(
        "why",
        "5 Whys",
        "analysis_whynode",
        "incident_id",
        ("branch_title", "question", "answer"),
        "analysis",
    ),
    # Review comments: a discussion is often where the cause was first named.
    Source(
        "comment",
        "Comment",
        "reviews_comment",
        "thread_id",
        ("text",),
        "comments",
        via=("reviews_thread", "incident_id"),
    ),
)

BY_KIND = {source.kind: source for source in SOURCES}
