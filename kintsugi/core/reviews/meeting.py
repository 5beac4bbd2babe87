"""The review meeting: its notes, which open threads are questions, and the follow-up mail.

Pure rules, so the web page, the mail and the tests agree on them without a database.
A review meeting walks an agenda (open questions, other unresolved threads, proposed action
items, checklist problems nobody resolved or waived), someone takes notes, and afterwards
the attendees get the notes and what is still open by email.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kintsugi.core.errors import ValidationProblem

MAX_NOTES = 20_000
MAX_ATTENDEES = 50


def clean_notes(text: object, *, field: str = "notes") -> str:
    """Notes as typed, trimmed; empty notes are allowed (the meeting may not have started)."""
    if not isinstance(text, str):
        raise ValidationProblem("The notes must be text.", field=field)
    body = text.strip().replace("\r\n", "\n")
    if len(body) > MAX_NOTES:
        raise ValidationProblem(
            f"The notes are {len(body)} characters long; the limit is {MAX_NOTES}.", field=field
        )
    if "\x00" in body:
        raise ValidationProblem("The notes contain a NUL character.", field=field)
    return body


def is_question(text: str) -> bool:
    """A thread whose opening comment asks something: it goes under "Open questions".

    A question mark anywhere counts ("Why did the pool fill? The graph shows..."): people
    ask and then explain. Text inside code (a URL's query string) is not a question.
    """
    prose = " ".join(part for index, part in enumerate(text.split("`")) if index % 2 == 0)
    words = [word for word in prose.split() if "://" not in word]
    return any("?" in word for word in words)


@dataclass(frozen=True)
class FollowUpItem:
    """One line of the follow-up's open items: what, who, by when, in what state."""

    title: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class StillOpen:
    """What the meeting leaves open, as the follow-up lists it."""

    questions: Sequence[str]
    threads: int  # unresolved threads, questions included
    action_items: Sequence[FollowUpItem]  # proposed: not started yet
    problems: int  # publish-checklist problems neither resolved nor waived


def follow_up_body(
    *, reference: str, title: str, url: str, sender: str, notes: str, still_open: StillOpen
) -> str:
    """The plain-text mail attendees receive after the meeting."""
    lines = [
        f"{sender} sends the notes of the review meeting for {reference} “{title}”.",
        "",
        "Notes",
        "-----",
        notes or "(no notes were taken)",
        "",
        "Still open",
        "----------",
    ]
    if still_open.questions:
        lines.append(f"Open questions ({len(still_open.questions)}):")
        lines.extend(f"  - {' '.join(question.split())}" for question in still_open.questions)
    lines.append(f"Unresolved comment threads: {still_open.threads}")
    lines.append(f"Publish checklist problems not resolved or waived: {still_open.problems}")
    if still_open.action_items:
        lines.append(f"Proposed action items ({len(still_open.action_items)}):")
        lines.extend(
            f"  - {item.title} (owner: {item.owner or 'none'}; target: {item.due or 'none'}; "
            f"{item.status})"
            for item in still_open.action_items
        )
    lines += ["", f"The post-mortem: {url}", ""]
    return "\n".join(lines)
