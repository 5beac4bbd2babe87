"""``/metrics`` in Prometheus' text format (docs/operations.md, "Monitoring").

Two kinds of figures:
- per request, counted in the process that served it: latency histograms and counts by
  view. ``kintsugi serve`` runs several processes; it gives them a shared folder
  (``PROMETHEUS_MULTIPROC_DIR``) so that a scrape, answered by any one of them, adds up all;
- read from the database at scrape time (queues, their age, failing deliveries, the
  worker's heartbeat): true whichever process or server answers, and costs a few indexed
  queries per scrape, not per request.

The page is off unless ``KINTSUGI_METRICS_TOKEN`` is set, and then needs it as a bearer
token: queue sizes and view names say something about an organisation, and a reverse
proxy would make every scrape look as if it came from loopback.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# Buckets for pages that should answer in tens of milliseconds, with room to show trouble.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "kintsugi_http_request_duration_seconds",
    "Time to answer a request, by view (URL name) and method.",
    ["view", "method"],
    buckets=BUCKETS,
)
RESPONSES = Counter(
    "kintsugi_http_responses",
    "Responses by view, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "method", "status"],
)


def observe(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} else "other"
    REQUEST_SECONDS.labels(view, method).observe(seconds)
    RESPONSES.labels(view, method, f"{status // 100}xx").inc()


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        yield from _worker(now)
        yield from _queue(
            "deliveries",
            "Email and Slack messages (reminders, weekly reviews, digests)",
            _deliveries,
            now,
        )
        yield from _queue(
            "capture", "Raw webhook deliveries waiting to be processed", _capture, now
        )
        yield from _queue("tracker_sync", "Tracker sync jobs waiting to run", _tracker_jobs, now)
        yield from _failures()


def _worker(now) -> Iterator[GaugeMetricFamily]:
    from kintsugi.operations.heartbeat import last_pass_age

    age = last_pass_age(now)
    known = GaugeMetricFamily(
        "kintsugi_worker_seen", "1 if any `kintsugi worker` has finished a pass, else 0."
    )
    known.add_metric([], 0 if age is None else 1)
    yield known
    if age is not None:
        gauge = GaugeMetricFamily(
            "kintsugi_worker_last_pass_age_seconds",
            "Seconds since a `kintsugi worker` last finished a pass.",
        )
        gauge.add_metric([], age)
        yield gauge


def _deliveries():
    from kintsugi.debt.models import Delivery, DeliveryStatus

    waiting = [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING]
    return Delivery.objects.filter(status__in=waiting).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )


def _capture():
    from kintsugi.capture.models import DeliveryStatus, RawDelivery

    waiting = [DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING]
    return RawDelivery.objects.filter(status__in=waiting).aggregate(
        n=Count("id"), oldest=Min("received_at")
    )


def _tracker_jobs():
    from kintsugi.trackers.models import JobState, SyncJob

    return SyncJob.objects.filter(state=JobState.WAITING).aggregate(
        n=Count("id"), oldest=Min("next_attempt_at")
    )


def _queue(name: str, what: str, read: Callable[[], dict], now) -> Iterator[GaugeMetricFamily]:
    figures = read()
    depth = GaugeMetricFamily(f"kintsugi_queue_{name}_depth", f"{what}: how many.")
    depth.add_metric([], figures["n"] or 0)
    age = GaugeMetricFamily(
        f"kintsugi_queue_{name}_oldest_age_seconds",
        f"{what}: age of the oldest (0 when empty).",
    )
    oldest = figures["oldest"]
    age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    yield depth
    yield age


def _failures() -> Iterator[GaugeMetricFamily]:
    from kintsugi.capture.models import DeliveryStatus as CaptureStatus
    from kintsugi.capture.models import RawDelivery
    from kintsugi.debt.models import Delivery, DeliveryStatus
    from kintsugi.trackers.models import JobState, SyncJob

    failing = GaugeMetricFamily(
        "kintsugi_failures",
        "Work that failed: deliveries retrying after an error, tracker jobs given up, raw "
        "webhook deliveries that failed processing.",
        labels=["kind"],
    )
    failing.add_metric(
        ["delivery_retrying"], Delivery.objects.filter(status=DeliveryStatus.RETRYING).count()
    )
    failing.add_metric(["tracker_gave_up"], SyncJob.objects.filter(state=JobState.FAILED).count())
    failed = RawDelivery.objects.aggregate(
        failed=Count("id", filter=Q(status=CaptureStatus.FAILED)),
        rejected=Count("id", filter=Q(status=CaptureStatus.REJECTED)),
    )
    failing.add_metric(["capture_failed"], failed["failed"])
    failing.add_metric(["capture_rejected"], failed["rejected"])
    yield failing


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
        registry.register(RESPONSES)
    registry.register(DatabaseCollector())
    return registry


def _authorised(request: HttpRequest) -> bool:
    token = settings.KINTSUGI_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode(), token.encode()
    )


@login_not_required
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.KINTSUGI_METRICS_TOKEN:
        raise Http404("Metrics are off: set KINTSUGI_METRICS_TOKEN.")
    if not _authorised(request):
        return HttpResponse(
            "A bearer token is required (KINTSUGI_METRICS_TOKEN).\n",
            status=401,
            content_type="text/plain; charset=utf-8",
            headers={"WWW-Authenticate": 'Bearer realm="kintsugi-metrics"'},
        )
    started = time.perf_counter()
    body = generate_latest(_registry())
    body += (
        b"# HELP kintsugi_metrics_scrape_seconds Time this scrape took.\n"
        b"# TYPE kintsugi_metrics_scrape_seconds gauge\n"
        + f"kintsugi_metrics_scrape_seconds {time.perf_counter() - started:.6f}\n".encode()
    )
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
