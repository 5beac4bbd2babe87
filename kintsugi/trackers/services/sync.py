"""The sync: the worker's step that drains the outbox, and the reconciliation both the
worker and the webhooks use.

Every pass: links whose item changed since its last reconciliation get a "push" job, each
connection not polled for ``POLL_EVERY`` lists the issues changed since (the fallback when a
webhook is lost: one request per 100 changed issues, whatever the number of links), then
due jobs are claimed one by one with a conditional UPDATE (passes may overlap) and run. A
retryable failure waits (the tracker's Retry-After, or the back-off) and is tried again; the
last failure stays on the link, shown beside the item with a retry button.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.trackers import backoff
from kintsugi.core.trackers.mapping import (
    MARKER,
    Side,
    draft_for_changes,
    draft_for_item,
    reconcile,
    status_from_remote,
)
from kintsugi.core.trackers.model import Ticket
from kintsugi.core.trackers.owners import owner_way, unmapped_note
from kintsugi.core.vocabulary import ActionStatus
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.action_items import action_item_update
from kintsugi.postmortems.services.versioning import ConflictError
from kintsugi.trackers.models import (
    AccountMapping,
    JobKind,
    JobState,
    SyncJob,
    TicketLink,
    TrackerConnection,
)
from kintsugi.trackers.providers import provider_for
from kintsugi.trackers.providers.base import Provider, TrackerError

POLL_EVERY = timedelta(minutes=15)
CLAIM_FOR = timedelta(minutes=5)


def incident_url(item: ActionItem) -> str:
    from django.conf import settings

    return f"{settings.KINTSUGI_BASE_URL}/incidents/{item.incident_id}/"


def ticket_label(key: str) -> str:
    """What the item shows: ``#12`` for an issue number, Jira's ``OPS-12`` as it is."""
    return f"#{key}" if key.isdigit() else key


def owner_for(link: TicketLink, ticket: Ticket) -> User | None:
    """The user behind the tracker's assignee: by email first, then the mapping table."""
    if ticket.assignee_email:
        user = User.objects.filter(email__iexact=ticket.assignee_email, is_active=True).first()
        if user is not None:
            return user
    if not ticket.assignee:
        return None
    mapped = (
        AccountMapping.objects.filter(
            connection_id=link.connection_id, account__iexact=ticket.assignee
        )
        .select_related("user")
        .first()
    )
    return mapped.user if mapped is not None and mapped.user.is_active else None


