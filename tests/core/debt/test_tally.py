"""The tally's sums are the core's definitions: on random items, adding up each item's
contributions gives what ``dashboard``, ``states.sla_compliance`` and ``build_weekly_review``
count from the whole list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.debt.dashboard import GroupBy, counts_by, summarise, weekly_trend
from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.debt.states import age_in_days, sla_compliance
from kintsugi.core.debt.tally import (
    COUNTED,
    OPENED_IN_WEEK,
    ItemFacts,
    Tally,
    TallyDay,
    contributions,
)
from kintsugi.core.debt.weekly_review import SectionKey, build_weekly_review
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus, Priority, Severity

TODAY = date(2026, 11, 25)  # a Wednesday
THRESHOLDS = {0: 3, 1: 0, 2: 5}


def _moment(days: int, hour: int) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), datetime.min.time(), tzinfo=UTC) + (
        timedelta(hours=hour)
    )


@st.composite
def item_facts(draw: st.DrawFn, item_id: int) -> ItemFacts:
    status = draw(st.sampled_from(["open", "in_progress", "done", "wont_do"]))
    created = draw(st.integers(-120, 1))
    closed = (
        draw(st.one_of(st.none(), st.integers(created, 2)))
        if status in ("done", "wont_do")
        else None
    )
    due = draw(st.one_of(st.none(), st.integers(-60, 40)))
    incident = draw(st.integers(1, 6))
    return ItemFacts(
        item_id=item_id,
        incident_id=incident,
        team_key=incident % 3,
        restricted=False,
        owner_id=draw(st.sampled_from([None, 7, 8])),
        severity=draw(st.sampled_from(["SEV1", "SEV2", "SEV3"])),
        services=draw(st.sampled_from([(), (1,), (1, 2), (2, 2)])),
        status=status,
        priority=draw(st.sampled_from(["P0", "P1", "P2", "P3"])),
        due_on=None if due is None else TODAY + timedelta(days=due),
        policy_due_on=TODAY + timedelta(days=draw(st.integers(-60, 40))),
        created_at=_moment(created, draw(st.integers(0, 23))),
        completed_at=None if closed is None else _moment(closed, draw(st.integers(0, 23))),
        has_ticket=draw(st.booleans()),
    )


ITEMS = st.integers(0, 40).flatmap(
    lambda n: st.tuples(*(item_facts(i) for i in range(n))) if n else st.just(())
)


def _snapshot(item: ItemFacts) -> ActionSnapshot:
    return ActionSnapshot(
        id=item.item_id,
        title="t",
        priority=Priority(item.priority),
        status=ActionStatus(item.status),
        created_at=item.created_at,
        policy_due_on=item.policy_due_on,
        incident_id=item.incident_id,
        due_on=item.due_on,
        closed_at=item.completed_at,
        owner=None if item.owner_id is None else str(item.owner_id),
        ticket_id="T" if item.has_ticket else "",
        severity=Severity(item.severity),
        team=str(item.team_key),
        services=tuple(str(s) for s in item.services),
        at_risk_days=THRESHOLDS[item.team_key],
    )


def _cells(items: tuple[ItemFacts, ...], dimension: str) -> dict[str, dict[str, object]]:
    """One dimension's cells, every team's added up (as the dashboard does for everyone)."""
    tally = Tally().count(items, TallyDay.of(TODAY), THRESHOLDS.__getitem__)
    found: dict[str, dict[str, object]] = {}
    for (_team, _scope, dim, key), cell in tally.cells.items():
        if dim != dimension:
            continue
        into = found.setdefault(key, {**dict.fromkeys(COUNTED, 0), "oldest": None})
        for name, value in zip(COUNTED, cell.values, strict=True):
            into[name] += value
        if cell.oldest_open is not None and (
            into["oldest"] is None or cell.oldest_open < into["oldest"]
        ):
            into["oldest"] = cell.oldest_open
    return found


def _as_core(cell: dict[str, object]) -> dict[str, object]:
    oldest = cell["oldest"]
    return {
        "overdue": cell["overdue"],
        "at_risk": cell["at_risk"],
        "no_date": cell["no_date"],
        "on_track": cell["open"] - cell["overdue"] - cell["at_risk"] - cell["no_date"],
        "done_on_time": cell["done"] - cell["done_late"],
        "done_late": cell["done_late"],
        "wont_do": cell["wont_do"],
        "open": cell["open"],
        "oldest_open_age_days": None if oldest is None else age_in_days(oldest, TODAY),
    }


@settings(max_examples=150, deadline=None)
@given(items=ITEMS)
def test_the_breakdowns_are_the_cores(items):
    snapshots = [_snapshot(item) for item in items]
    for group, dimension in (
        (GroupBy.TEAM, "all"),
        (GroupBy.OWNER, "owner"),
        (GroupBy.SEVERITY, "severity"),
        (GroupBy.SERVICE, "service"),
    ):
        core = {row.key or "": row.counts.as_dict() for row in counts_by(snapshots, group, TODAY)}
        ours = {key: _as_core(cell) for key, cell in _cells(items, dimension).items()}
        assert ours == core, group


@settings(max_examples=150, deadline=None)
@given(items=ITEMS)
def test_the_sla_and_the_totals_are_the_cores(items):
    snapshots = [_snapshot(item) for item in items]
    teams = _cells(items, "all")
    for key, cell in teams.items():
        mine = [s for s in snapshots if s.team == key]
        sla = sla_compliance(mine, TODAY)
        measured = cell["sla_measured"]
        expected = (sla.met, sla.measured) if sla else (0, 0)
        assert expected == (cell["sla_met"], measured)
        assert _as_core(cell) == summarise(mine, TODAY).as_dict()


@settings(max_examples=150, deadline=None)
@given(items=ITEMS)
def test_the_trend_is_the_cores(items):
    snapshots = [_snapshot(item) for item in items]
    cells = _cells(items, "trend")
    points = weekly_trend(snapshots, TODAY, weeks=12)
    ours = [
        (cells.get(str(i), {}).get("open", 0), cells.get(str(i), {}).get("overdue", 0))
        for i in range(12)
    ]
    assert ours == [(p.open, p.overdue) for p in points]


@settings(max_examples=150, deadline=None)
@given(items=ITEMS)
def test_this_weeks_review_is_the_cores(items):
    snapshots = [_snapshot(item) for item in items]
    cells = _cells(items, "review")
    for team in ("0", "1", "2"):
        mine = [s for s in snapshots if s.team == team]
        agenda = build_weekly_review(mine, week=IsoWeek.of(TODAY), today=TODAY)
        tally = Tally().count(
            [i for i in items if str(i.team_key) == team],
            TallyDay.of(TODAY),
            THRESHOLDS.__getitem__,
        )
        ours = {
            key: cell.values[0]
            for (_t, _s, dim, key), cell in tally.cells.items()
            if dim == "review"
        }
        for section in agenda.sections:
            assert ours.get(section.key.value, 0) == len(section.entries), section.key
        assert ours.get(OPENED_IN_WEEK, 0) == agenda.opened_count
    assert set(cells) <= {*(k.value for k in SectionKey), OPENED_IN_WEEK}


@settings(max_examples=100, deadline=None)
@given(items=ITEMS)
def test_counting_is_adding_each_contribution(items):
    day = TallyDay.of(TODAY)
    fast = Tally().count(items, day, THRESHOLDS.__getitem__)
    plain = Tally()
    for item in items:
        for key, values, oldest in contributions(item, day, THRESHOLDS[item.team_key]):
            plain.add(key, values, oldest)
    assert fast.cells == plain.cells
