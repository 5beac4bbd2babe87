"""A capture delivery leaves the blamelessness summary to the worker (issue 20: linting the
whole post-mortem after every delivery's commit cost capture 14% of its throughput)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from kintsugi.blameless.models import SummaryCache
from kintsugi.capture.models import CaptureLink
from kintsugi.core.debt.clock import FixedClock
from kintsugi.debt.services.worker import run_pass
from kintsugi.postmortems.models import TimelineEvent
from tests.capture.conftest import post
from tests.capture.payloads import alert, alertmanager

pytestmark = pytest.mark.django_db


@pytest.fixture
def am_source(team):
    from kintsugi.capture.services.sources import source_create

    return source_create(user=None, kind="alertmanager", name="prod-am", team=team)


def test_deliveries_lint_nothing_and_the_worker_stores_the_summary(
    client, am_source, django_capture_on_commit_callbacks, lint_calls
) -> None:
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = post(client, am_source, alertmanager(alert(f"fp{n}")))
            assert response.status_code == 200, response.content
    incident = CaptureLink.objects.get().incident
    assert TimelineEvent.objects.filter(incident=incident).count() == 3
    assert lint_calls == []  # three commits, no lint
    assert not SummaryCache.objects.filter(incident=incident).exists()
    report = run_pass(clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
    assert report.steps["summaries stored"] == "1"
    assert lint_calls  # the worker linted it, once
    row = SummaryCache.objects.get(incident=incident)
    assert row.fragment and row.generation


def test_a_delivery_drops_a_stored_summary_it_made_stale(
    client, am_source, django_capture_on_commit_callbacks, lint_calls
) -> None:
    from kintsugi.blameless.summary_cache import summary_read, summary_store

    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, am_source, alertmanager(alert("first")))
    incident = CaptureLink.objects.get().incident
    summary_store(incident)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, am_source, alertmanager(alert("second")))
    assert not SummaryCache.objects.filter(incident=incident).exists()
    # Meanwhile a reader gets the summary of what is written now, linted on the read.
    lint_calls.clear()
    assert summary_read(incident).fragment == "" and lint_calls
