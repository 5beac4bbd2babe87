"""Action items: listed (priority, then target date) and added under their incident."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.lookups import incident_for
from kintsugi.api.pagination import paginate
from kintsugi.api.parts import PartEndpoints
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


_ITEMS = PartEndpoints(
    rows=_ROWS.all,
    label="action item",
    keyword="item",
    add=services.action_item_add,
    update=services.action_item_update,
    delete=services.action_item_delete,
)


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
    _, item = _ITEMS.added(
        request,
        incident_id,
        response,
        lambda incident: _relations(changed_fields(payload, nullable=_NULLABLE), incident),
    )
    return Status(201, item)


@router.get("/action-items/{int:item_id}", response={200: ActionItemOut, **ERRORS})
def get_action_item(request: HttpRequest, item_id: int, response: HttpResponse) -> ActionItem:
    return _ITEMS.read(request, item_id, response)


@router.patch("/action-items/{int:item_id}", response={200: ActionItemOut, 409: ErrorOut, **ERRORS})
def update_action_item(
    request: HttpRequest, item_id: int, payload: ActionItemPatch, response: HttpResponse
) -> ActionItem:
    """Setting status ``done`` records the completion time; ``wont_do`` needs a reason."""
    return _ITEMS.updated(
        request,
        item_id,
        response,
        payload.version,
        lambda item: _relations(changed_fields(payload, nullable=_NULLABLE), item.incident),
    )


@router.delete("/action-items/{int:item_id}", response={204: None, **ERRORS})
def delete_action_item(request: HttpRequest, item_id: int) -> Status:
    return _ITEMS.deleted(request, item_id)
