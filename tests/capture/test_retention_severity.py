"""Capture leftovers: raw deliveries pruned after KINTSUGI_CAPTURE_KEEP_DAYS by the worker
(rejected ones kept as long, waiting ones never), and a draft's severity raised when a more
severe alert joins its group, unless someone set the severity by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from kintsugi.capture.models import CaptureLink, DeliveryStatus, RawDelivery
from kintsugi.capture.services.retention import deliveries_prune, keep_days
from kintsugi.core.capture.severity import more_severe
from kintsugi.postmortems.models import Incident
from tests.capture.conftest import post
from tests.capture.payloads import alert, alertmanager


def _delivery(source, days_old: int, status: str) -> RawDelivery:
    return RawDelivery.objects.create(
        source=source.source,
        body=b"{}",
        status=status,
        received_at=timezone.now() - timedelta(days=days_old),
    )


def test_the_worker_prunes_old_deliveries_and_keeps_waiting_ones(am_source, settings):
    from kintsugi.core.debt.clock import FixedClock
    from kintsugi.debt.services.worker import run_pass

    old_done = _delivery(am_source, 91, DeliveryStatus.PROCESSED)
    old_rejected = _delivery(am_source, 91, DeliveryStatus.REJECTED)
    old_waiting = _delivery(am_source, 400, DeliveryStatus.RECEIVED)
    recent_rejected = _delivery(am_source, 89, DeliveryStatus.REJECTED)
    report = run_pass(clock=FixedClock(timezone.now()))
    assert report.steps["capture retention"] == "2 old deliveries pruned"
    left = set(RawDelivery.objects.values_list("pk", flat=True))
    assert left == {old_waiting.pk, recent_rejected.pk}
    assert old_done.pk not in left and old_rejected.pk not in left
    settings.KINTSUGI_CAPTURE_KEEP_DAYS = "30"
    assert deliveries_prune(now=timezone.now()) == 1  # the 89-day-old rejected one
    assert set(RawDelivery.objects.values_list("pk", flat=True)) == {old_waiting.pk}


def test_pruning_goes_in_batches_up_to_a_limit(am_source):
    for _ in range(5):
        _delivery(am_source, 100, DeliveryStatus.PROCESSED)
    assert deliveries_prune(now=timezone.now(), limit=3) == 3
    assert deliveries_prune(now=timezone.now(), limit=3) == 2
    assert deliveries_prune(now=timezone.now()) == 0


def test_keep_days_default_and_bad_values(settings, monkeypatch):
    monkeypatch.delenv("KINTSUGI_CAPTURE_KEEP_DAYS", raising=False)
    assert keep_days() == 90
    monkeypatch.setenv("KINTSUGI_CAPTURE_KEEP_DAYS", "14")
    assert keep_days() == 14
    for bad in ("0", "-3", "ninety", "1e9", "9" * 200, "<script>"):
        settings.KINTSUGI_CAPTURE_KEEP_DAYS = bad
        with pytest.raises(ImproperlyConfigured, match="KINTSUGI_CAPTURE_KEEP_DAYS") as error:
            keep_days()
        assert len(str(error.value)) < 200


def test_a_more_severe_alert_raises_the_drafts_severity(client, am_source):
    post(client, am_source, alertmanager(alert("a1", severity="warning")))
    incident = Incident.objects.get()
    assert incident.severity == "SEV3"
    post(client, am_source, alertmanager(alert("a2", severity="critical")))
    incident.refresh_from_db()
    assert incident.severity == "SEV1"
    assert CaptureLink.objects.get().severity_set == "SEV1"
    post(client, am_source, alertmanager(alert("a3", severity="info")))  # never lowered
    incident.refresh_from_db()
    assert incident.severity == "SEV1"


def test_a_raised_severity_moves_the_version_and_is_kept_in_the_history(
    client, am_source, django_capture_on_commit_callbacks
):
    """An editor who opened the header before the raise cannot put the lower severity back
    unseen (the save is refused as a conflict), and the history shows the change."""
    from kintsugi.history.models import Version

    with django_capture_on_commit_callbacks(execute=True):
        post(client, am_source, alertmanager(alert("a1", severity="warning")))
    incident = Incident.objects.get()
    before, versions = incident.version, Version.objects.filter(incident=incident).count()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, am_source, alertmanager(alert("a2", severity="critical")))
    incident.refresh_from_db()
    assert incident.severity == "SEV1" and incident.version == before + 1
    latest = Version.objects.filter(incident=incident).latest("number")
    assert latest.number == versions + 1 and "summary" in latest.sections


def test_a_severity_set_by_hand_is_kept(client, am_source):
    post(client, am_source, alertmanager(alert("a1", severity="info")))
    incident = Incident.objects.get()
    Incident.objects.filter(pk=incident.pk).update(severity="SEV3")  # someone decided
    post(client, am_source, alertmanager(alert("a2", severity="critical")))
    incident.refresh_from_db()
    assert incident.severity == "SEV3"


def test_a_published_post_mortem_is_not_touched(client, am_source):
    post(client, am_source, alertmanager(alert("a1", severity="warning")))
    Incident.objects.update(status="published")
    post(client, am_source, alertmanager(alert("a2", severity="critical")))
    assert Incident.objects.get().severity == "SEV3"


def test_more_severe():
    assert more_severe("SEV1", "SEV3") and not more_severe("SEV3", "SEV1")
    assert not more_severe("SEV2", "SEV2")
    assert not more_severe("SEV0", "SEV3") and not more_severe("SEV1", "")
