"""The worker's heartbeat: written by every pass, read by readiness and ``/metrics``."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from kintsugi.operations.models import WorkerHeartbeat

# A worker that has not passed for this long is dead or gone: its row is dropped.
FORGET_AFTER = timedelta(days=1)
_STARTED = timezone.now()


def beat(now: datetime) -> str:
    """The worker step (handed down in ``OperationsConfig.ready``)."""
    name = f"{socket.gethostname()}:{os.getpid()}"[:200]
    updated = WorkerHeartbeat.objects.filter(worker=name).update(
        last_pass_at=now, passes=F("passes") + 1
    )
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker=name,
            defaults={"started_at": _STARTED, "last_pass_at": now, "passes": 1},
        )
        WorkerHeartbeat.objects.filter(last_pass_at__lt=now - FORGET_AFTER).delete()
    return "ok"


def last_pass_age(now: datetime | None = None) -> float | None:
    """Seconds since any worker last finished a pass, or None if none ever did."""
    latest = (
        WorkerHeartbeat.objects.order_by("-last_pass_at")
        .values_list("last_pass_at", flat=True)
        .first()
    )
    if latest is None:
        return None
    return max(0.0, ((now or timezone.now()) - latest).total_seconds())
