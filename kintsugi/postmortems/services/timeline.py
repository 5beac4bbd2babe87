"""Timeline events: add, edit, delete, each checked against the order of key moments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.timeline import KEY_KINDS, EventKind, KeyEvent, check_order
from kintsugi.core.timeparse import check_time_range
from kintsugi.core.validation import clean_choice, clean_text, clean_url
from kintsugi.postmortems.models import Incident, TimelineEvent
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import save_versioned, versioned_saved


def check_timeline(
    incident: Incident,
    *,
    started_at: datetime | None,
    ended_at: datetime | None,
    replace: TimelineEvent | None = None,
    extra: KeyEvent | None = None,
) -> None:
    """Refuse a change that would make the key moments contradict each other.

    Only key events are loaded (a handful per incident), so this stays cheap even on
    timelines with thousands of notes.
    """
    rows = incident.events.filter(kind__in=KEY_KINDS)
    if replace is not None and replace.pk:
        rows = rows.exclude(pk=replace.pk)
    events = [KeyEvent(EventKind(kind), at) for kind, at in rows.values_list("kind", "occurred_at")]
    if extra is not None:
        events.append(extra)
    problems = check_order(events, started_at=started_at, ended_at=ended_at)
    if problems:
        raise ValidationProblem(" ".join(problems), field="occurred_at")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    if "occurred_at" in data:
        with checks:
            moment = data["occurred_at"]
            if not isinstance(moment, datetime):
                raise ValidationProblem("A time is required.", field="occurred_at")
            if timezone.is_naive(moment):
                raise ValidationProblem(
                    "Add a timezone to this time; without one it is ambiguous.", field="occurred_at"
                )
            clean["occurred_at"] = check_time_range(moment, field="occurred_at")
    if "kind" in data:
        with checks:
            clean["kind"] = clean_choice(EventKind, data["kind"], field="kind", label="event kind")
    if "text" in data:
        with checks:
            clean["text"] = clean_text(
                data["text"],
                field="text",
                max_length=limits.MAX_SHORT_TEXT,
                required=True,
                label="event text",
            )
    if "evidence_url" in data:
        with checks:
            clean["evidence_url"] = clean_url(
                data["evidence_url"], field="evidence_url", label="evidence link"
            )
    if "author" in data:
        with checks:
            author = data["author"]
            if author is not None and not isinstance(author, User):
                raise ValidationProblem("Unknown author.", field="author")
            clean["author"] = author
    checks.raise_if_any()
    return clean


@transaction.atomic
def timeline_event_add(
    *,
    user: User | None,
    incident: Incident,
    occurred_at: datetime,
    text: str,
    kind: str = EventKind.NOTE,
    author: User | None = None,
    evidence_url: str = "",
) -> TimelineEvent:
    require_edit(user, incident)
    clean = _clean(
        {
            "occurred_at": occurred_at,
            "text": text,
            "kind": kind,
            "author": author,
            "evidence_url": evidence_url,
        }
    )
    check_timeline(
        incident,
        started_at=incident.started_at,
        ended_at=incident.ended_at,
        extra=KeyEvent(EventKind(clean["kind"]), clean["occurred_at"]),
    )
    return TimelineEvent.objects.create(incident=incident, **clean)


@transaction.atomic
def timeline_event_update(
    *, user: User | None, event: TimelineEvent, version: int | None, **fields: Any
) -> TimelineEvent:
    incident = event.incident
    require_edit(user, incident)
    clean = _clean(fields)
    check_timeline(
        incident,
        started_at=incident.started_at,
        ended_at=incident.ended_at,
        replace=event,
        extra=KeyEvent(
            EventKind(clean.get("kind", event.kind)), clean.get("occurred_at", event.occurred_at)
        ),
    )
    return save_versioned(event, version=version, fields=clean)


@transaction.atomic
def timeline_event_delete(*, user: User | None, event: TimelineEvent) -> None:
    require_edit(user, event.incident)
    event.delete()


@transaction.atomic
def timeline_events_add(
    *, user: User | None, incident: Incident, events: Sequence[Mapping[str, Any]]
) -> list[TimelineEvent]:
    """Several events at once (a captured alert group): each validated as if added alone,
    the order of key moments checked once for all of them, and one INSERT, so a delivery
    of hundreds of alerts costs a few queries instead of two per event."""
    require_edit(user, incident)
    cleaned = [
        _clean({"kind": EventKind.NOTE, "evidence_url": "", **dict(data), "author": None})
        for data in events
    ]
    for clean in cleaned:
        if "occurred_at" not in clean or "text" not in clean:
            raise ValidationProblem("Each event needs a time and a text.", field="occurred_at")
    rows = incident.events.filter(kind__in=KEY_KINDS).values_list("kind", "occurred_at")
    key_events = [KeyEvent(EventKind(kind), at) for kind, at in rows]
    key_events += [
        KeyEvent(EventKind(clean["kind"]), clean["occurred_at"])
        for clean in cleaned
        if clean["kind"] in KEY_KINDS
    ]
    problems = check_order(key_events, started_at=incident.started_at, ended_at=incident.ended_at)
    if problems:
        raise ValidationProblem(" ".join(problems), field="occurred_at")
    rows = TimelineEvent.objects.bulk_create(
        [TimelineEvent(incident=incident, **clean) for clean in cleaned]
    )
    # bulk_create sends no post_save: say once that the incident's parts changed (the
    # stored blamelessness summary is dropped, or stored again, after the commit).
    versioned_saved.send(sender=TimelineEvent, incident_id=incident.pk)
    return rows
