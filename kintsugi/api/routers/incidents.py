"""Incidents: list with filters, read, create, partial update, delete."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.concurrency import requested_version, set_etag
from kintsugi.api.errors import ApiError
from kintsugi.api.lookups import incident_for
from kintsugi.api.pagination import paginate
from kintsugi.api.patches import changed_fields
from kintsugi.api.references import services_by_slug, team_by_slug, users_by_username
from kintsugi.api.routers.timeline import timeline_warnings
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.incidents import (
    IncidentDetail,
    IncidentIn,
    IncidentPage,
    IncidentPatch,
    IncidentQuery,
)
from kintsugi.blameless.publishing import publish_warning
from kintsugi.core.timeline import KEY_KINDS, EventKind, KeyEvent, compute_metrics
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems import access, selectors, services
from kintsugi.postmortems.models import Incident

router = Router(tags=["incidents"])

_NULLABLE = frozenset({"ended_at", "team"})


def _detail_queryset() -> QuerySet[Incident]:
    return Incident.objects.select_related("team", "created_by").prefetch_related(
        "services", "authors", "members"
    )


def _with_metrics(incident: Incident) -> Incident:
    """Metrics need only the key events (a handful), not the whole timeline."""
    rows = incident.events.filter(kind__in=KEY_KINDS).values_list("kind", "occurred_at")
    incident.metrics = compute_metrics(  # type: ignore[attr-defined]
        [KeyEvent(EventKind(kind), at) for kind, at in rows],
        started_at=incident.started_at,
        ended_at=incident.ended_at,
    )
    return incident


def _warned(incident: Incident, *, was_published: bool) -> Incident:
    """The incident with the ``warnings`` of the write that returned it (as the web page
    shows them): publishing with open blameless-language findings in warn mode."""
    warning = publish_warning(was_published=was_published, incident=incident)
    incident.warnings = [warning] if warning else []  # type: ignore[attr-defined]
    return incident


def reload_incident(request: HttpRequest, pk: int) -> Incident:
    """The incident as the detail endpoints return it (relations and metrics loaded)."""
    incident = _with_metrics(incident_for(request, pk, queryset=_detail_queryset()))
    incident.timeline_warnings = timeline_warnings(incident)  # type: ignore[attr-defined]
    return incident


def _relations(data: dict[str, object]) -> dict[str, object]:
    """Turn slugs and usernames into rows; an unknown one is a 422 naming the field."""
    if "team" in data:
        data["team"] = team_by_slug(data["team"], field="team")  # type: ignore[arg-type]
    if "services" in data:
        data["services"] = services_by_slug(data["services"], field="services")  # type: ignore[arg-type]
    for name in ("authors", "members"):
        if name in data:
            data[name] = users_by_username(data[name], field=name)  # type: ignore[arg-type]
    return data


@router.get("/incidents", response={200: IncidentPage, **ERRORS})
def list_incidents(request: HttpRequest, params: Query[IncidentQuery]) -> dict[str, object]:
    """Newest first; restricted incidents appear only to those who may see them."""
    filters = selectors.IncidentFilters(
        status=params.status or "",
        severity=params.severity or "",
        team=params.team or "",
        service=params.service or "",
        q=(params.q or "").strip(),
    )
    keys = selectors.incident_list_keys(user=current_user(request), filters=filters)
    return paginate(
        request, keys, params, rows_of=selectors.incidents_of, decorate=selectors.with_list_details
    )


@router.get("/incidents/{int:incident_id}", response={200: IncidentDetail, **ERRORS})
def get_incident(request: HttpRequest, incident_id: int, response: HttpResponse) -> Incident:
    incident = reload_incident(request, incident_id)
    set_etag(response, incident)
    return incident


@router.post("/incidents", response={201: IncidentDetail, **ERRORS})
def create_incident(request: HttpRequest, payload: IncidentIn, response: HttpResponse) -> Status:
    user = current_user(request)
    if not access.can_create(user):
        raise ApiError(403, "Your role may read incidents but not create them.")
    data = _relations(changed_fields(payload, nullable=_NULLABLE))
    incident = services.incident_create(user=user, **data)  # type: ignore[arg-type]
    fresh = _warned(reload_incident(request, incident.pk), was_published=False)
    set_etag(response, fresh)
    response["Location"] = request.build_absolute_uri(f"{request.path}/{fresh.pk}")
    return Status(201, fresh)


@router.patch(
    "/incidents/{int:incident_id}", response={200: IncidentDetail, 409: ErrorOut, **ERRORS}
)
def update_incident(
    request: HttpRequest, incident_id: int, payload: IncidentPatch, response: HttpResponse
) -> Incident:
    """Changes only the fields sent; ``version`` (or If-Match) must be the one you read."""
    incident = incident_for(request, incident_id, edit=True)
    version = requested_version(request, payload.version)
    data = changed_fields(payload, nullable=_NULLABLE)
    was_published = incident.status == PostmortemStatus.PUBLISHED
    services.incident_update(
        user=current_user(request), incident=incident, version=version, **_relations(data)
    )
    fresh = _warned(reload_incident(request, incident_id), was_published=was_published)
    set_etag(response, fresh)
    return fresh


@router.delete("/incidents/{int:incident_id}", response={204: None, **ERRORS})
def delete_incident(request: HttpRequest, incident_id: int) -> Status:
    """Only an admin or the incident's creator may delete it (and all its sections)."""
    incident = incident_for(request, incident_id, edit=True)
    services.incident_delete(user=current_user(request), incident=incident)
    return Status(204, None)
