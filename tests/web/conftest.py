"""Helpers for the web tests: htmx headers and a filled post-mortem (``login``: tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

HTMX = {"HTTP_HX_REQUEST": "true"}
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def filled(incident, owner, teammate):
    """Fill ``incident`` with ``n`` of each part; returns the incident."""
    from kintsugi.postmortems import services

    def fill(n: int = 2):
        start = incident.events.count()
        for index in range(start, start + n):
            services.timeline_event_add(
                user=owner,
                incident=incident,
                occurred_at=T0 + timedelta(minutes=index),
                kind="note",
                text=f"Event {index}",
                author=teammate,
                evidence_url="https://grafana.example.com/d/1",
            )
            factor = services.factor_add(
                user=owner, incident=incident, title=f"Factor {index}", description="Details"
            )
            services.evidence_add(
                user=owner, factor=factor, url="https://grafana.example.com/d/2", kind="graph"
            )
            services.lesson_add(
                user=owner,
                incident=incident,
                kind=["went_well", "went_poorly", "got_lucky"][index % 3],
                text=f"Lesson {index}",
            )
            services.action_item_add(
                user=owner,
                incident=incident,
                title=f"Action {index}",
                owner=teammate,
                ticket_id=f"OPS-{index}",
                ticket_url="https://jira.example.com/OPS",
                factor=factor,
                due_on=date(2026, 3, 15),
            )
        return incident

    return fill


def assert_fragment(response) -> None:
    """An htmx answer is a fragment: no page chrome around it."""
    body = response.content.decode()
    assert "<html" not in body
    assert "site-header" not in body
