"""Create or link the ticket of an action item, in bulk or one at a time; retry a failure.

Only the incident's team's connection is ever used: a restricted post-mortem's words go
nowhere the team did not choose, and an unrestricted one's no further than its own team's
tracker. An incident without a team has no tracker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.trackers.models import JobKind, JobState, SyncJob, TicketLink, TrackerConnection
from kintsugi.trackers.providers import provider_for
from kintsugi.trackers.providers.base import TrackerError
from kintsugi.trackers.services.sync import apply_remote

MAX_REFERENCE = 500


def connection_for(incident: Incident) -> TrackerConnection | None:
    if incident.team_id is None:
        return None
    return (
        TrackerConnection.objects.filter(team_id=incident.team_id, is_active=True)
        .order_by("pk")
        .first()
    )


def _require(user: User | None, item: ActionItem) -> TrackerConnection:
    if user is not None and not access.can_edit(user, item.incident):
        raise PermissionDenied("You may not edit this incident.")
    connection = connection_for(item.incident)
    if connection is None:
        raise ValidationProblem(
            "This incident's team has no tracker connection; a team lead sets one up "
            "under Settings → Trackers.",
            field="ticket",
        )
    return connection


def _enqueue(link: TicketLink, kind: str, key: str) -> SyncJob:
    job, _ = SyncJob.objects.get_or_create(
        idempotency_key=key[:64], defaults={"link": link, "kind": kind}
    )
    return job


@transaction.atomic
def ticket_create(*, user: User | None, item: ActionItem) -> TicketLink:
    """Queue the ticket's creation; asking twice is the same job (its idempotency key)."""
    connection = _require(user, item)
    link = TicketLink.objects.select_for_update().filter(action_item=item).first()
    if link is not None and link.key:
        raise ValidationProblem(f"This item has a ticket already: {link.url}.", field="ticket")
    if item.ticket_id and link is None:
        raise ValidationProblem(
            f"This item names ticket {item.ticket_id} already; link it instead.", field="ticket"
        )
    if link is None:
        link = TicketLink.objects.create(action_item=item, connection=connection)
    _enqueue(link, JobKind.CREATE, f"create:{connection.pk}:{item.pk}")
    return link


def tickets_create_missing(*, user: User | None, incident: Incident) -> int:
    """Queue a ticket for every item of the incident without one; returns how many.

    Idempotent: an item already queued is skipped, and two clicks racing each other make
    one link per item (the second meets the one-to-one constraint and skips it)."""
    if user is not None and not access.can_edit(user, incident):
        raise PermissionDenied("You may not edit this incident.")
    if connection_for(incident) is None:
        raise ValidationProblem(
            "This incident's team has no tracker connection; a team lead sets one up "
            "under Settings → Trackers.",
            field="ticket",
        )
    count = 0
    items = incident.action_items.filter(ticket_id="", ticket_link__isnull=True)
    for item in items.select_related("incident"):
        try:
            ticket_create(user=user, item=item)
        except IntegrityError:
            continue  # queued meanwhile by a concurrent request
        count += 1
    return count


@dataclass(frozen=True)
class BulkProgress:
    """The incident's ticket creations: one aggregate query, for the progress bar."""

    total: int
    created: int
    failed: int  # gave up: the row shows the error and a Retry button
    retrying: int  # failed once, waiting for the next attempt
    waiting: int

    @property
    def finished(self) -> bool:
        return self.waiting == 0


def bulk_progress(incident: Incident) -> BulkProgress:
    jobs = SyncJob.objects.filter(kind=JobKind.CREATE, link__action_item__incident_id=incident.pk)
    counts = jobs.aggregate(
        total=Count("pk"),
        created=Count("pk", filter=Q(state=JobState.DONE)),
        failed=Count("pk", filter=Q(state=JobState.FAILED)),
        retrying=Count("pk", filter=Q(state=JobState.WAITING) & ~Q(last_error="")),
        waiting=Count("pk", filter=Q(state=JobState.WAITING)),
    )
    return BulkProgress(**counts)


def ticket_link(*, user: User | None, item: ActionItem, reference: str) -> TicketLink:
    """Link an existing issue by number, ``project#12`` or URL, read it now, sync from then.

    The first read is made here (not queued): a wrong number is said at once.
    """
    connection = _require(user, item)
    if len(reference) > MAX_REFERENCE:
        raise ValidationProblem("That reference is too long to be an issue.", field="reference")
    provider = provider_for(connection)
    number = provider.number_in(reference)
    if number is None:
        raise ValidationProblem(
            f"Give an issue number (12 or #12), a key (OPS-12) or the URL of an issue in "
            f"{connection.project}.",
            field="reference",
        )
    if TicketLink.objects.filter(action_item=item).exclude(key="").exists():
        raise ValidationProblem("This item has a ticket already.", field="reference")
    try:
        ticket = provider.fetch(number)
    except TrackerError as error:
        raise ValidationProblem(error.message, field="reference") from None
    try:
        with transaction.atomic():
            link, _ = TicketLink.objects.update_or_create(
                action_item=item, defaults={"connection": connection, "key": ticket.key}
            )
    except IntegrityError:
        raise ValidationProblem(
            f"Issue #{ticket.key} is linked to another action item already.", field="reference"
        ) from None
    SyncJob.objects.filter(link=link, kind=JobKind.CREATE).exclude(state=JobState.DONE).update(
        state=JobState.DONE, last_error="Linked to an existing issue instead."
    )
    try:
        apply_remote(link, ticket, first=True)
    except TrackerError as refused:
        TicketLink.objects.filter(pk=link.pk).update(sync_error=refused.message)
        raise ValidationProblem(refused.message, field="reference") from None
    return link


def ticket_retry(*, user: User | None, link: TicketLink) -> int:
    """Try the failed jobs of a link again now; returns how many were queued."""
    if user is not None and not access.can_edit(user, link.action_item.incident):
        raise PermissionDenied("You may not edit this incident.")
    link.sync_error = ""
    link.save(update_fields=["sync_error"])
    return (
        SyncJob.objects.filter(link=link)
        .exclude(state=JobState.DONE)
        .update(
            state=JobState.WAITING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
        )
    )


def ticket_sync_now(*, user: User | None, item: ActionItem) -> int:
    """Sync an item's ticket at the worker's next pass: its failed jobs are tried again, or
    else the ticket is read and reconciled (both ways). Asking again while one waits is the
    same job. Returns the number of jobs queued or re-queued."""
    if user is not None and not access.can_edit(user, item.incident):
        raise PermissionDenied("You may not edit this incident.")
    link = TicketLink.objects.filter(action_item=item).first()
    if link is None:
        raise ValidationProblem(
            "This item has no ticket: create or link one first.", field="ticket"
        )
    failed = SyncJob.objects.filter(link=link, state=JobState.FAILED).exists()
    if failed or link.sync_error:
        return ticket_retry(user=user, link=link)
    if not link.key or SyncJob.objects.filter(link=link, state=JobState.WAITING).exists():
        return 0  # its create, or a sync, is queued already
    _enqueue(link, JobKind.PULL, f"pull:{link.pk}:{timezone.now():%Y%m%d%H%M%S%f}")
    return 1
