"""From a stored delivery to incidents and timeline events.

The raw body is saved first (its own transaction), then parsed by the core and applied
through the post-mortem services, so every event is validated as one typed by a person
would be. A payload the core refuses is kept with its reason (status ``rejected``); one
whose transitions were all recorded before is a ``duplicate`` and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from kintsugi.blameless.summary_cache import deferred
from kintsugi.capture.models import (
    CapturedEvent,
    CaptureLink,
    DeliveryStatus,
    RawDelivery,
    Source,
    SourceKind,
)
from kintsugi.core.capture.alertmanager import parse_alertmanager
from kintsugi.core.capture.generic import parse_csv, parse_generic
from kintsugi.core.capture.model import CapturedBatch, fit
from kintsugi.core.capture.model import CapturedEvent as Transition
from kintsugi.core.capture.pagerduty import parse_pagerduty
from kintsugi.core.capture.severity import more_severe
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services import (
    incident_create,
    timeline_event_add,
    timeline_events_add,
)
from kintsugi.postmortems.services.policies import note_change

log = logging.getLogger(__name__)

# What is kept of a delivery's headers: enough to audit it, never a credential.
KEPT_HEADERS = ("Content-Type", "User-Agent", "X-PagerDuty-Signature", "X-Webhook-Id")


_WAITING = (DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING)


def delivery_store(
    *,
    source: Source,
    body: bytes,
    headers: Mapping[str, str],
    status: str = DeliveryStatus.RECEIVED,
    reason: str = "",
) -> RawDelivery:
    kept = {name: headers[name][:500] for name in KEPT_HEADERS if name in headers}
    return RawDelivery.objects.create(
        source=source,
        body=body,
        body_size=len(body),
        headers=kept,
        status=status,
        reason=reason,
        processed_at=None if status in _WAITING else timezone.now(),
        claimed_at=timezone.now() if status == DeliveryStatus.PROCESSING else None,
    )


def parse(source: Source, body: bytes) -> list[CapturedBatch]:
    if source.kind == SourceKind.ALERTMANAGER:
        return parse_alertmanager(
            body, severity_label=source.severity_label, severity_map=source.severity_map
        )
    if source.kind == SourceKind.PAGERDUTY:
        return parse_pagerduty(body)
    if source.kind == SourceKind.GENERIC:
        return parse_generic(body)
    return parse_csv(body)


def _finish(delivery: RawDelivery, status: str, reason: str = "", added: int = 0) -> RawDelivery:
    delivery.status, delivery.reason, delivery.events_added = status, reason, added
    delivery.processed_at = timezone.now()
    delivery.save(update_fields=["status", "reason", "events_added", "processed_at"])
    if status == DeliveryStatus.REJECTED:
        log.info(
            "capture delivery %s from source %r rejected: %s",
            delivery.pk,
            delivery.source.name,
            reason,
        )
    return delivery


# The summaries of the incidents a delivery touches are left to the worker: a lint of the
# whole post-mortem per delivery cost alert capture 14% of its throughput (issue 20).
@deferred()
def delivery_process(delivery: RawDelivery) -> RawDelivery:
    """Parse and apply a stored delivery (again, when re-processing); returns it finished."""
    source = delivery.source
    try:
        batches = parse(source, bytes(delivery.body))
    except ValidationProblem as problem:
        return _finish(delivery, DeliveryStatus.REJECTED, problem.message)
    if not batches:
        return _finish(delivery, DeliveryStatus.PROCESSED, "No event type this source records.")
    for attempt in (1, 2):
        try:
            # The events and the delivery's outcome in one commit (one fsync on SQLite).
            with transaction.atomic():
                added = sum(apply_batch(source, batch) for batch in batches)
                status = DeliveryStatus.PROCESSED if added else DeliveryStatus.DUPLICATE
                return _finish(delivery, status, "", added)
        except IntegrityError:
            # The same transition arrived in a concurrent delivery: ours lost the race;
            # once more, with what the winner recorded, adds only what is still new.
            if attempt == 2:
                raise
        except ValidationProblem as problem:
            return _finish(delivery, DeliveryStatus.REJECTED, problem.message)
    raise AssertionError("unreachable")  # pragma: no cover


def _open_incident(source: Source, batch: CapturedBatch, new: list[Transition]) -> CaptureLink:
    started_at = min(event.occurred_at for event in batch.events)
    incident = incident_create(
        user=None,
        title=batch.title,
        started_at=started_at,
        severity=batch.severity or Severity.SEV3,
        status=PostmortemStatus.DRAFT,
        team=source.team,
        summary=fit(
            f"Opened from the {source.get_kind_display()} source '{source.name}' "
            f"(group {batch.group_key}). A draft: the timeline writes itself; the rest is "
            "yours."
        ),
    )
    return CaptureLink.objects.create(
        source=source,
        group_key=batch.group_key,
        incident=incident,
        severity_set=incident.severity,
    )


def _raise_severity(link: CaptureLink, severity: str | None) -> None:
    """A more severe alert joined the group: the draft's severity follows it, unless
    someone set the severity by hand (it differs from what capture last set)."""
    incident = link.incident
    if (
        not severity
        or not link.severity_set
        or incident.status != PostmortemStatus.DRAFT
        or incident.severity != link.severity_set
        or not more_severe(severity, incident.severity)
    ):
        return
    # Only while nobody changed it meanwhile (the same condition, in the database).
    # The version moves too: an editor's save based on the older header is then refused as
    # a conflict instead of silently putting the lower severity back; and the change is
    # noted for the history like any service write (by nobody: capture did it).
    changed = Incident.objects.filter(
        pk=incident.pk, severity=link.severity_set, status=PostmortemStatus.DRAFT
    ).update(severity=severity, version=F("version") + 1)
    if changed:
        note_change(user=None, incident=incident)
        CaptureLink.objects.filter(pk=link.pk).update(severity_set=severity)
        incident.severity = link.severity_set = severity


def _link_for(source: Source, batch: CapturedBatch, new: list[Transition]) -> CaptureLink:
    links = CaptureLink.objects.filter(source=source, group_key=batch.group_key)
    open_link = links.filter(closed_at__isnull=True).select_related("incident").first()
    if open_link is not None:
        return open_link
    # A late resolution of a closed group belongs to the incident it closed; a new firing
    # (or a first event) opens a new incident.
    starts = any(event.kind == EventKind.ALERT_FIRED for event in new)
    latest = None if starts else links.select_related("incident").order_by("-id").first()
    return latest or _open_incident(source, batch, new)


def _add_event(incident: Incident, event: Transition) -> int | None:
    try:
        row = timeline_event_add(
            user=None,
            incident=incident,
            occurred_at=event.occurred_at,
            text=event.text,
            kind=event.kind,
            evidence_url=event.evidence_url,
        )
    except ValidationProblem as problem:
        # The sender's order contradicts the timeline (an acknowledgement before the alert,
        # a recovery before the start): kept as a note with the reason, never dropped.
        row = timeline_event_add(
            user=None,
            incident=incident,
            occurred_at=event.occurred_at,
            text=fit(
                f"{event.text}\n(Kept as a note, not '{event.kind.label}': {problem.message})"
            ),
            kind=EventKind.NOTE,
            evidence_url=event.evidence_url,
        )
    return row.pk


def _add_events(incident: Incident, new: list[Transition]) -> list[int | None]:
    """All at once when the timeline stays coherent (the usual case, and the fast one);
    else one by one, so only the contradicting events become notes."""
    try:
        with transaction.atomic():
            rows = timeline_events_add(
                user=None,
                incident=incident,
                events=[
                    {
                        "occurred_at": event.occurred_at,
                        "text": event.text,
                        "kind": event.kind,
                        "evidence_url": event.evidence_url,
                    }
                    for event in new
                ],
            )
        return [row.pk for row in rows]
    except ValidationProblem:
        return [_add_event(incident, event) for event in new]


def apply_batch(source: Source, batch: CapturedBatch) -> int:
    """Add the batch's new transitions to its incident; returns how many were new."""
    unique = {event.key: event for event in batch.events}
    seen = set(
        CapturedEvent.objects.filter(source=source, key__in=list(unique)).values_list(
            "key", flat=True
        )
    )
    new = sorted(
        (event for key, event in unique.items() if key not in seen),
        key=lambda event: event.occurred_at,
    )
    now = timezone.now()
    if not new:
        if batch.closes:
            CaptureLink.objects.filter(
                source=source, group_key=batch.group_key, closed_at__isnull=True
            ).update(closed_at=now)
        return 0
    link = _link_for(source, batch, list(new))
    _raise_severity(link, batch.severity)
    event_ids = _add_events(link.incident, new)
    rows = [
        CapturedEvent(source=source, key=event.key, link=link, event_id=event_id)
        for event, event_id in zip(new, event_ids, strict=True)
    ]
    CapturedEvent.objects.bulk_create(rows)
    if batch.closes and link.closed_at is None:
        CaptureLink.objects.filter(pk=link.pk).update(closed_at=now)
    return len(rows)


