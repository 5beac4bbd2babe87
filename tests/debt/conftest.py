"""Fixtures for the debt app: a clock stopped in week 2026-W48, and items with chosen dates.

The shared fixtures (tests/conftest.py) give a team "Platform" with a lead (alice), a
teammate (bob), an outsider, a viewer and an admin.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

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


@pytest.fixture
def mixed(make_incident, make_item, make_user, team, owner, teammate):  # noqa: PLR0913
    """Items in every state, across teams, services, owners and severities (seeded)."""
    from kintsugi.debt.models import TeamDuePolicy
    from kintsugi.postmortems.models import ActionItem
    from kintsugi.teams.models import Service, Team

    rng = random.Random(48)
    data = Team.objects.create(name="Data", slug="data")
    TeamDuePolicy.objects.create(team=data, window_p1=7, at_risk_days=5)
    web = Service.objects.create(name="Web", slug="web", team=team)
    api = Service.objects.create(name="API", slug="api", team=team)
    carol = make_user("carol")
    incidents = [
        make_incident("A", date(2026, 9, 1), team, [web], severity="SEV1"),
        make_incident("B", date(2026, 10, 20), team, [web, api], severity="SEV2"),
        make_incident("C", date(2026, 11, 10), data, [api], severity="SEV3"),
        make_incident("D", date(2026, 11, 20), None, [], severity="SEV2"),
        make_incident("E", date(2026, 8, 1), data, [], restricted=True, severity="SEV1"),
    ]
    for n in range(90):
        incident = rng.choice(incidents)
        start = incident.started_at.date()
        created = start + timedelta(days=rng.randrange(0, 10))
        due = created + timedelta(days=rng.choice([-3, 0, 1, 2, 3, 4, 5, 6, 9, 30]))
        fields = {
            "priority": rng.choice(["P0", "P1", "P2", "P3"]),
            "owner": rng.choice([owner, teammate, carol, None]),
            "due_on": None if n % 11 == 0 else due,
        }
        status = rng.choice(["open", "in_progress", "done", "done", "wont_do"])
        closed = None
        if status != "open" and status != "in_progress":
            closed = min(TODAY, created + timedelta(days=rng.randrange(0, 40)))
            fields["status_reason"] = "Replaced by the new pool" if status == "wont_do" else ""
        item = make_item(f"Item {n}", incident=incident, created=created, closed=closed, **fields)
        if status != "open":
            ActionItem.objects.filter(pk=item.pk).update(status=status)
        if status == "done" and n % 13 == 0:
            ActionItem.objects.filter(pk=item.pk).update(completed_at=None)  # legacy row
    return incidents
