"""The sections a post-mortem's history keeps, and what each snapshot holds.

A snapshot is plain JSON: the summary is one mapping of fields; every other section is a
list of rows, each a mapping with an ``id`` (the stored row's key, so a diff can tell an
edited row from a removed one and an added one). The field lists say which fields a diff
compares and which of them are prose (diffed word by word) rather than values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

Snapshot = Any  # dict[str, Any] for the summary, list[dict[str, Any]] for the lists


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    prose: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    fields: tuple[Field, ...]
    rows: bool  # a list of rows (False: one mapping of fields)
    row_label: str = ""  # the field that names a row in a diff

    def empty(self) -> Snapshot:
        return [] if self.rows else {}


SUMMARY = Section(
    "summary",
    "Summary",
    (
        Field("title", "Title", prose=True),
        Field("severity", "Severity"),
        Field("started_at", "Started"),
        Field("ended_at", "Ended"),
        Field("regions", "Regions"),
        Field("summary", "Summary", prose=True),
        Field("impact", "Impact", prose=True),
        Field("trigger", "Trigger", prose=True),
        Field("detection", "Detection", prose=True),
        Field("resolution", "Resolution", prose=True),
        Field("appendix", "Appendix", prose=True),
    ),
    rows=False,
)
TIMELINE = Section(
    "timeline",
    "Timeline",
    (
        Field("at", "Time"),
        Field("kind", "Kind"),
        Field("text", "Text", prose=True),
        Field("author", "Author"),
        Field("evidence_url", "Evidence"),
    ),
    rows=True,
    row_label="at",
)
FACTORS = Section(
    "factors",
    "Contributing factors",
    (
        Field("title", "Title", prose=True),
        Field("description", "Description", prose=True),
        Field("evidence", "Evidence"),
    ),
    rows=True,
    row_label="title",
)
WHYS = Section(
    "whys",
    "5 Whys",
    (
        Field("question", "Question", prose=True),
        Field("answer", "Answer", prose=True),
        Field("parent", "Parent step"),
        Field("position", "Position"),
        Field("branch_title", "Branch", prose=True),
        Field("trigger", "Trigger", prose=True),
        Field("is_root_cause", "Root cause"),
        Field("factors", "Factors"),
        Field("actions", "Action items"),
        Field("evidence", "Evidence"),
    ),
    rows=True,
    row_label="question",
)
LESSONS = Section(
    "lessons",
    "Lessons learned",
    (Field("kind", "Kind"), Field("text", "Text", prose=True)),
    rows=True,
    row_label="text",
)
ACTIONS = Section(
    "actions",
    "Action items",
    (
        Field("title", "Title", prose=True),
        Field("description", "Description", prose=True),
        Field("priority", "Priority"),
        Field("owner", "Owner"),
        Field("ticket_id", "Ticket"),
        Field("ticket_url", "Ticket link"),
        Field("due_on", "Target date"),
        Field("status", "Status"),
        Field("status_reason", "Status reason", prose=True),
    ),
    rows=True,
    row_label="title",
)

SECTIONS: dict[str, Section] = {
    section.key: section for section in (SUMMARY, TIMELINE, FACTORS, WHYS, LESSONS, ACTIONS)
}


def section_named(key: str) -> Section:
    """The section called ``key``; KeyError names the ones that exist."""
    try:
        return SECTIONS[key]
    except KeyError:
        raise KeyError(f"No section {key!r}; the sections are {', '.join(SECTIONS)}.") from None


def digest(snapshot: Snapshot) -> str:
    """A stable fingerprint of a snapshot: equal content, equal digest (key order ignored)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
