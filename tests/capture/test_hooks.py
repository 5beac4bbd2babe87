"""The receivers over Django's test client: authentication, limits, idempotency."""

from __future__ import annotations

import json

from django.test import Client

from kintsugi.capture.models import CaptureLink, DeliveryStatus, RawDelivery
from kintsugi.capture.views.hooks import MAX_BODY
from kintsugi.core.timeline import EventKind
from kintsugi.postmortems.models import Incident
from tests.capture.conftest import PD_SECRET, post
from tests.capture.payloads import alert, alertmanager, pagerduty_event, signed


def test_it_opens_a_draft_incident_for_a_firing_group(client, am_source, team):
    response = post(client, am_source, alertmanager(alert("a1"), alert("a2")))
    assert response.status_code == 200, response.content
    assert response.json()["events_added"] == 2
    incident = Incident.objects.get()
    assert (incident.status, incident.severity, incident.team) == ("draft", "SEV1", team)
    assert incident.title == "HighErrorRate — 5xx above 2%"
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds == [EventKind.ALERT_FIRED, EventKind.ALERT_FIRED]
    assert incident.events.first().evidence_url.startswith("http://prometheus.example")
    delivery = RawDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PROCESSED and bytes(delivery.body).startswith(b"{")
    assert "Authorization" not in delivery.headers


def test_redelivery_is_idempotent_and_resolution_joins_then_closes(client, am_source):
    post(client, am_source, alertmanager(alert("a1")))
    again = post(client, am_source, alertmanager(alert("a1")))
    assert again.json() == {**again.json(), "status": "duplicate", "events_added": 0}
    resolved = alertmanager(
        alert("a1", status="resolved", ends="2026-03-01T14:30:00Z"), status="resolved"
    )
    assert post(client, am_source, resolved).json()["events_added"] == 1
    assert post(client, am_source, resolved).json()["events_added"] == 0
    incident = Incident.objects.get()
    assert list(incident.events.values_list("kind", flat=True)) == [
        EventKind.ALERT_FIRED,
        EventKind.FULLY_RECOVERED,
    ]
    assert CaptureLink.objects.get().closed_at is not None
    # The same group firing again later is a new incident.
    post(client, am_source, alertmanager(alert("a1", starts="2026-03-08T09:00:00Z")))
    assert Incident.objects.count() == 2


def test_a_contradicting_event_is_kept_as_a_note_with_the_reason(client, pd_source):
    # A resolution whose time is before the trigger cannot be a key moment. (An
    # acknowledgement before it can: people may respond before the alert, core/timeline.py.)
    for kind, at, ident in (
        ("incident.triggered", "2020-10-02T18:45:00Z", "t"),
        ("incident.resolved", "2020-10-02T18:40:00Z", "r"),
    ):
        body, signature = signed(pagerduty_event(kind, at, ident), PD_SECRET)
        response = client.post(
            f"/hooks/pagerduty/{pd_source.source.pk}/",
            body,
            content_type="application/json",
            HTTP_X_PAGERDUTY_SIGNATURE=signature,
        )
        assert response.status_code == 200, response.content
    note = Incident.objects.get().events.get(kind=EventKind.NOTE)
    assert "Kept as a note" in note.text and EventKind.FULLY_RECOVERED.label in note.text


def test_pagerduty_events_fill_the_timeline_and_time_to_acknowledge(client, pd_source):
    flow = [
        ("incident.triggered", "2020-10-02T18:45:22.169Z"),
        ("incident.acknowledged", "2020-10-02T18:47:22Z"),
        ("incident.responder.added", "2020-10-02T18:48:00Z"),
        ("incident.annotated", "2020-10-02T18:50:00Z"),
        ("incident.priority_updated", "2020-10-02T18:51:00Z"),
        ("incident.resolved", "2020-10-02T19:45:22Z"),
    ]
    url = f"/hooks/pagerduty/{pd_source.source.pk}/"
    for number, (kind, at) in enumerate(flow):
        # During a rotation PagerDuty signs with both its old and new secrets.
        body, signature = signed(
            pagerduty_event(kind, at, f"ev{number}"), "old-secret-xxxxxxxxxxxx", PD_SECRET
        )
        response = client.post(
            url, body, content_type="application/json", HTTP_X_PAGERDUTY_SIGNATURE=signature
        )
        assert response.status_code == 200, response.content
    from kintsugi.core.timeline import KeyEvent, compute_metrics

    incident = Incident.objects.get()
    events = [
        KeyEvent(EventKind(k), at) for k, at in incident.events.values_list("kind", "occurred_at")
    ]
    metrics = compute_metrics(events, started_at=incident.started_at)
    assert metrics.time_to_acknowledge == 120 - 0.169
    assert incident.events.count() == 6 and incident.severity == "SEV1"
    # A replay of a signed payload adds nothing.
    body, signature = signed(pagerduty_event(*flow[1], "ev1"), PD_SECRET)
    replay = client.post(
        url, body, content_type="application/json", HTTP_X_PAGERDUTY_SIGNATURE=signature
    )
    assert replay.json()["status"] == "duplicate" and incident.events.count() == 6


