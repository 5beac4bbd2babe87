"""The SQL aggregates of the dashboard give the same numbers as the core's reference code."""

from __future__ import annotations

import pytest

from kintsugi.core.debt import dashboard as reference
from kintsugi.core.debt.dashboard import GroupBy
from kintsugi.debt.selectors.dashboard import debt_dashboard
from kintsugi.debt.selectors.filters import DebtFilters, apply_filters, visible_items
from kintsugi.debt.selectors.items import debt_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.postmortems.models import ActionItem
from tests.debt.conftest import TODAY


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
