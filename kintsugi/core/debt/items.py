"""The plain-data view of an action item that every debt function works on.

The Django side builds these with one query (item, incident, owner, team and services
selected together), so the agenda, the dashboard reference aggregates, the reminders and the
sprint report never touch the database and run the same in tests and in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text
from kintsugi.core.vocabulary import ActionStatus, Priority, Severity

from .policy import DEFAULT_AT_RISK_DAYS


@dataclass(frozen=True)
class ReviewNote:
    """An item marked as reviewed in a weekly meeting: the next agenda shows the note."""

    reviewed_at: datetime
    reviewer: str
    note: str = ""


def review_note(*, reviewed_at: datetime, reviewer: str, note: str | None) -> ReviewNote:
    """Validate a "reviewed" mark. The note may be empty: "we looked at it" is news too."""
    if reviewed_at.tzinfo is None or reviewed_at.utcoffset() is None:
        raise ValidationProblem("The review time needs a timezone.", field="reviewed_at")
    text = clean_text(note, field="note", max_length=MAX_SHORT_TEXT, label="review note")
    who = clean_text(reviewer, field="reviewer", max_length=150, required=True)
    return ReviewNote(reviewed_at=reviewed_at.astimezone(UTC), reviewer=who, note=text)


@dataclass(frozen=True)
class ActionSnapshot:
    """One action item as the debt rules see it.

    ``policy_due_on`` is the date the policy asked for when the target date was last set
    (creation or priority change); it is stored on the item so that a later change of policy
    does not rewrite history, and the SLA is measured against it. ``due_on`` is the target
    date the team works to (equal to the policy's, or later with a recorded reason).
    ``closed_at`` is when the item was done or declared won't do.
    """

    id: int
    title: str
    priority: Priority
    status: ActionStatus
    created_at: datetime
    policy_due_on: date
    incident_id: int
    due_on: date | None = None
    closed_at: datetime | None = None
    status_reason: str = ""
    owner: str | None = None
    ticket_id: str = ""
    ticket_url: str = ""
    incident_title: str = ""
    severity: Severity = Severity.SEV3
    team: str | None = None
    services: tuple[str, ...] = ()
    at_risk_days: int = DEFAULT_AT_RISK_DAYS
    estimate: float | None = None
    planned_sprint: int | None = None
    url: str = ""
    incident_url: str = ""
    last_review: ReviewNote | None = None
    owner_name: str | None = None  # the owner's full name, when they gave one

    def __post_init__(self) -> None:
        for name in ("created_at", "closed_at"):
            moment = getattr(self, name)
            if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
                raise ValidationProblem(f"{name} needs a timezone.", field=name)

    @property
    def owner_label(self) -> str | None:
        """How the agendas and reminders name the owner: their name, else their username."""
        return self.owner_name or self.owner

    @property
    def incident_reference(self) -> str:
        return f"INC-{self.incident_id}"

    @property
    def is_closed(self) -> bool:
        return self.status.is_closed

    @property
    def created_on(self) -> date:
        return self.created_at.astimezone(UTC).date()

    @property
    def closed_on(self) -> date | None:
        """The UTC day the item was closed; ``None`` while open.

        A closed item without a recorded time (legacy or imported data) counts as closed on
        the day it was created: an unknown time is never held against the team.
        """
        if not self.is_closed:
            return None
        if self.closed_at is None:
            return self.created_on
        return self.closed_at.astimezone(UTC).date()

    @property
    def missing(self) -> tuple[str, ...]:
        """The fields the weekly review asks for: owner, ticket, target date."""
        gaps = []
        if not self.owner:
            gaps.append("owner")
        if not self.ticket_id:
            gaps.append("ticket")
        if self.due_on is None:
            gaps.append("target date")
        return tuple(gaps)

    def is_open_on(self, day: date) -> bool:
        """Whether the item existed and was still open at the end of ``day``."""
        if self.created_on > day:
            return False
        closed = self.closed_on
        return closed is None or closed > day
