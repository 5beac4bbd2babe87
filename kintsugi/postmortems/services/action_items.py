"""Action items: the concrete work that keeps the incident from happening again.

Target dates follow the post-mortem debt policy (docs/debt.md): a new item's date defaults
to what the policy asks, a later date needs a reason that is recorded, and changing the
priority recomputes what the policy asks. The rules are the core's (kintsugi.core.debt).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.debt.policy import change_priority, check_due_date, default_due_on
from kintsugi.core.debt.sprints import clean_estimate
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.timeparse import check_date_range, check_time_range
from kintsugi.core.validation import (
    MAX_SPRINT,
    clean_choice,
    clean_text,
    clean_url,
    clean_whole_number,
)
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import ConflictError, save_versioned

_TICKET_ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_#./:")


def _clean(data: dict[str, Any], incident: Incident) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    if "title" in data:
        with checks:
            clean["title"] = clean_text(
                data["title"],
                field="title",
                max_length=limits.MAX_TITLE,
                required=True,
                label="action title",
            )
    if "description" in data:
        with checks:
            clean["description"] = clean_text(
                data["description"], field="description", max_length=limits.MAX_TEXT
            )
    if "priority" in data:
        with checks:
            clean["priority"] = clean_choice(
                Priority, data["priority"], field="priority", label="priority",
                normalise=lambda raw: raw.strip().upper(),
            )  # fmt: skip
    if "status" in data:
        with checks:
            clean["status"] = clean_choice(
                ActionStatus, data["status"], field="status", label="status"
            )
    if "status_reason" in data:
        with checks:
            clean["status_reason"] = clean_text(
                data["status_reason"],
                field="status_reason",
                max_length=limits.MAX_SHORT_TEXT,
                label="reason",
            )
    if "owner" in data:
        with checks:
            owner = data["owner"]
            if owner is not None and not isinstance(owner, User):
                raise ValidationProblem("Unknown owner.", field="owner")
            clean["owner"] = owner
    if "ticket_id" in data:
        with checks:
            ticket = clean_text(
                data["ticket_id"],
                field="ticket_id",
                max_length=limits.MAX_TICKET_ID,
                label="ticket ID",
            )
            if ticket and not set(ticket) <= _TICKET_ALLOWED:
                raise ValidationProblem(
                    "A ticket ID holds letters, digits and - _ # . / : only (for example OPS-123).",
                    field="ticket_id",
                )
            clean["ticket_id"] = ticket
    if "ticket_url" in data:
        with checks:
            clean["ticket_url"] = clean_url(
                data["ticket_url"], field="ticket_url", label="ticket URL"
            )
    if "due_on" in data:
        with checks:
            due = data["due_on"]
            if due is not None and (not isinstance(due, date) or isinstance(due, datetime)):
                raise ValidationProblem(
                    "The target date must be a date (YYYY-MM-DD).", field="due_on"
                )
            clean["due_on"] = None if due is None else check_date_range(due, field="due_on")
    if "factor" in data:
        with checks:
            factor = data["factor"]
            if factor is not None and (
                not isinstance(factor, Factor) or factor.incident_id != incident.pk
            ):
                raise ValidationProblem(
                    "The factor must be one of this incident's contributing factors.",
                    field="factor",
                )
            clean["factor"] = factor
    if "completed_at" in data:
        with checks:
            moment = data["completed_at"]
            if moment is not None and timezone.is_naive(moment):
                raise ValidationProblem(
                    "The completion time needs a timezone.", field="completed_at"
                )
            clean["completed_at"] = (
                None if moment is None else check_time_range(moment, field="completed_at")
            )
    if "due_reason" in data:
        with checks:
            # None means "not asked" (a caller without the field); "" means "asked, left empty".
            reason = data["due_reason"]
            clean["due_reason"] = (
                None
                if reason is None
                else clean_text(
                    reason, field="due_reason", max_length=limits.MAX_SHORT_TEXT, label="reason"
                )
            )
    if "estimate" in data:
        with checks:
            clean["estimate"] = clean_estimate(data["estimate"])
    if "planned_sprint" in data:
        with checks:
            clean["planned_sprint"] = _clean_sprint(data["planned_sprint"])
    checks.raise_if_any()
    return clean


def _clean_sprint(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip()[:1] in "+-":
        value = "x"  # a sign is no part of a sprint number; refused below with the range
    return clean_whole_number(
        value,
        field="planned_sprint",
        label="The sprint number (empty if not planned)",
        minimum=1,
        maximum=MAX_SPRINT,
    )


def _policy_due_on(started: datetime, priority: Priority, policy: Any) -> date:
    """The policy's date, or a clear refusal where it would pass the last storable date.

    Start times are bounded on the way in, but an incident stored before those bounds (or
    imported from elsewhere) may start so late that its start plus the window overflows.
    """
    try:
        due = default_due_on(started, priority, policy)
    except OverflowError:
        due = date.max
    try:
        return check_date_range(due, field="due_on")
    except ValidationProblem:
        raise ValidationProblem(
            "The incident starts so late that the policy's target date would pass "
            "9000-01-01; correct the incident's start time first.",
            field="due_on",
        ) from None


def _apply_policy(
    clean: dict[str, Any], incident: Incident, current: ActionItem | None, *, trusted: bool
) -> None:
    """Set the target date the policy asks, and record an exception with its reason.

    ``trusted`` callers (import, demo: ``user=None``) record history as given: a missing
    date stays missing and a later date is kept without a reason, because the decision was
    taken before the item reached Kintsugi. People get the policy's date by default and
    must say why when they choose a later one.
    """
    # The debt app builds on this one; importing it lazily keeps the dependency one-way
    # at import time while the policy still has a single home.
    from kintsugi.debt.selectors.policy import policy_for_team

    reason = clean.pop("due_reason", None)
    priority = Priority(clean.get("priority") or (current.priority if current else Priority.P2))
    started = incident.started_at
    if current is None:
        policy = policy_for_team(incident.team_id)
        policy_due = _policy_due_on(started, priority, policy)
        if clean.get("due_on") is None and not trusted:
            clean["due_on"] = policy_due
        due = clean.get("due_on")
    else:
        old_priority = Priority(current.priority)
        due_changed = "due_on" in clean and clean["due_on"] != current.due_on
        due = clean.get("due_on", current.due_on)
        if priority != old_priority:
            policy = policy_for_team(incident.team_id)
            if due_changed:
                policy_due = _policy_due_on(started, priority, policy)
            else:
                for asked in (old_priority, priority):  # refuses a date past the range
                    _policy_due_on(started, asked, policy)
                change = change_priority(
                    incident_started_at=started,
                    old_priority=old_priority,
                    new_priority=priority,
                    due_on=current.due_on,
                    policy=policy,
                )
                policy_due = change.policy_due_on
                # A date equal to what the policy asked when it was set was not chosen by
                # hand either, even if the policy has changed since.
                follows = change.follows_policy or current.due_on == current.policy_due_on
                due = policy_due if follows else current.due_on
                clean["due_on"] = due
                if not follows and reason is None and current.due_reason:
                    reason = current.due_reason  # the exception was explained already
        elif due_changed or reason is not None:
            policy_due = current.policy_due_on or _policy_due_on(
                started, priority, policy_for_team(incident.team_id)
            )
        else:
            return
    clean["policy_due_on"] = policy_due
    if trusted and not reason:
        clean["due_reason"] = ""
        return
    exception = check_due_date(due, policy_due, reason)
    clean["due_reason"] = exception.reason if exception else ""


def _check_status(clean: dict[str, Any], current: ActionItem | None) -> None:
    """Keep status, reason and completion time consistent with each other.

    ``completed_at`` is the closing time: set when an item is done *or* declared won't do
    (the debt rules count both as closed on that day), cleared when it is reopened.
    """
    status = clean.get("status", current.status if current else ActionStatus.OPEN)
    reason = clean.get("status_reason", current.status_reason if current else "")
    if status == ActionStatus.WONT_DO and not reason:
        raise ValidationProblem("Say why this action will not be done.", field="status_reason")
    was = current.status if current is not None else None
    closing = ActionStatus(status).is_closed and status != was
    if closing and not clean.get("completed_at"):
        clean["completed_at"] = timezone.now()
    if not ActionStatus(status).is_closed and "status" in clean:
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
    *,
    user: User | None,
    incident: Incident,
    title: str,
    as_recorded: bool = False,
    **fields: Any,
) -> ActionItem:
    """Add an item; ``due_on`` defaults to the policy's date, a later one needs ``due_reason``.

    ``as_recorded``: the item comes from a document (an import), whose dates were decided
    before it reached Kintsugi; they are kept as given, as for the operator (``user`` None).
    """
    require_edit(user, incident)
    clean = _clean({"title": title, **fields}, incident)
    _check_status(clean, None)
    _apply_policy(clean, incident, None, trusted=user is None or as_recorded)
    _check_duplicate_ticket(incident, clean.get("ticket_id"), None)
    return ActionItem.objects.create(incident=incident, **clean)


@transaction.atomic
def action_item_update(
    *, user: User | None, item: ActionItem, version: int | None, **fields: Any
) -> ActionItem:
    """Change an item; a new priority recomputes the policy's date (docs/debt.md)."""
    require_edit(user, item.incident)
    clean = _clean(fields, item.incident)
    # The policy reads the stored row: check the version first, so a stale edit is a
    # conflict (with the newer data shown) rather than a rule applied to old values.
    stored = ActionItem.objects.select_for_update().get(pk=item.pk)
    if version is not None and stored.version != version:
        raise ConflictError(stored)
    _check_status(clean, stored)
    _apply_policy(clean, item.incident, stored, trusted=user is None)
    if "ticket_id" in clean:
        _check_duplicate_ticket(item.incident, clean["ticket_id"], item.pk)
    return save_versioned(item, version=version, fields=clean)


@transaction.atomic
def action_item_delete(*, user: User | None, item: ActionItem) -> None:
    require_edit(user, item.incident)
    item.delete()
