"""What the search index reads: each source is a table, its incident column and the text
columns that make one entry's body.

To make more content searchable (the review comments, say), add a ``Source`` here and a
migration that calls ``triggers.install`` and ``triggers.rebuild``: the triggers, the
rebuild and the result labels all follow from this list.
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
)

BY_KIND = {source.kind: source for source in SOURCES}