def _item_fields(
    link: TicketLink,
    item: ActionItem,
    ticket: Ticket,
    changes: dict[str, Any],
    *,
    take_assignee: bool = True,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "title" in changes:
        fields["title"] = changes["title"]
    if "due_on" in changes:
        fields["due_on"] = changes["due_on"]
    if "status" in changes:
        status = status_from_remote(changes["status"], item.status)
        if status != item.status:
            fields["status"] = status
            closed_at = parse_datetime(ticket.closed_at) if ticket.closed_at else None
            if ActionStatus(status).is_closed and closed_at is not None:
                fields["completed_at"] = closed_at
            if status == ActionStatus.WONT_DO:
                who = f" by {ticket.closed_by}" if ticket.closed_by else ""
                fields["status_reason"] = f"Closed as not planned in the tracker{who}."
    owner = owner_for(link, ticket) if take_assignee else None
    if owner is not None and owner.pk != item.owner_id:
        fields["owner"] = owner
    return fields


def apply_remote(
    link: TicketLink, ticket: Ticket, *, provider: Provider | None = None, first: bool = False
) -> TicketLink:
    """Reconcile the item with the ticket; write Kintsugi's side now, the tracker's side
    now if a provider is at hand (the worker) or by a queued push (a webhook)."""
    agreed = None if first or not link.snapshot else link.snapshot
    for _ in range(3):
        item = ActionItem.objects.select_related("incident", "owner").get(pk=link.action_item_id)
        snapshot = None if agreed is None else Side.of_snapshot(agreed)
        plan = reconcile(
            snapshot=snapshot,
            item=Side.of_item(item.title, item.status, item.due_on),
            remote=Side.of_ticket(ticket),
        )
        way = owner_way(agreed=agreed, owner_id=item.owner_id, assignee=ticket.assignee)
        fields = _item_fields(link, item, ticket, plan.to_item, take_assignee=way.to_item)
        label = ticket_label(ticket.key)
        if item.ticket_id != label or (ticket.url and item.ticket_url != ticket.url):
            fields["ticket_id"] = label
            if ticket.url:
                fields["ticket_url"] = ticket.url
        try:
            if fields:
                item = action_item_update(user=None, item=item, version=item.version, **fields)
            break
        except ConflictError:
            continue  # someone saved meanwhile: read again and reconcile again
        except ValidationProblem as problem:
            # e.g. a title longer than Kintsugi's 200 characters: nothing is half-applied,
            # the snapshot stays, and the reason is shown on the item until it is fixed.
            raise TrackerError(
                f"The tracker's change was not applied: {problem.message}", retryable=False
            ) from None
    remote = ticket
    conflicts = plan.conflicts + ([way.conflict] if way.conflict else [])
    # The owner agreed with the tracker; kept as it was while a push is still to be made.
    owner_agreed = item.owner_id
    if way.to_tracker and provider is None:
        owner_agreed = agreed.get("owner_id") if agreed is not None else None
    if plan.to_tracker or way.to_tracker:
        if provider is None:
            _enqueue_push(link, item.version)
        else:
            draft = draft_for_changes(plan.to_tracker, ticket)
            if way.to_tracker:
                account = assignee_for(link, provider, item.owner)
                if account is None:
                    conflicts.append(unmapped_note(item.owner.username if item.owner else ""))
                elif account != ticket.assignee:
                    draft = replace(draft, assignee=account)
            if plan.to_tracker or draft.assignee is not None:
                remote = provider.update(ticket.key, draft)
    link.key, link.url = ticket.key, ticket.url or link.url
    link.snapshot = {**remote.snapshot(), "owner_id": owner_agreed}
    link.remote_assignee = ticket.assignee
    link.closed_by = ticket.closed_by if ticket.closed else ""
    link.conflict = "; ".join(conflicts) if conflicts else link.conflict
    link.synced_version = item.version
    link.last_synced_at = timezone.now()
    link.sync_error = ""
    link.save()
    return link


def assignee_for(link: TicketLink, provider: Provider, owner: User | None) -> str | None:
    """The tracker account for Kintsugi's owner: "" (unassign) for no owner, else the
    account the tracker finds by the owner's email, else the mapping table's; None if
    neither knows them (shown on the row, the assignee left alone)."""
    if owner is None:
        return ""
    if owner.email:
        found = provider.account_for(owner.email)
        if found:
            return found
    mapped = AccountMapping.objects.filter(connection_id=link.connection_id, user=owner).first()
    return mapped.account if mapped is not None else None


def _enqueue_push(link: TicketLink, version: int) -> None:
    SyncJob.objects.get_or_create(
        idempotency_key=f"push:{link.pk}:{version}", defaults={"link": link, "kind": JobKind.PUSH}
    )


def enqueue_changed(now: datetime) -> int:
    """Push jobs for the items changed in Kintsugi since their last sync."""
    linked = TicketLink.objects.exclude(key="")
    changed = linked.filter(action_item__version__gt=F("synced_version")).values_list(
        "pk", "action_item__version"
    )
    count = 0
    for pk, version in changed:
        _, made = SyncJob.objects.get_or_create(
            idempotency_key=f"push:{pk}:{version}",
            defaults={"link_id": pk, "kind": JobKind.PUSH, "next_attempt_at": now},
        )
        count += made
    return count


def poll_due(now: datetime) -> int:
    """For each connection not polled for ``POLL_EVERY``: the issues changed since its last
    poll (with a minute's overlap), applied to the items that link them. A connection is
    claimed by moving its ``last_polled_at`` with a conditional UPDATE, so passes that
    overlap poll it once; a failed poll keeps its old time and is shown on the settings."""
    applied = 0
    due = TrackerConnection.objects.filter(is_active=True).filter(
        Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=now - POLL_EVERY)
    )
    for connection in due:
        previous = connection.last_polled_at
        claimed = TrackerConnection.objects.filter(
            pk=connection.pk, last_polled_at=previous
        ).update(last_polled_at=now)
        if not claimed:
            continue
        if previous is None:
            continue  # the first poll only starts the clock: links were read when made
        try:
            provider = provider_for(connection)
            tickets = provider.changed_since(previous - timedelta(minutes=1))
            links = {
                link.key: link
                for link in TicketLink.objects.filter(
                    connection=connection, key__in=[t.key for t in tickets]
                )
            }
            for ticket in tickets:
                if ticket.key in links:
                    try:
                        apply_remote(links[ticket.key], ticket, provider=provider)
                        applied += 1
                    except TrackerError as error:
                        TicketLink.objects.filter(pk=links[ticket.key].pk).update(
                            sync_error=error.message[:2000]
                        )
        except TrackerError as error:
            TrackerConnection.objects.filter(pk=connection.pk).update(
                last_polled_at=previous, poll_error=error.message[:2000]
            )
            continue
        TrackerConnection.objects.filter(pk=connection.pk).update(poll_error="")
    return applied


