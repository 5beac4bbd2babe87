"""Action items: the concrete work that keeps the incident from happening again.

Target dates follow the post-mortem debt policy (docs/debt.md): a new item's date defaults
to what the policy asks, a later date needs a reason that is recorded, and changing the
priority recomputes what the policy asks. The rules are the core's (kintsugi.core.debt).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core.debt.policy import change_priority, check_due_date, default_due_on
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import check_date_range
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.postmortems.services.action_item_fields import clean_action_fields
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.policies import due_policy
from kintsugi.postmortems.services.versioning import ConflictError, save_versioned


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


class _Dates(NamedTuple):
    """What the policy decided for an item: its date, the policy's date, the reason given."""

    due: date | None
    policy_due: date
    reason: str | None


def _apply_policy(
    clean: dict[str, Any], incident: Incident, current: ActionItem | None, *, trusted: bool
) -> None:
    """Set the target date the policy asks, and record an exception with its reason.

    ``trusted`` callers (import, demo: ``user=None``) record history as given: a missing
    date stays missing and a later date is kept without a reason, because the decision was
    taken before the item reached Kintsugi. People get the policy's date by default and
    must say why when they choose a later one.
    """
    reason = clean.pop("due_reason", None)
    priority = Priority(clean.get("priority") or (current.priority if current else Priority.P2))
    dates: _Dates | None
    if current is None:
        dates = _dates_for_new_item(clean, incident, priority, reason, trusted=trusted)
    else:
        dates = _dates_for_changed_item(clean, incident, current, priority, reason)
        if dates is None:
            return  # neither priority, date nor reason changed: nothing to decide
    clean["policy_due_on"] = dates.policy_due
    clean["due_reason"] = _due_reason(dates, trusted=trusted)


def _dates_for_new_item(
    clean: dict[str, Any], incident: Incident, priority: Priority, reason: str | None, *,
    trusted: bool,
) -> _Dates:  # fmt: skip
    """A person's new item without a date gets the policy's; a trusted one keeps none."""
    policy_due = _policy_due_on(incident.started_at, priority, due_policy(incident))
    if clean.get("due_on") is None and not trusted:
        clean["due_on"] = policy_due
    return _Dates(clean.get("due_on"), policy_due, reason)


def _dates_for_changed_item(
    clean: dict[str, Any],
    incident: Incident,
    current: ActionItem,
    priority: Priority,
    reason: str | None,
) -> _Dates | None:
    """The dates after an edit, or None when the edit leaves the policy nothing to decide."""
    due_changed = "due_on" in clean and clean["due_on"] != current.due_on
    if priority != Priority(current.priority):
        if not due_changed:
            return _follow_new_priority(clean, incident, current, priority, reason)
        policy_due = _policy_due_on(incident.started_at, priority, due_policy(incident))
        return _Dates(clean["due_on"], policy_due, reason)
    # A form posts every field, the reason too (empty, or the one on record): only a new
    # date or a reason different from the one on record asks the policy. An unrelated edit
    # (the status, the owner) of an item dated beyond the policy without a reason, as
    # imported or recorded items may be, is not the moment to demand one.
    reason_changed = reason is not None and reason != current.due_reason
    if due_changed or reason_changed:
        policy_due = current.policy_due_on or _policy_due_on(
            incident.started_at, priority, due_policy(incident)
        )
        return _Dates(clean.get("due_on", current.due_on), policy_due, reason)
    clean.pop("due_on", None)  # unchanged: the stored policy record stands as it is
    return None


def _follow_new_priority(
    clean: dict[str, Any],
    incident: Incident,
    current: ActionItem,
    priority: Priority,
    reason: str | None,
) -> _Dates:
    """A new priority moves a date that followed the policy; a chosen date stays put."""
    started, old_priority = incident.started_at, Priority(current.priority)
    policy = due_policy(incident)
    for asked in (old_priority, priority):  # refuses a date past the range
        _policy_due_on(started, asked, policy)
    change = change_priority(
        incident_started_at=started,
        old_priority=old_priority,
        new_priority=priority,
        due_on=current.due_on,
        policy=policy,
    )
    # A date equal to what the policy asked when it was set was not chosen by hand
    # either, even if the policy has changed since.
    follows = change.follows_policy or current.due_on == current.policy_due_on
    due = change.policy_due_on if follows else current.due_on
    clean["due_on"] = due
    if not follows and not reason and current.due_reason:
        reason = current.due_reason  # the exception was explained already
    return _Dates(due, change.policy_due_on, reason)


def _due_reason(dates: _Dates, *, trusted: bool) -> str:
    """The reason to store: empty when the date follows the policy (or history is kept)."""
    if trusted and not dates.reason:
        return ""
    exception = check_due_date(dates.due, dates.policy_due, dates.reason)
    return exception.reason if exception else ""


def _check_status(clean: dict[str, Any], current: ActionItem | None) -> None:
    """Keep status, reason and completion time consistent with each other.

    ``completed_at`` is the closing time: set when an item is done *or* declared won't do
    (the debt rules count both as closed on that day), cleared when it is reopened.
    """
    was = current.status if current is not None else None
    status = ActionStatus(clean.get("status", ActionStatus.OPEN if was is None else was))
    reason = clean.get("status_reason", current.status_reason if current else "")
    if status == ActionStatus.WONT_DO and not reason:
        raise ValidationProblem("Say why this action will not be done.", field="status_reason")
    _keep_completion_in_step(clean, status, was)


def _keep_completion_in_step(clean: dict[str, Any], status: ActionStatus, was: str | None) -> None:
    """Closing stamps the time (unless one was given); reopening clears it."""
    if status.is_closed and status != was and not clean.get("completed_at"):
        clean["completed_at"] = timezone.now()
    if not status.is_closed and "status" in clean:
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
    clean = clean_action_fields({"title": title, **fields}, incident)
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
    clean = clean_action_fields(fields, item.incident)
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
