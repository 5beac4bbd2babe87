"""Action items: the concrete work that keeps the incident from happening again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text, clean_url
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import save_versioned

_TICKET_ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_#./:")


def _clean(data: dict[str, Any], incident: Incident) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in data:
        clean["title"] = clean_text(
            data["title"],
            field="title",
            max_length=limits.MAX_TITLE,
            required=True,
            label="action title",
        )
    if "description" in data:
        clean["description"] = clean_text(
            data["description"], field="description", max_length=limits.MAX_TEXT
        )
    if "priority" in data:
        try:
            clean["priority"] = Priority(str(data["priority"]).strip().upper()).value
        except ValueError:
            raise ValidationProblem(
                "The priority is one of P0, P1, P2, P3.", field="priority"
            ) from None
    if "status" in data:
        try:
            clean["status"] = ActionStatus(str(data["status"]).strip()).value
        except ValueError:
            allowed = ", ".join(s.value for s in ActionStatus)
            raise ValidationProblem(f"The status is one of: {allowed}.", field="status") from None
    if "status_reason" in data:
        clean["status_reason"] = clean_text(
            data["status_reason"],
            field="status_reason",
            max_length=limits.MAX_SHORT_TEXT,
            label="reason",
        )
    if "owner" in data:
        owner = data["owner"]
        if owner is not None and not isinstance(owner, User):
            raise ValidationProblem("Unknown owner.", field="owner")
        clean["owner"] = owner
    if "ticket_id" in data:
        ticket = clean_text(
            data["ticket_id"], field="ticket_id", max_length=limits.MAX_TICKET_ID, label="ticket ID"
        )
        if ticket and not set(ticket) <= _TICKET_ALLOWED:
            raise ValidationProblem(
                "A ticket ID holds letters, digits and - _ # . / : only (for example OPS-123).",
                field="ticket_id",
            )
        clean["ticket_id"] = ticket
    if "ticket_url" in data:
        clean["ticket_url"] = clean_url(data["ticket_url"], field="ticket_url", label="ticket URL")
    if "due_on" in data:
        due = data["due_on"]
        if due is not None and (not isinstance(due, date) or isinstance(due, datetime)):
            raise ValidationProblem("The target date must be a date (YYYY-MM-DD).", field="due_on")
        clean["due_on"] = due
    if "factor" in data:
        factor = data["factor"]
        if factor is not None and (
            not isinstance(factor, Factor) or factor.incident_id != incident.pk
        ):
            raise ValidationProblem(
                "The factor must be one of this incident's contributing factors.", field="factor"
            )
        clean["factor"] = factor
    if "completed_at" in data:
        moment = data["completed_at"]
        if moment is not None and timezone.is_naive(moment):
            raise ValidationProblem("The completion time needs a timezone.", field="completed_at")
        clean["completed_at"] = moment
    return clean


def _check_status(clean: dict[str, Any], current: ActionItem | None) -> None:
    """Keep status, reason and completion time consistent with each other."""
    status = clean.get("status", current.status if current else ActionStatus.OPEN)
    reason = clean.get("status_reason", current.status_reason if current else "")
    if status == ActionStatus.WONT_DO and not reason:
        raise ValidationProblem("Say why this action will not be done.", field="status_reason")
    was_done = current is not None and current.status == ActionStatus.DONE
    if status == ActionStatus.DONE and not was_done and not clean.get("completed_at"):
        clean["completed_at"] = timezone.now()
    if status != ActionStatus.DONE and "status" in clean:
        clean["completed_at"] = None


def _check_duplicate_ticket(incident: Incident, ticket: str | None, exclude: int | None) -> None:
    if not ticket:
        return
    clash = incident.action_items.filter(ticket_id__iexact=ticket)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationProblem(
            f"Ticket {ticket} is already linked to another action item of this incident.",
            field="ticket_id",
        )


@transaction.atomic
def action_item_add(
    *, user: User | None, incident: Incident, title: str, **fields: Any
) -> ActionItem:
    require_edit(user, incident)
    clean = _clean({"title": title, **fields}, incident)
    _check_status(clean, None)
    _check_duplicate_ticket(incident, clean.get("ticket_id"), None)
    return ActionItem.objects.create(incident=incident, **clean)


@transaction.atomic
def action_item_update(
    *, user: User | None, item: ActionItem, version: int | None, **fields: Any
) -> ActionItem:
    require_edit(user, item.incident)
    clean = _clean(fields, item.incident)
    _check_status(clean, item)
    if "ticket_id" in clean:
        _check_duplicate_ticket(item.incident, clean["ticket_id"], item.pk)
    return save_versioned(item, version=version, fields=clean)


@transaction.atomic
def action_item_delete(*, user: User | None, item: ActionItem) -> None:
    require_edit(user, item.incident)
    item.delete()