# The windows of the trackers' documented write limits (a test shrinks them to run fast).
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def pace_free_at(connection_id: int, kind: str, now: datetime) -> datetime:
    """When the tracker's documented write limits leave room for one more write: ``now``
    if they do already, else when the oldest write that fills a window leaves it."""
    from kintsugi.trackers.providers import provider_class

    limits = provider_class(kind)
    writes = SyncJob.objects.filter(
        link__connection_id=connection_id, kind__in=(JobKind.CREATE, JobKind.PUSH)
    )
    free = now
    for window, limit in ((MINUTE, limits.writes_per_minute), (HOUR, limits.writes_per_hour)):
        filling = (
            writes.filter(finished_at__gt=now - window)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)[limit - 1 : limit]
        )
        for finished in filling:
            free = max(free, finished + window)
    return free


def _within_pace(connection_id: int, kind: str, now: datetime) -> bool:
    """Whether the tracker's documented write limits leave room for one more job."""
    return pace_free_at(connection_id, kind, now) <= now


def next_wake(now: datetime) -> datetime | None:
    """When a waiting job can next run: the earliest retry time (a tracker's Retry-After
    or the back-off), or when a due job's tracker pace frees up. None: nothing waits."""
    waiting = SyncJob.objects.filter(state=JobState.WAITING)
    later = waiting.filter(next_attempt_at__gt=now).order_by("next_attempt_at")
    candidates = [at for at in later.values_list("next_attempt_at", flat=True)[:1]]
    due = (
        waiting.filter(next_attempt_at__lte=now)
        .values_list("link__connection_id", "link__connection__kind")
        .order_by()
        .distinct()
    )
    for connection_id, kind in due:
        candidates.append(pace_free_at(connection_id, kind, now))
    claimed = waiting.filter(claimed_until__gt=now).order_by("claimed_until")
    candidates += [at for at in claimed.values_list("claimed_until", flat=True)[:1] if at]
    return min(candidates) if candidates else None


def _hold_connection(connection_id: int, until: datetime) -> None:
    """The tracker asked to wait (429, Retry-After): its other due jobs wait as long, so
    the next pass does not knock again before the time it gave."""
    SyncJob.objects.filter(
        state=JobState.WAITING, link__connection_id=connection_id, next_attempt_at__lt=until
    ).update(next_attempt_at=until)


def _clock(now: datetime) -> datetime:
    """The time a write is counted at: when it ended, not when the pass began (a pass
    of 200 writes takes a while, and the tracker counts them as they arrive); a test's
    ``now`` in the future is kept."""
    return max(now, timezone.now())


