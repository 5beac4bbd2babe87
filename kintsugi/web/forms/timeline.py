"""The form for one timeline event (add and edit share it)."""

from __future__ import annotations

from typing import Any

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import choices
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident, TimelineEvent
from kintsugi.web.forms.base import (
    ServiceForm,
    UserChoiceField,
    UtcTimeField,
    VersionField,
    choice_field,
    text_field,
)


class EventForm(ServiceForm):
    occurred_at = UtcTimeField(label="Time")
    kind = choice_field(label="Kind", choices=choices(EventKind), initial=EventKind.NOTE)
    text = text_field(label="What happened", max_length=limits.MAX_SHORT_TEXT, rows=2)
    author = UserChoiceField(label="Author")
    evidence_url = text_field(
        label="Evidence link",
        max_length=limits.MAX_URL,
        help_text="Optional: a graph, a log query, a chat message.",
    )

    def values(self) -> dict[str, Any]:
        fields = ("occurred_at", "kind", "text", "author", "evidence_url")
        return {name: self.cleaned_data[name] for name in fields}

    def add(self, *, user: User, incident: Incident) -> TimelineEvent | None:
        return self.run(
            lambda: services.timeline_event_add(user=user, incident=incident, **self.values())
        )


class EventEditForm(EventForm):
    version = VersionField()

    @classmethod
    def for_event(cls, event: TimelineEvent, **kwargs: Any) -> EventEditForm:
        return cls(
            initial={
                "occurred_at": event.occurred_at,
                "kind": event.kind,
                "text": event.text,
                "author": event.author.username if event.author else None,
                "evidence_url": event.evidence_url,
                "version": event.version,
            },
            **kwargs,
        )

    def update(self, *, user: User, event: TimelineEvent) -> TimelineEvent | None:
        return self.run(
            lambda: services.timeline_event_update(
                user=user, event=event, version=self.cleaned_data["version"], **self.values()
            )
        )
