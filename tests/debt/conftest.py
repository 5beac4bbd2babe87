"""Fixtures for the debt app: a clock stopped in week 2026-W48, and items with chosen dates.

The shared fixtures (tests/conftest.py) give a team "Platform" with a lead (alice), a
teammate (bob), an outsider, a viewer and an admin.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.test import Client

from kintsugi.core.debt.clock import ManualClock

# Wednesday of ISO week 2026-W48 (Monday 23 to Sunday 29 November 2026).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def clock():
    """The clock the debt pages read, stopped at NOW; tests move it forward by hand."""
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
def make_incident(db, team, owner):
    from kintsugi.postmortems import services

    def make(
        title: str = "Pool exhausted",
        started: date = date(2026, 11, 2),
        team=team,
        services_=(),
        restricted: bool = False,
        severity: str = "SEV2",
    ):
        return services.incident_create(
            user=None,
            title=title,
            started_at=at(started, 14),
            severity=severity,
            team=team,
            services=list(services_),
            is_restricted=restricted,
        )

    return make


@pytest.fixture
def make_item(db, make_incident):
    """An item saved through the services, then given the creation and closing times asked.

    ``created`` and ``closed`` are dates (noon UTC); the services set the policy's date.
    """
    from kintsugi.postmortems import services
    from kintsugi.postmortems.models import ActionItem

    default_incident: list[Any] = []

    def make(
        title: str = "Cap the pool",
        *,
        incident=None,
        created: date = date(2026, 11, 3),
        closed: date | None = None,
        **fields: Any,
    ) -> ActionItem:
        if incident is None:
            if not default_incident:
                default_incident.append(make_incident())
            incident = default_incident[0]
        fields.setdefault("priority", "P1")
        item = services.action_item_add(user=None, incident=incident, title=title, **fields)
        if "due_on" not in fields:
            ActionItem.objects.filter(pk=item.pk).update(due_on=item.policy_due_on)
        update: dict[str, Any] = {"created_at": at(created)}
        if closed is not None:
            update["completed_at"] = at(closed)
        ActionItem.objects.filter(pk=item.pk).update(**update)
        return ActionItem.objects.select_related("incident").get(pk=item.pk)

    return make
