"""Action items: listed (priority, then target date) and added under their incident."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.concurrency import requested_version, set_etag
from kintsugi.api.lookups import incident_for, incident_part
from kintsugi.api.pagination import paginate
from kintsugi.api.patches import changed_fields
from kintsugi.api.references import user_by_username
from kintsugi.api.schemas.action_items import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPage,
    ActionItemPatch,
    ActionItemQuery,
)
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident

router = Router(tags=["action items"])

_NULLABLE = frozenset({"owner", "due_on", "factor", "completed_at", "estimate", "planned_sprint"})
_ROWS = ActionItem.objects.select_related("owner")


def _item(request: HttpRequest, item_id: int, *, edit: bool = False) -> ActionItem:
    return incident_part(request, _ROWS.all(), item_id, label="action item", edit=edit)


def _relations(data: dict[str, object], incident: Incident) -> dict[str, object]:
    if "owner" in data:
        data["owner"] = user_by_username(data["owner"], field="owner")  # type: ignore[arg-type]
    if data.get("factor") is not None:
        factor = incident.factors.filter(pk=data["factor"]).first()
        if factor is None:
            raise ValidationProblem(
                "The factor must be one of this incident's contributing factors.", field="factor"
            )
        data["factor"] = factor
    return data


@router.get("/incidents/{int:incident_id}/action-items", response={200: ActionItemPage, **ERRORS})
def list_action_items(
    request: HttpRequest, incident_id: int, params: Query[ActionItemQuery]
) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    items = _ROWS.filter(incident=incident)
    if params.status:
        items = items.filter(status=params.status)
    if params.priority:
        items = items.filter(priority=params.priority)
    return paginate(request, items, params)


@router.post("/incidents/{int:incident_id}/action-items", response={201: ActionItemOut, **ERRORS})
def add_action_item(
    request: HttpRequest, incident_id: int, payload: ActionItemIn, response: HttpResponse
) -> Status:
    incident = incident_for(request, incident_id, edit=True)
    data = _relations(changed_fields(payload, nullable=_NULLABLE), incident)
    item = services.action_item_add(user=current_user(request), incident=incident, **data)  # type: ignore[arg-type]
    set_etag(response, item)
    return Status(201, item)


@router.get("/action-items/{int:item_id}", response={200: ActionItemOut, **ERRORS})
def get_action_item(request: HttpRequest, item_id: int, response: HttpResponse) -> ActionItem:
    item = _item(request, item_id)
    set_etag(response, item)
    return item


@router.patch("/action-items/{int:item_id}", response={200: ActionItemOut, 409: ErrorOut, **ERRORS})
def update_action_item(
    request: HttpRequest, item_id: int, payload: ActionItemPatch, response: HttpResponse
) -> ActionItem:
    """Setting status ``done`` records the completion time; ``wont_do`` needs a reason."""
    item = _item(request, item_id, edit=True)
    version = requested_version(request, payload.version)
    data = _relations(changed_fields(payload, nullable=_NULLABLE), item.incident)
    fresh = services.action_item_update(
        user=current_user(request), item=item, version=version, **data
    )
    set_etag(response, fresh)
    return fresh


@router.delete("/action-items/{int:item_id}", response={204: None, **ERRORS})
def delete_action_item(request: HttpRequest, item_id: int) -> Status:
    item = _item(request, item_id, edit=True)
    services.action_item_delete(user=current_user(request), item=item)
    return Status(204, None)
