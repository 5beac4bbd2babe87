"""Fixtures for Insights: a clock stopped on 7 December 2026, and incidents built with
their timelines, factors and action items straight through the ORM (the triggers log
them whatever writes them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from kintsugi.core.debt.clock import ManualClock

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    from kintsugi.debt.clock import set_clock

    manual = ManualClock(NOW)
    previous = set_clock(manual)
    yield manual
    set_clock(previous)


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def build(db, team, owner):
    """``build(started, ...)``: an incident with detection after ``detect`` minutes,
    recovery after ``resolve`` minutes, factors and items."""
    from kintsugi.postmortems.models import ActionItem, Factor, Incident, TimelineEvent

    def make(
        started: datetime,
        *,
        title: str = "Pool exhausted",
        severity: str = "SEV2",
        team=team,
        services=(),
        restricted: bool = False,
        detect: int | None = 10,
        resolve: int | None = 60,
        factors=(),
        items=(),
        published_at: datetime | None = None,
    ) -> Incident:
        incident = Incident.objects.create(
            title=title,
            severity=severity,
            started_at=started,
            team=team,
            is_restricted=restricted,
            created_by=owner,
            published_at=published_at,
            status="published" if published_at else "draft",
        )
        incident.services.set(services)
        if detect is not None:
            TimelineEvent.objects.create(
                incident=incident,
                occurred_at=started + timedelta(minutes=detect),
                kind="alert_fired",
                text="Alert",
            )
        if resolve is not None:
            TimelineEvent.objects.create(
                incident=incident,
                occurred_at=started + timedelta(minutes=resolve),
                kind="fully_recovered",
                text="Recovered",
            )
        for factor in factors:
            Factor.objects.create(incident=incident, title=factor)
        for item in items:
            ActionItem.objects.create(incident=incident, **{"title": "Fix", **item})
        return incident

    return make


def fold():
    from kintsugi.insights import services

    return services.fold()
