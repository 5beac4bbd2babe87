"""Reference aggregations for the debt dashboard.

The Django side computes these numbers in SQL for speed; these functions compute the same
numbers from :class:`ActionSnapshot` lists, plainly, so tests can cross-check the SQL on the
same data. Keep them obvious rather than clever: they are the definition.

Grouping keys are the names shown to users; ``None`` is a group of its own ("No team",
"Unassigned", "No service"). An item affecting several services counts once in each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from .items import ActionSnapshot
from .states import DebtState, SlaCompliance, age_in_days, item_state, item_state_on, sla_compliance
from .weeks import IsoWeek


class GroupBy(StrEnum):
    TEAM = "team"
    OWNER = "owner"
    SERVICE = "service"
    SEVERITY = "severity"

    @property
    def none_label(self) -> str:
        return {
            "team": "No team",
            "owner": "Unassigned",
            "service": "No service",
            "severity": "-",
        }[self.value]


def group_keys(item: ActionSnapshot, group: GroupBy) -> tuple[str | None, ...]:
    """The group(s) an item belongs to: one, except for services (one per service)."""
    if group is GroupBy.TEAM:
        return (item.team,)
    if group is GroupBy.OWNER:
        return (item.owner or None,)
    if group is GroupBy.SEVERITY:
        return (item.severity.value,)
    services = tuple(dict.fromkeys(item.services))  # de-duplicated, order kept
    return services or (None,)


@dataclass(frozen=True)
class DebtCounts:
    """How many items are in each state, and the age of the oldest open one."""

    states: Counter[DebtState]
    oldest_open_age_days: int | None

    @property
    def open(self) -> int:
        return sum(self.states[state] for state in DebtState if state.is_open)

    @property
    def overdue(self) -> int:
        return self.states[DebtState.OVERDUE]

    @property
    def at_risk(self) -> int:
        return self.states[DebtState.AT_RISK]

    @property
    def no_date(self) -> int:
        return self.states[DebtState.NO_DATE]

    def as_dict(self) -> dict[str, int | None]:
        counts: dict[str, int | None] = {state.value: self.states[state] for state in DebtState}
        counts["open"] = self.open
        counts["oldest_open_age_days"] = self.oldest_open_age_days
        return counts


def summarise(items: Iterable[ActionSnapshot], today: date) -> DebtCounts:
    states: Counter[DebtState] = Counter()
    oldest: int | None = None
    for item in items:
        state = item_state(item, today)
        states[state] += 1
        if state.is_open:
            age = age_in_days(item.created_at, today)
            oldest = age if oldest is None else max(oldest, age)
    return DebtCounts(states=states, oldest_open_age_days=oldest)


@dataclass(frozen=True)
class GroupRow:
    key: str | None
    label: str
    counts: DebtCounts


def counts_by(items: Iterable[ActionSnapshot], group: GroupBy, today: date) -> list[GroupRow]:
    """Counts per team, owner, service or severity; the worst (most overdue) first."""
    members: dict[str | None, list[ActionSnapshot]] = {}
    for item in items:
        for key in group_keys(item, group):
            members.setdefault(key, []).append(item)
    rows = [
        GroupRow(
            key=key,
            label=key if key is not None else group.none_label,
            counts=summarise(grouped, today),
        )
        for key, grouped in members.items()
    ]
    return worst_first(group, rows)


class _Counted(Protocol):
    @property
    def overdue(self) -> int: ...

    @property
    def at_risk(self) -> int: ...

    @property
    def open(self) -> int: ...


class _Row(Protocol):
    @property
    def key(self) -> str | None: ...

    @property
    def counts(self) -> _Counted: ...


RowT = TypeVar("RowT", bound=_Row)


def worst_first(group: GroupBy, rows: Iterable[RowT]) -> list[RowT]:
    """The order of a breakdown: most overdue, then most at risk, then most open (the
    "none" group after named ones at a tie); severities in their own order, SEV1 first.
    The dashboard's SQL rows are sorted by this too, so both agree by construction."""
    if group is GroupBy.SEVERITY:
        return sorted(rows, key=lambda row: row.key or "~")
    return sorted(
        rows,
        key=lambda row: (
            -row.counts.overdue,
            -row.counts.at_risk,
            -row.counts.open,
            row.key is None,
            row.key or "",
        ),
    )


def drill_down(
    items: Iterable[ActionSnapshot],
    today: date,
    *,
    group: GroupBy | None = None,
    key: str | None = None,
    states: Collection[DebtState] | None = None,
) -> list[ActionSnapshot]:
    """The items behind one number of the dashboard (each number links to its items)."""
    chosen = []
    for item in items:
        if group is not None and key not in group_keys(item, group):
            continue
        if states is not None and item_state(item, today) not in states:
            continue
        chosen.append(item)
    return chosen


def oldest_open(
    items: Iterable[ActionSnapshot], today: date, *, limit: int = 10
) -> list[ActionSnapshot]:
    """The open items that have waited longest (by creation), oldest first."""
    open_items = [item for item in items if item_state(item, today).is_open]
    return sorted(open_items, key=lambda item: (item.created_at, item.id))[:limit]


@dataclass(frozen=True)
class TrendPoint:
    week: IsoWeek
    as_of: date
    open: int
    overdue: int


def weekly_trend(
    items: Sequence[ActionSnapshot], today: date, *, weeks: int = 12
) -> list[TrendPoint]:
    """Open and overdue items at the end of each of the last ``weeks`` ISO weeks.

    Counted at the end of each week's Sunday (today for the current week), from the
    creation, closing and target dates: an item is open on a day if it was created by then
    and not closed by then, and overdue if also past its target date.
    """
    if weeks < 1:
        return []
    current = IsoWeek.of(today)
    chosen = [current]
    while len(chosen) < weeks:
        chosen.append(chosen[-1].previous())
    points = []
    for week in reversed(chosen):
        as_of = min(today, week.sunday)
        states = [item_state_on(item, as_of) for item in items]
        points.append(
            TrendPoint(
                week=week,
                as_of=as_of,
                open=sum(1 for state in states if state is not None and state.is_open),
                overdue=sum(1 for state in states if state == DebtState.OVERDUE),
            )
        )
    return points


def sla_by_team(
    items: Iterable[ActionSnapshot], today: date
) -> dict[str | None, SlaCompliance | None]:
    """SLA compliance per team (``None`` when the team has nothing to measure yet)."""
    teams: dict[str | None, list[ActionSnapshot]] = {}
    for item in items:
        teams.setdefault(item.team, []).append(item)
    return {team: sla_compliance(grouped, today) for team, grouped in teams.items()}
