"""Sending stored deliveries exactly once, and retrying failures until they go through.

1. *Enqueue*: insert the rows with ``ON CONFLICT DO NOTHING`` on the unique (key, channel,
   recipient); a second worker, or the same one after a restart, inserts nothing new.
2. *Claim*: a conditional ``UPDATE ... WHERE status IN (pending, retrying) AND
   next_attempt_at <= now`` by primary key; the database lets one worker win, the other
   updates 0 rows and moves on. The claim carries a lease (``claimed_until``).
3. *Send* outside any transaction, then record the result: sent, or retrying at the
   core's ``next_attempt_at`` (honouring Retry-After) with the error kept for the page.

A worker killed between the provider's acceptance and step 3 leaves the row "sending";
after the lease it is sent again (at least once beats never). A clean stop (SIGTERM)
finishes the current delivery first, so restarts do not resend.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q

from kintsugi.accounts.models import User
from kintsugi.core.debt.schedule import next_attempt_at
from kintsugi.debt.delivery import DeliveryError, Transport, default_transports
from kintsugi.debt.models import Delivery, DeliveryStatus
from kintsugi.postmortems import access

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_ERROR = 1000


def enqueue(rows: Iterable[Delivery]) -> int:
    """Insert deliveries that do not exist yet; returns how many were offered."""
    batch = list(rows)
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True, batch_size=500)
    return len(batch)


def _claimable(now: datetime) -> Q:
    waiting = Q(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
    )
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    return waiting | abandoned


def claim(pk: int, now: datetime) -> Delivery | None:
    """Take one delivery for sending, or ``None`` if another worker has it."""
    token = uuid.uuid4().hex
    won = Delivery.objects.filter(_claimable(now), pk=pk).update(
        status=DeliveryStatus.SENDING,
        claim_token=token,
        claimed_until=now + LEASE,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not won:
        return None
    return Delivery.objects.filter(pk=pk, claim_token=token).select_related("team").first()


def due_ids(now: datetime, limit: int, key: str | None = None) -> list[int]:
    due = Delivery.objects.filter(_claimable(now))
    if key is not None:
        due = due.filter(idempotency_key=key)
    return list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def _finish(delivery: Delivery, **fields: object) -> None:
    """Record the outcome, but only while this worker still holds the claim."""
    Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        claim_token="", claimed_until=None, **fields
    )


def send_one(delivery: Delivery, now: datetime, transports: Mapping[str, Transport]) -> bool:
    """Send a claimed delivery and record the outcome; ``True`` if it went out."""
    try:
        transports[delivery.channel](delivery, now)
    except DeliveryError as error:
        retry = next_attempt_at(delivery.attempts, now, error.retry_after)
        log.warning(
            "Delivery %s (%s) failed, attempt %s, next at %s: %s",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            retry.isoformat(),
            error.message,
        )
        _finish(
            delivery,
            status=DeliveryStatus.RETRYING,
            last_error=error.message[:MAX_ERROR],
            next_attempt_at=retry,
            updated_at=now,
        )
        return False
    except Exception as error:  # a bug must not lose the message: keep it for a retry
        log.exception("Delivery %s crashed; it will be retried", delivery.pk)
        _finish(
            delivery,
            status=DeliveryStatus.RETRYING,
            last_error=f"Unexpected error: {type(error).__name__}"[:MAX_ERROR],
            next_attempt_at=next_attempt_at(delivery.attempts, now),
            updated_at=now,
        )
        return False
    _finish(delivery, status=DeliveryStatus.SENT, sent_at=now, last_error="", updated_at=now)
    return True


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def deliver_due(
    *,
    now: Callable[[], datetime],
    limit: int = 100,
    transports: Mapping[str, Transport] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    key: str | None = None,
) -> DeliveryReport:
    """Send what is due (only ``key``'s rows if given), one claim at a time."""
    chosen = transports or default_transports()
    report = DeliveryReport()
    for pk in due_ids(now(), limit, key):
        if should_stop():
            break
        moment = now()
        delivery = claim(pk, moment)
        if delivery is None:
            continue
        if send_one(delivery, moment, chosen):
            report.sent += 1
        else:
            report.failed += 1
    return report


def delivery_retry_now(*, user: User, delivery: Delivery, now: datetime) -> None:
    """An admin asks for the next attempt now (after fixing the SMTP or webhook settings)."""
    if not access.can_retry_deliveries(user):
        raise PermissionDenied("Only admins retry deliveries.")
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.RETRYING).update(
        next_attempt_at=now, updated_at=now
    )