def _claim(job_id: int, now: datetime) -> bool:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        SyncJob.objects.filter(free, pk=job_id, state=JobState.WAITING).update(
            claimed_until=now + CLAIM_FOR
        )
    )


def jobs_run_due(now: datetime | None = None, *, limit: int = 200) -> str:
    """One pass: queue what changed, then run the due jobs; a line for the worker's report."""
    now = now or timezone.now()
    enqueue_changed(now)
    polled = poll_due(now)
    due = SyncJob.objects.filter(state=JobState.WAITING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    done = failed = 0
    # A tracker that said "slow down" gets no more calls this pass: its other jobs wait.
    limited: set[int] = set()
    rows = list(due.values_list("pk", "link__connection_id", "link__connection__kind")[:limit])
    for job_id, connection_id, kind in rows:
        if connection_id in limited:
            continue
        if not _within_pace(connection_id, kind, _clock(now)):
            limited.add(connection_id)  # its jobs wait for the next pass
            continue
        if not _claim(job_id, now):
            continue
        job = SyncJob.objects.select_related("link__connection", "link__action_item").get(pk=job_id)
        outcome = job_run(job, now=now)
        done += outcome == "done"
        failed += outcome != "done"
        if outcome == "limited":
            limited.add(connection_id)
    return f"{done} synced, {failed} failed" + (f", {polled} updated by the poll" if polled else "")


def job_run(job: SyncJob, *, now: datetime) -> str:
    """Run one claimed job: "done", "failed", or "limited" (the tracker asked to wait)."""
    link = job.link
    try:
        provider = provider_for(link.connection)
        if job.kind == JobKind.CREATE:
            _create(job, link, provider)
        else:
            apply_remote(link, provider.fetch(link.key), provider=provider)
    except TrackerError as error:
        _failed(job, link, error, now)
        answered = _clock(now)
        told = backoff.told_wait(error.headers, answered) if error.retryable else None
        if told is not None:
            _hold_connection(link.connection_id, answered + told)
        return "limited" if told is not None else "failed"
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        attempts=F("attempts") + 1,
        claimed_until=None,
        last_error="",
        finished_at=_clock(now),
    )
    return "done"


def _create(job: SyncJob, link: TicketLink, provider: Provider) -> None:
    if TicketLink.objects.filter(pk=link.pk).exclude(key="").exists():
        return  # linked by hand to an existing issue meanwhile: nothing to create
    item = ActionItem.objects.select_related("incident").get(pk=link.action_item_id)
    marker = MARKER.format(key=job.idempotency_key)
    # A create tried before may have reached the tracker with its answer lost: find it.
    ticket = provider.find_created(marker) if job.attempts else None
    if ticket is None:
        ticket = provider.create(
            draft_for_item(
                key=job.idempotency_key,
                title=item.title,
                description=item.description,
                priority=item.priority,
                status=item.status,
                due_on=item.due_on,
                postmortem_title=item.incident.title,
                postmortem_url=incident_url(item),
            )
        )
    with transaction.atomic():
        # Agreed: the ticket says what the item says, but has no assignee yet: an owner
        # goes out as the assignee by the reconciliation below.
        link.snapshot = {**ticket.snapshot(), "owner_id": None}
        apply_remote(link, ticket, provider=provider)


def _failed(job: SyncJob, link: TicketLink, error: TrackerError, now: datetime) -> None:
    now = _clock(now)  # Retry-After counts from the answer, not from the pass's start
    attempts = job.attempts + 1
    retry_at = backoff.next_attempt(attempts, error.headers, now) if error.retryable else None
    if retry_at is None:
        state, note = JobState.FAILED, error.message
    else:
        state = JobState.WAITING
        note = f"{error.message} Trying again at {retry_at:%H:%M} UTC (attempt {attempts})."
    SyncJob.objects.filter(pk=job.pk).update(
        state=state,
        attempts=attempts,
        next_attempt_at=retry_at or now,
        claimed_until=None,
        last_error=error.message,
        finished_at=_clock(now),
    )
    TicketLink.objects.filter(pk=link.pk).update(sync_error=note[:2000])
