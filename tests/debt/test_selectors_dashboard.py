"""The SQL aggregates of the dashboard give the same numbers as the core's reference code."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kintsugi.core.debt import dashboard as reference
from kintsugi.core.debt.dashboard import GroupBy
from kintsugi.debt.models import TeamDuePolicy
from kintsugi.debt.selectors.dashboard import debt_dashboard
from kintsugi.debt.selectors.filters import DebtFilters, apply_filters, visible_items
from kintsugi.debt.selectors.items import debt_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Service, Team
from tests.debt.conftest import TODAY


@pytest.fixture
def mixed(make_incident, make_item, make_user, team, owner, teammate):
    """Items in every state, across teams, services, owners and severities (seeded)."""
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


def _core_key(group, row):
    """The core groups teams and services by name; the page keys them by slug for links."""
    if row.key is None or group in (GroupBy.OWNER, GroupBy.SEVERITY):
        return row.key
    return row.label


def _reference(user):
    items = apply_filters(visible_items(user), DebtFilters())
    return action_snapshots(items, book=policy_book())


@pytest.mark.parametrize("who", ["admin_user", "teammate", "outsider"])
def test_it_matches_the_core_for_every_breakdown(mixed, request, who):
    user = request.getfixturevalue(who)
    book = policy_book()
    snapshots = _reference(user)
    board = debt_dashboard(visible_items(user), today=TODAY, book=book)
    assert board.total.as_dict() == reference.summarise(snapshots, TODAY).as_dict()
    for group in GroupBy:
        expected = {
            row.key: row.counts.as_dict() for row in reference.counts_by(snapshots, group, TODAY)
        }
        got = {_core_key(group, row): row.counts.as_dict() for row in board.groups[group]}
        assert got == expected, group
        if group is not GroupBy.SEVERITY:
            assert [_core_key(group, r) for r in board.groups[group]] == [
                r.key for r in reference.counts_by(snapshots, group, TODAY)
            ]
    sla = reference.sla_by_team(snapshots, TODAY)
    assert {
        row.label if row.key else None: row.counts.sla for row in board.groups[GroupBy.TEAM]
    } == sla
    assert [(p.week, p.open, p.overdue) for p in board.trend] == [
        (p.week, p.open, p.overdue) for p in reference.weekly_trend(snapshots, TODAY, weeks=12)
    ]
    assert [i.pk for i in board.oldest] == [
        i.id for i in reference.oldest_open(snapshots, TODAY, limit=10)
    ]


def test_it_hides_restricted_items_from_an_outsider(mixed, admin_user, outsider):
    everyone = debt_dashboard(visible_items(admin_user), today=TODAY, book=policy_book())
    limited = debt_dashboard(visible_items(outsider), today=TODAY, book=policy_book())
    restricted = ActionItem.objects.filter(incident__is_restricted=True).count()
    assert restricted > 0
    assert limited.total.total == everyone.total.total - restricted


@pytest.mark.parametrize(
    "filters",
    [
        DebtFilters(team="data"),
        DebtFilters(team="~none"),
        DebtFilters(service="api"),
        DebtFilters(service="~none"),
        DebtFilters(severity="SEV1"),
        DebtFilters(owner="bob"),
        DebtFilters(owner="~none"),
    ],
)
def test_it_filters_like_the_core_drill_down(mixed, admin_user, filters):
    snapshots = _reference(admin_user)
    group, key = {
        "team": (GroupBy.TEAM, {"data": "Data", "~none": None}.get(filters.team)),
        "service": (GroupBy.SERVICE, {"api": "API", "~none": None}.get(filters.service)),
        "severity": (GroupBy.SEVERITY, filters.severity),
        "owner": (GroupBy.OWNER, None if filters.owner == "~none" else filters.owner),
    }[next(n for n in ("team", "service", "severity", "owner") if getattr(filters, n))]
    for state in (
        "overdue",
        "at_risk",
        "no_date",
        "on_track",
        "done_late",
        "done_on_time",
        "wont_do",
    ):
        from kintsugi.core.debt.states import DebtState

        expected = sorted(
            i.id
            for i in reference.drill_down(
                snapshots, TODAY, group=group, key=key, states={DebtState(state)}
            )
        )
        got = sorted(
            debt_items(
                visible_items(admin_user),
                filters.with_(state=state),
                today=TODAY,
                book=policy_book(),
            ).values_list("pk", flat=True)
        )
        assert got == expected, state
