"""The blameless summary and the publishing verdict cost the same queries however long the
post-mortem is (issue 20: they once asked for the linter once per field)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.blameless.publishing import publishing_verdict
from kintsugi.blameless.summary_cache import forget
from kintsugi.postmortems.models import TimelineEvent

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


def _add_events(incident, count: int, start: int) -> None:
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            incident=incident,
            occurred_at=T0 + timedelta(minutes=start + n),
            text=f"Step {start + n}: the on-call engineer carelessly restarted the pool.",
        )
        for n in range(count)
    )


def _queries(incident) -> tuple[int, int]:
    """A verdict computed afresh (the stored one forgotten): the linting path."""
    forget(incident.pk)
    with CaptureQueriesContext(connection) as captured:
        verdict = publishing_verdict(incident)
    return len(captured.captured_queries), len(verdict.findings)


def test_the_verdict_costs_the_same_queries_for_3_or_40_events(incident) -> None:
    _add_events(incident, 3, 0)
    publishing_verdict(incident)  # the linter is built and cached once
    few, found_few = _queries(incident)
    _add_events(incident, 37, 3)
    many, found_many = _queries(incident)
    assert found_many > found_few >= 3  # the events are linted: each is blame
    assert many == few
