"""Liveness, readiness, the worker's heartbeat, request ids and ``/metrics`` (issue 20)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kintsugi.capture.models import DeliveryStatus, RawDelivery, Source, SourceKind
from kintsugi.operations import health
from kintsugi.operations.heartbeat import beat, last_pass_age
from kintsugi.operations.models import WorkerHeartbeat

TOKEN = "metrics-token-0123456789"


def test_livez_answers_without_the_database(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "alive"}
    assert (
        response["Cache-Control"].startswith("no-store") or "no-cache" in response["Cache-Control"]
    )


def test_readyz_reports_the_worker_without_depending_on_it(db, settings, monkeypatch) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    body = Client().get("/readyz").json()
    assert body == {"status": "ready", "database": "ok", "worker": {"state": "never seen"}}
    beat(timezone.now() - timedelta(seconds=20))
    body = Client().get("/readyz").json()
    assert body["worker"]["state"] == "ok" and 19 <= body["worker"]["last_pass_age_seconds"] < 60
    WorkerHeartbeat.objects.update(last_pass_at=timezone.now() - timedelta(hours=1))
    response = Client().get("/readyz")
    assert response.status_code == 200  # a stopped worker must not take the web servers out
    assert response.json()["worker"]["state"] == "stale"


def test_readyz_is_unavailable_until_migrated(db, monkeypatch) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "_pending", lambda: ["operations.0002_future"])
    response = Client().get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"status": "unavailable", "database": "not migrated", "pending": 1}


def test_the_worker_beats_at_every_pass(db) -> None:
    assert last_pass_age() is None
    call_command("worker", "--once", stdout=_Sink(), stderr=_Sink())
    (row,) = WorkerHeartbeat.objects.all()
    assert row.passes == 1 and last_pass_age() < 60
    call_command("worker", "--once", stdout=_Sink(), stderr=_Sink())
    row.refresh_from_db()
    assert row.passes == 2


def test_old_heartbeats_are_forgotten(db) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker="gone:1", started_at=now - timedelta(days=3), last_pass_at=now - timedelta(days=2)
    )
    beat(now)
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) != ["gone:1"]
    assert not WorkerHeartbeat.objects.filter(worker="gone:1").exists()


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


# --- request ids --------------------------------------------------------------------------


def test_every_response_carries_a_request_id(db) -> None:
    first = Client().get("/livez")["X-Request-ID"]
    second = Client().get("/livez")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("proxy-4f1c2a9e-0001", True),
        ("short", False),
        ("x" * 129, False),
        ("evil\r\nSet-Cookie: a=b", False),
        ("<script>alert(1)</script>", False),
        ("spaces are not ids", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept_and_others_replaced(db, given: str, kept: bool) -> None:
    answered = Client().get("/livez", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert (answered == given) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


# --- /metrics -----------------------------------------------------------------------------


def test_metrics_are_off_without_a_token(db, settings) -> None:
    settings.KINTSUGI_METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        f"Basic {TOKEN}",
        "Bearer wrong",
        f"Bearer {TOKEN}x",
        "Bearer",
        "Bearer " + "x" * 5000,
    ],
)
def test_metrics_need_the_bearer_token(db, settings, header) -> None:
    settings.KINTSUGI_METRICS_TOKEN = TOKEN
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = Client().get("/metrics", **extra)
    assert response.status_code == 401 and "Bearer" in response["WWW-Authenticate"]
    assert b"kintsugi_" not in response.content


def test_a_signed_in_admin_without_the_token_gets_nothing(admin_client, settings) -> None:
    settings.KINTSUGI_METRICS_TOKEN = TOKEN
    assert admin_client.get("/metrics").status_code == 401


def _scrape() -> str:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def _value(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        base, _, rest = metric.partition("{")
        if base != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    raise AssertionError(f"{name} {labels} not in the scrape")


def test_metrics_count_requests_by_view(db, settings) -> None:
    settings.KINTSUGI_METRICS_TOKEN = TOKEN
    before = _scrape()
    count = lambda text: _value(  # noqa: E731
        text, "kintsugi_http_request_duration_seconds_count", view="livez", method="GET"
    )
    try:
        start = count(before)
    except AssertionError:
        start = 0.0
    for _ in range(3):
        Client().get("/livez")
    Client().get("/no/such/page/")
    after = _scrape()
    assert count(after) == start + 3
    assert _value(after, "kintsugi_http_responses_total", view="livez", status="2xx") >= 3
    assert _value(after, "kintsugi_http_responses_total", view="unresolved", status="4xx") >= 1


def test_metrics_read_queues_and_failures_from_the_database(db, settings) -> None:
    settings.KINTSUGI_METRICS_TOKEN = TOKEN
    text = _scrape()
    assert _value(text, "kintsugi_queue_capture_depth") == 0
    assert _value(text, "kintsugi_queue_capture_oldest_age_seconds") == 0
    assert _value(text, "kintsugi_worker_seen") == 0
    source = Source.objects.create(kind=SourceKind.GENERIC, name="metrics-test")
    old = timezone.now() - timedelta(minutes=10)
    for status in (DeliveryStatus.RECEIVED, DeliveryStatus.RECEIVED, DeliveryStatus.FAILED):
        RawDelivery.objects.create(source=source, body=b"{}", status=status, received_at=old)
    beat(timezone.now())
    text = _scrape()
    assert _value(text, "kintsugi_queue_capture_depth") == 2
    assert 590 <= _value(text, "kintsugi_queue_capture_oldest_age_seconds") < 700
    assert _value(text, "kintsugi_failures", kind="capture_failed") == 1
    assert _value(text, "kintsugi_worker_seen") == 1
    assert _value(text, "kintsugi_worker_last_pass_age_seconds") < 60


def test_a_scrape_costs_the_same_few_queries_whatever_the_data(
    db, settings, django_assert_max_num_queries
) -> None:
    settings.KINTSUGI_METRICS_TOKEN = TOKEN
    source = Source.objects.create(kind=SourceKind.GENERIC, name="many")
    RawDelivery.objects.bulk_create(
        RawDelivery(source=source, body=b"{}", status=DeliveryStatus.RECEIVED) for _ in range(200)
    )
    with django_assert_max_num_queries(12):
        _scrape()
