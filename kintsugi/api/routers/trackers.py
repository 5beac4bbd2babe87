"""Trackers (issue 17): the connections a caller's teams use, and the ticket of an item.

The item endpoints go through the same access as the rest of the API (``authorize_path``
finds the item for its ``item_id``: a hidden incident is a 404, a viewer's write a 403),
and through the same services as the post-mortem page's buttons. The tracker is called
by the worker, not here, except for linking, which reads the issue at once so that a
wrong number is said in the answer.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.lookups import incident_part
from kintsugi.api.pagination import paginate
from kintsugi.api.schemas.common import ERRORS
from kintsugi.api.schemas.trackers import (
    ConnectionPage,
    ConnectionQuery,
    SyncQueuedOut,
    SyncStateOut,
    TicketLinkIn,
)
from kintsugi.postmortems.models import ActionItem
from kintsugi.trackers.selectors import connections_visible_to, sync_state
from kintsugi.trackers.services import tickets

router = Router(tags=["trackers"])


@router.get("/trackers/connections", response={200: ConnectionPage, **ERRORS})
def list_connections(request: HttpRequest, params: Query[ConnectionQuery]) -> dict[str, object]:
    """Admins see every connection; others, their own teams' (without any secret)."""
    rows = connections_visible_to(current_user(request))
    if params.team:
        rows = rows.filter(team__slug=params.team)
    return paginate(request, rows, params)


def _item(request: HttpRequest, item_id: int, *, edit: bool) -> ActionItem:
    return incident_part(request, ActionItem.objects.all(), item_id, label="action item", edit=edit)


def _state(item: ActionItem, queued: int | None = None) -> dict[str, object]:
    state = {"item": item.pk, **sync_state(item).__dict__}
    return state if queued is None else {**state, "queued": queued}


@router.get("/action-items/{int:item_id}/ticket", response={200: SyncStateOut, **ERRORS})
def get_ticket(request: HttpRequest, item_id: int) -> dict[str, object]:
    """The sync state: ``none`` (no ticket), ``creating``, ``synced`` or ``failed``."""
    return _state(_item(request, item_id, edit=False))


@router.post("/action-items/{int:item_id}/ticket", response={202: SyncQueuedOut, **ERRORS})
def create_ticket(request: HttpRequest, item_id: int) -> Status:
    """Queue the ticket's creation in the team's tracker (idempotent: asking twice is the
    same job). 422 when the item has a ticket already or the team has no tracker."""
    item = _item(request, item_id, edit=True)
    tickets.ticket_create(user=current_user(request), item=item)
    return Status(202, _state(item, 1))


@router.post("/action-items/{int:item_id}/ticket/link", response={200: SyncStateOut, **ERRORS})
def link_ticket(request: HttpRequest, item_id: int, payload: TicketLinkIn) -> dict[str, object]:
    """Link an existing issue; it is read now, and its title, state and date win."""
    item = _item(request, item_id, edit=True)
    tickets.ticket_link(user=current_user(request), item=item, reference=payload.reference)
    return _state(item)


@router.post("/action-items/{int:item_id}/ticket/sync", response={202: SyncQueuedOut, **ERRORS})
def sync_ticket(request: HttpRequest, item_id: int) -> Status:
    """Sync at the worker's next pass: failed jobs tried again, else the ticket read and
    reconciled both ways. ``queued`` is 0 when a job was waiting already."""
    item = _item(request, item_id, edit=True)
    queued = tickets.ticket_sync_now(user=current_user(request), item=item)
    return Status(202, _state(item, queued))
