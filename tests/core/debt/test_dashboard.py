from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.debt.dashboard import (
    GroupBy,
    counts_by,
    drill_down,
    oldest_open,
    sla_by_team,
    summarise,
    weekly_trend,
)
from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.debt.states import DebtState, SlaCompliance
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus, Priority, Severity
from tests.core.debt.helpers import item

TODAY = date(2026, 11, 25)


def _items() -> list[ActionSnapshot]:
    return [
        item(
            title="a",
            team="Platform",
            owner="alice",
            services=("web", "db"),
            due_on=date(2026, 11, 1),
            created_on=date(2026, 10, 1),
        ),
        item(title="b", team="Platform", owner="bob", services=("web",), due_on=date(2026, 11, 26)),
        item(
            title="c", team="Platform", owner=None, services=(), due_on=None, severity=Severity.SEV1
        ),
        item(
            title="d", team="Data", owner="alice", services=("db", "db"), due_on=date(2026, 12, 20)
        ),
        item(
            title="e", team=None, owner="carol", due_on=date(2026, 11, 20), severity=Severity.SEV2
        ),
        item(title="f", team="Data", status=ActionStatus.DONE, closed_on=date(2026, 11, 10)),
        item(title="g", team="Data", status=ActionStatus.WONT_DO, status_reason="moot"),
    ]


def test_it_summarises_every_state() -> None:
    counts = summarise(_items(), TODAY)
    assert counts.as_dict() == {
        "overdue": 2,
        "at_risk": 1,
        "no_date": 1,
        "on_track": 1,
        "done_on_time": 1,
        "done_late": 0,
        "wont_do": 1,
        "open": 5,
        "oldest_open_age_days": 55,
    }
    assert summarise([], TODAY).oldest_open_age_days is None


def test_it_counts_by_team_worst_first_with_a_no_team_group() -> None:
    rows = counts_by(_items(), GroupBy.TEAM, TODAY)
    assert [
        (row.label, row.counts.open, row.counts.overdue, row.counts.at_risk) for row in rows
    ] == [
        ("Platform", 3, 1, 1),
        ("No team", 1, 1, 0),
        ("Data", 1, 0, 0),
    ]


def test_it_counts_by_owner_with_unassigned() -> None:
    rows = {row.label: row.counts.open for row in counts_by(_items(), GroupBy.OWNER, TODAY)}
    assert rows == {"alice": 2, "bob": 1, "carol": 1, "Unassigned": 1}


def test_it_counts_an_item_once_in_each_of_its_services() -> None:
    rows = {row.label: row.counts.open for row in counts_by(_items(), GroupBy.SERVICE, TODAY)}
    assert rows == {"web": 2, "db": 2, "No service": 2}


def test_it_counts_by_severity_in_severity_order() -> None:
    rows = counts_by(_items(), GroupBy.SEVERITY, TODAY)
    assert [(row.key, row.counts.open) for row in rows] == [("SEV1", 1), ("SEV2", 1), ("SEV3", 3)]


def test_it_drills_down_to_the_items_behind_each_number() -> None:
    items = _items()
    for group in GroupBy:
        for row in counts_by(items, group, TODAY):
            for state in DebtState:
                behind = drill_down(items, TODAY, group=group, key=row.key, states={state})
                assert len(behind) == row.counts.states[state]
    assert [i.title for i in drill_down(items, TODAY, states={DebtState.OVERDUE})] == ["a", "e"]


def test_it_lists_the_oldest_open_items() -> None:
    items = _items()
    assert [i.title for i in oldest_open(items, TODAY, limit=2)] == ["a", "b"]
    assert len(oldest_open(items, TODAY)) == 5


def test_it_gives_sla_per_team() -> None:
    items = [
        item(team="Platform", status=ActionStatus.DONE, closed_on=date(2026, 11, 10)),
        item(team="Platform"),  # policy date 2026-11-16 passed: missed
        item(team="Data", priority=Priority.P3),
    ]
    assert sla_by_team(items, TODAY) == {"Platform": SlaCompliance(met=1, measured=2), "Data": None}


def test_it_draws_the_weekly_trend_across_week_53() -> None:
    items = [
        item(created_on=date(2026, 12, 14), due_on=date(2026, 12, 22)),
        item(created_on=date(2026, 12, 21), due_on=date(2027, 1, 10)),
        item(
            created_on=date(2026, 12, 15),
            due_on=date(2026, 12, 30),
            status=ActionStatus.DONE,
            closed_on=date(2027, 1, 2),
        ),
    ]
    trend = weekly_trend(items, date(2027, 1, 6), weeks=4)
    assert [str(point.week) for point in trend] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert [point.as_of for point in trend] == [
        date(2026, 12, 20),
        date(2026, 12, 27),
        date(2027, 1, 3),
        date(2027, 1, 6),
    ]
    assert [(point.open, point.overdue) for point in trend] == [(2, 0), (3, 1), (2, 1), (2, 1)]
    assert weekly_trend(items, TODAY, weeks=0) == []


ITEM = st.builds(
    lambda created, due, closed, status: item(
        created_on=created,
        due_on=due,
        status=status,
        closed_on=max(created, closed) if status.is_closed else None,
        status_reason="r",
    ),
    created=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    due=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 3, 1))),
    closed=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    status=st.sampled_from(list(ActionStatus)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ITEM, max_size=25), st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_it_ends_the_trend_on_todays_counts(items: list[ActionSnapshot], today: date) -> None:
    """The trend (rebuilt from dates) and the state counts agree on what is known today."""
    known = [i for i in items if i.created_on <= today and (i.closed_on or today) <= today]
    current = weekly_trend(known, today, weeks=3)[-1]
    counts = summarise(known, today)
    assert current.week == IsoWeek.of(today)
    assert (current.open, current.overdue) == (counts.open, counts.overdue)
