"""How long raw deliveries are kept: ``KINTSUGI_CAPTURE_KEEP_DAYS`` (default 90).

Every payload is stored before it is processed (audit, ``kintsugi source reprocess``); kept
for ever they would grow without bound. The worker prunes those older than the setting on
every pass; rejected and failed ones are kept as long as the rest (long enough to inspect
and reprocess them), and a delivery still waiting or being processed is never pruned. What
a delivery added to an incident stays: the incident's timeline and the capture links do
not point at deliveries.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kintsugi.capture.models import DeliveryStatus, RawDelivery

DEFAULT_KEEP_DAYS = 90
MAX_KEEP_DAYS = 36_500
BATCH = 1000


def keep_days() -> int:
    """The setting (Django setting, else the environment), checked."""
    raw = getattr(settings, "KINTSUGI_CAPTURE_KEEP_DAYS", None)
    if raw is None:
        raw = os.environ.get("KINTSUGI_CAPTURE_KEEP_DAYS", "") or DEFAULT_KEEP_DAYS
    try:
        days = int(str(raw).strip())
    except ValueError:
        days = -1
    if not 1 <= days <= MAX_KEEP_DAYS:
        raise ImproperlyConfigured(
            f"KINTSUGI_CAPTURE_KEEP_DAYS must be a whole number of days from 1 to "
            f"{MAX_KEEP_DAYS}, not {str(raw)[:40]!r}."
        )
    return days


def deliveries_prune(*, now: datetime, limit: int = 10 * BATCH) -> int:
    """Delete deliveries received more than ``keep_days()`` before ``now`` (at most
    ``limit`` a pass, in batches, so a first pass after years does not hold a long lock)."""
    cutoff = now - timedelta(days=keep_days())
    waiting = (DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING)
    old = RawDelivery.objects.filter(received_at__lt=cutoff).exclude(status__in=waiting)
    pruned = 0
    while pruned < limit:
        ids = list(old.order_by("id").values_list("id", flat=True)[: min(BATCH, limit - pruned)])
        if not ids:
            break
        pruned += RawDelivery.objects.filter(id__in=ids).delete()[0]
    return pruned