def test_wrong_or_missing_credentials_get_the_same_401_and_nothing_is_kept(
    client, am_source, pd_source
):
    payload = alertmanager(alert("a1"))
    answers = [
        post(client, am_source, payload, secret="wrong"),
        post(client, am_source, payload, secret=""),
        client.post(
            "/hooks/alertmanager/999999/",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {am_source.secret}",
        ),
        client.post(
            f"/hooks/generic/{am_source.source.pk}/",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {am_source.secret}",
        ),
        client.post(
            f"/hooks/pagerduty/{pd_source.source.pk}/",
            b"{}",
            content_type="application/json",
            HTTP_X_PAGERDUTY_SIGNATURE="v1=00",
        ),
        client.post(
            f"/hooks/nosuchkind/{am_source.source.pk}/", b"{}", content_type="application/json"
        ),
    ]
    for response in answers:
        assert response.status_code == 401 and response.json() == {
            "error": "Unknown source or wrong secret."
        }
    assert not RawDelivery.objects.exists() and not Incident.objects.exists()


def test_bad_payloads_get_400_with_the_reason_and_are_kept(client, am_source):
    response = post(client, am_source, {**alertmanager(alert("a1")), "version": "3"})
    assert response.status_code == 400
    assert "version '3' is not supported" in response.json()["error"]
    bad_json = post(client, am_source, b"{oops")
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["error"]
    kept = RawDelivery.objects.order_by("id")
    assert [d.status for d in kept] == [DeliveryStatus.REJECTED] * 2
    assert bytes(kept[1].body) == b"{oops" and "JSON" in kept[1].reason
    assert not Incident.objects.exists()


def test_oversized_bodies_get_413(client, am_source, pd_source):
    big = b"x" * (MAX_BODY + 1)
    response = post(client, am_source, big)
    assert response.status_code == 413 and "limit is 1,048,576" in response.json()["error"]
    assert RawDelivery.objects.get().status == DeliveryStatus.REJECTED
    pd = client.post(
        f"/hooks/pagerduty/{pd_source.source.pk}/",
        big,
        content_type="application/json",
        HTTP_X_PAGERDUTY_SIGNATURE="v1=00",
    )
    assert pd.status_code == 413


def test_only_post_is_answered_and_no_csrf_or_login_is_needed(am_source):
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/hooks/alertmanager/{am_source.source.pk}/").status_code == 405
    assert post(client, am_source, alertmanager(alert("a1"))).status_code == 200


def test_generic_json_and_csv_sources(client, db):
    from kintsugi.capture.services.sources import source_create

    generic = source_create(user=None, kind="generic", name="deploys")
    payload = {
        "incident": {"key": "deploy-42", "title": "Checkout errors", "severity": "SEV2"},
        "events": [
            {
                "id": "e1",
                "occurred_at": "2026-03-01T14:02:00Z",
                "kind": "change_deployed",
                "text": "v42",
            }
        ],
    }
    assert post(client, generic, payload).json()["events_added"] == 1
    csv_source = source_create(user=None, kind="csv", name="sheet")
    body = b"incident_key,occurred_at,kind,text\ndeploy-42,2026-03-01T14:05:00Z,alert_fired,5xx\n"
    assert post(client, csv_source, body, content_type="text/csv").json()["events_added"] == 1
    assert Incident.objects.count() == 2  # one per source: keys are per source
    hostile = {
        "incident": {"key": "x", "title": "<script>alert(1)</script>"},
        "events": [{"occurred_at": "2026-03-01T14:02:00Z", "text": "<img src=x onerror=alert(1)>"}],
    }
    assert post(client, generic, hostile).status_code == 200
    incident = Incident.objects.get(title="<script>alert(1)</script>")
    from kintsugi.accounts.models import User

    admin = User.objects.create_user("root", role="admin", password="x")
    client.force_login(admin)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "<img src=x onerror" not in page and "&lt;img src=x onerror" in page


def test_a_delivery_costs_the_same_queries_for_5_or_50_alerts(client, am_source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int, group: str) -> int:
        payload = alertmanager(*[alert(f"{group}{i}") for i in range(n)], group=group)
        with CaptureQueriesContext(connection) as captured:
            assert post(client, am_source, payload).json()["events_added"] == n
        return len(captured)

    assert queries(5, "small") == queries(50, "large")


def test_a_large_delivery_is_answered_at_once_and_processed_by_the_worker(client, am_source):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from kintsugi.capture.services.ingest import SYNC_LIMIT, delivery_claim_next

    payload = alertmanager(*[alert(f"big{i}") for i in range(120)])
    assert len(json.dumps(payload)) > SYNC_LIMIT
    response = post(client, am_source, payload)
    assert response.status_code == 202 and response.json()["status"] == "received"
    assert not Incident.objects.exists()
    # One being processed by a request is not taken by the worker.
    from kintsugi.capture.services.ingest import delivery_store

    delivery_store(source=am_source.source, body=b"{}", headers={}, status="processing")
    # One claim at a time: a second worker finds nothing to take.
    claimed = delivery_claim_next()
    assert claimed is not None and delivery_claim_next() is None
    # A claim whose worker died is taken again after the timeout.
    RawDelivery.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("source", "work", "--once", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue()) == {"processed": 1}
    delivery = RawDelivery.objects.get(pk=claimed.pk)
    assert (delivery.status, delivery.events_added) == (DeliveryStatus.PROCESSED, 120)
    assert Incident.objects.get().events.count() == 120