# Deliveries larger than this are answered at once (202) and processed by
# `kintsugi source work`: a 50-alert Alertmanager group (~25 KB) is processed within the
# receiver's 100 ms budget (bench/capture.py), a 1,000-alert one is not.
SYNC_LIMIT = 32 * 1024
CLAIM_TIMEOUT = timedelta(minutes=10)


def delivery_claim_next() -> RawDelivery | None:
    """The oldest waiting delivery, claimed with a conditional UPDATE so two workers never
    process the same one (no broker, no lock held while it is processed)."""
    now = timezone.now()
    waiting = Q(status=DeliveryStatus.RECEIVED) | Q(
        status=DeliveryStatus.PROCESSING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    for pk in RawDelivery.objects.filter(waiting).order_by("id").values_list("pk", flat=True)[:20]:
        claimed = RawDelivery.objects.filter(waiting, pk=pk).update(
            status=DeliveryStatus.PROCESSING, claimed_at=now
        )
        if claimed:
            return RawDelivery.objects.select_related("source").get(pk=pk)
    return None


def deliveries_process_waiting(*, limit: int = 100) -> int:
    """Process up to ``limit`` waiting deliveries; returns how many were processed."""
    done = 0
    while done < limit:
        delivery = delivery_claim_next()
        if delivery is None:
            break
        delivery_process(delivery)
        done += 1
    return done
