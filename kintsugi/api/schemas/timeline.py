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


TimelineEventPage = page_of(TimelineEventOut)


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
