"""Timeline events: listed and added under their incident, read and changed by id.

The list and every write also answer the timeline's sanity ``warnings``
(kintsugi/core/timeline_sanity.py): an event that looks mistyped is saved, and said.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from kintsugi.api.lookups import incident_for
from kintsugi.api.pagination import PageParams, paginate
from kintsugi.api.parts import PartEndpoints
from kintsugi.api.patches import changed_fields
from kintsugi.api.references import user_by_username
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.timeline import (
    TimelineEventIn,
    TimelineEventOut,
    TimelineEventPage,
    TimelineEventPatch,
    TimelineEventSaved,
)
from kintsugi.core.timeline_sanity import stored_timeline_warnings
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident, TimelineEvent

router = Router(tags=["timeline"])

_NULLABLE = frozenset({"author", "evidence_url"})
_ROWS = TimelineEvent.objects.select_related("author")


_EVENTS = PartEndpoints(
    rows=_ROWS.all,
    label="timeline event",
    keyword="event",
    add=services.timeline_event_add,
    update=services.timeline_event_update,
    delete=services.timeline_event_delete,
)


def timeline_warnings(incident: Incident) -> list[dict[str, object]]:
    """The sanity warnings of ``incident``'s whole timeline (one query, four columns)."""
    rows = TimelineEvent.objects.filter(incident_id=incident.pk).values_list(
        "pk", "kind", "occurred_at", "text", named=True
    )
    found = stored_timeline_warnings(rows, incident, now=timezone.now())
    return [warning.to_dict() for warning in found]


def _relations(data: dict[str, object]) -> dict[str, object]:
    if "author" in data:
        data["author"] = user_by_username(data["author"], field="author")  # type: ignore[arg-type]
    if "evidence_url" in data and data["evidence_url"] is None:
        data["evidence_url"] = ""
    return data


@router.get(
    "/incidents/{int:incident_id}/timeline-events", response={200: TimelineEventPage, **ERRORS}
)
def list_events(
    request: HttpRequest, incident_id: int, params: Query[PageParams]
) -> dict[str, object]:
    """In time order (UTC), oldest first, as the post-mortem tells the story."""
    incident = incident_for(request, incident_id)
    page = paginate(request, _ROWS.filter(incident=incident), params)
    return {**page, "warnings": timeline_warnings(incident)}


@router.post(
    "/incidents/{int:incident_id}/timeline-events", response={201: TimelineEventSaved, **ERRORS}
)
def add_event(
    request: HttpRequest, incident_id: int, payload: TimelineEventIn, response: HttpResponse
) -> Status:
    incident, event = _EVENTS.added(
        request,
        incident_id,
        response,
        lambda _: _relations(changed_fields(payload, nullable=_NULLABLE)),
    )
    event.warnings = timeline_warnings(incident)  # type: ignore[attr-defined]
    return Status(201, event)


@router.get("/timeline-events/{int:event_id}", response={200: TimelineEventOut, **ERRORS})
def get_event(request: HttpRequest, event_id: int, response: HttpResponse) -> TimelineEvent:
    return _EVENTS.read(request, event_id, response)


@router.patch(
    "/timeline-events/{int:event_id}",
    response={200: TimelineEventSaved, 409: ErrorOut, **ERRORS},
)
def update_event(
    request: HttpRequest, event_id: int, payload: TimelineEventPatch, response: HttpResponse
) -> TimelineEvent:
    fresh = _EVENTS.updated(
        request,
        event_id,
        response,
        payload.version,
        lambda _: _relations(changed_fields(payload, nullable=_NULLABLE)),
    )
    fresh.warnings = timeline_warnings(fresh.incident)  # type: ignore[attr-defined]
    return fresh


@router.delete("/timeline-events/{int:event_id}", response={204: None, **ERRORS})
def delete_event(request: HttpRequest, event_id: int) -> Status:
    return _EVENTS.deleted(request, event_id)
