"""Timeline events: what happened when, in UTC."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from kintsugi.api.pagination import page_of
from kintsugi.api.schemas.common import InputSchema, UtcDateTime, VersionedInput
from kintsugi.core import document as limits
from kintsugi.core.timeline import EventKind
from kintsugi.postmortems.models import TimelineEvent


class TimelineEventOut(Schema):
    id: int
    incident: int
    occurred_at: datetime
    kind: EventKind
    text: str
    author: str | None
    evidence_url: str
    version: int

    @staticmethod
    def resolve_incident(obj: TimelineEvent) -> int:
        return obj.incident_id  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_author(obj: TimelineEvent) -> str | None:
        return obj.author.username if obj.author_id else None  # type: ignore[union-attr]


class TimelineWarningOut(Schema):
    """A sanity warning about the timeline (kintsugi/core/timeline_sanity.py): the
    timeline was saved; something in it looks mistyped."""

    rule: str = Field(description="timeline/implausible-order, timeline/outlier-event, ...")
    message: str = Field(description="What looks wrong, naming the events and times.")
    suggestion: str = Field(description="What to check.")
    event_ids: list[int] = Field(description="The timeline events concerned.")


_WARNINGS = (
    "Sanity warnings about the whole timeline (events out of order, far outside the "
    "incident, implausibly long downtime, in the future). Warnings, not errors: the "
    "write was saved."
)


class TimelineEventPage(page_of(TimelineEventOut)):  # type: ignore[misc]
    warnings: list[TimelineWarningOut] = Field(default_factory=list, description=_WARNINGS)


class TimelineEventSaved(TimelineEventOut):
    """An event as a write returns it, with what the timeline now looks like."""

    warnings: list[TimelineWarningOut] = Field(default_factory=list, description=_WARNINGS)


class TimelineEventIn(InputSchema):
    occurred_at: UtcDateTime
    text: str = Field(max_length=limits.MAX_SHORT_TEXT)
    kind: EventKind = EventKind.NOTE
    author: str | None = Field(None, description="Username.")
    evidence_url: str | None = Field(None, max_length=limits.MAX_URL)


class TimelineEventPatch(VersionedInput):
    occurred_at: UtcDateTime | None = None
    text: str | None = Field(None, max_length=limits.MAX_SHORT_TEXT)
    kind: EventKind | None = None
    author: str | None = Field(None, description="Username; null removes the author.")
    evidence_url: str | None = Field(None, max_length=limits.MAX_URL)
