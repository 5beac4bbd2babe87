"""The dashboard's numbers as a sum of what each action item contributes, on one day.

Why a sum: a stored sum can be corrected without recounting everything. The Django side
keeps each team's sums as of the last time the worker counted them, together with the
facts each item had then; a page adds what the items written since contribute now and
subtracts what they contributed then. So a page reads a few hundred stored rows and a
handful of items, never writes, and never waits for a recount.

The rules are those of ``states`` and ``weekly_review`` (the definition): one item's state on
``today``, its SLA standing, the trend points it is open or overdue on, and the section of
this week's review it falls in. ``tests/core/debt/test_tally.py`` checks the sums against
``dashboard.summarise``/``weekly_trend`` and the agenda on random items.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from ..vocabulary import ActionStatus
from .states import DebtState, action_state
from .weekly_review import SectionKey
from .weeks import IsoWeek

TREND_WEEKS = 12
# The review's "opened this week": every item created in the week, whatever its section.
OPENED_IN_WEEK = "created_in_week"
# The counted values of one cell, in the order of ``Cell.values``; also the columns the
# live aggregate sums (``kintsugi/debt/selectors/dashboard.py``) and the tally stores.
COUNTED = (
    "open",
    "overdue",
    "at_risk",
    "no_date",
    "done",
    "done_late",
    "wont_do",
    "sla_measured",
    "sla_met",
)
_ZERO = (0,) * len(COUNTED)
OPEN_STATUSES = frozenset({"open", "in_progress"})
HIGH_PRIORITIES = frozenset({"P0", "P1"})


@dataclass(frozen=True)
class ItemFacts:
    """What the numbers need to know about one action item and its incident."""

    item_id: int
    incident_id: int
    team_key: int  # 0: the incident has no team
    restricted: bool
    owner_id: int | None
    severity: str
    services: tuple[int, ...]
    status: str
    priority: str
    due_on: date | None
    policy_due_on: date | None
    created_at: datetime
    completed_at: datetime | None
    has_ticket: bool

    @property
    def scope(self) -> int | None:
        """Items of a restricted incident are kept apart, so that only people who may see
        the incident have them counted."""
        return self.incident_id if self.restricted else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass(frozen=True)
class TallyDay:
    """The day the numbers are for, with the instants every item is compared with."""

    today: date
    trend_as_of: tuple[date, ...]
    trend_ends: tuple[datetime, ...]
    week_start: datetime
    week_end: datetime

    @classmethod
    def of(cls, today: date, weeks: int = TREND_WEEKS) -> TallyDay:
        chosen = [IsoWeek.of(today)]
        while len(chosen) < weeks:
            chosen.append(chosen[-1].previous())
        as_of = tuple(min(today, week.sunday) for week in reversed(chosen))
        return cls(
            today=today,
            trend_as_of=as_of,
            trend_ends=tuple(_midnight(day + timedelta(days=1)) for day in as_of),
            week_start=_midnight(IsoWeek.of(today).monday),
            week_end=_midnight(today + timedelta(days=1)),
        )


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def state_values(facts: ItemFacts, today: date, at_risk_days: int) -> tuple[int, ...]:
    """The item's share of one dashboard row (``COUNTED``), from the core's states."""
    # A stored status string is its StrEnum member's value: equal and hashed the same.
    status = cast(ActionStatus, facts.status)
    state = action_state(status, facts.due_on, facts.completed_at, today, at_risk_days)
    asked = facts.policy_due_on or facts.due_on
    high = facts.priority in HIGH_PRIORITIES
    done = facts.status == "done"
    measured = high and (done or (state.is_open and asked is not None and asked < today))
    met = (
        high
        and done
        and (facts.completed_at is None or asked is None or _utc_day(facts.completed_at) <= asked)
    )
    return (
        int(state.is_open),
        int(state is DebtState.OVERDUE),
        int(state is DebtState.AT_RISK),
        int(state is DebtState.NO_DATE),
        int(done),
        int(state is DebtState.DONE_LATE),
        int(state is DebtState.WONT_DO),
        int(measured),
        int(met),
    )


def trend_flags(facts: ItemFacts, day: TallyDay) -> Iterator[tuple[int, bool]]:
    """``(point, overdue)`` for every trend point the item is open on (the end of each
    week's Sunday, today for this week), as ``dashboard.weekly_trend`` counts it."""
    never = len(day.trend_ends)
    created = bisect_right(day.trend_ends, facts.created_at)
    if created >= never:
        return
    if facts.is_open:
        closed = never
    else:
        # A closed item without a closing time closed on its creation day.
        closed = bisect_right(day.trend_ends, facts.completed_at or facts.created_at)
    due = never if facts.due_on is None else bisect_right(day.trend_as_of, facts.due_on)
    late_from = max(created, due)
    for point in range(created, min(closed, never)):
        yield point, point >= late_from


def review_keys(facts: ItemFacts, day: TallyDay, at_risk_days: int) -> Iterator[str]:
    """This week's review section the item is listed in (if any), and ``OPENED_IN_WEEK``
    when it was created this week: ``weekly_review._section_for`` as of today."""
    today, start, end = day.today, day.week_start, day.week_end
    existed = facts.created_at < end
    if start <= facts.created_at < end:
        yield OPENED_IN_WEEK
    if not existed:
        return
    closed_later = facts.completed_at is not None and facts.completed_at >= end
    if facts.is_open or closed_later:
        due = facts.due_on
        if due is not None and due < today:
            yield SectionKey.OVERDUE.value
        elif due is not None and (due - today).days <= at_risk_days:
            yield SectionKey.AT_RISK.value
        elif facts.owner_id is None or not facts.has_ticket or due is None:
            yield SectionKey.MISSING.value
        elif facts.created_at >= start:
            yield SectionKey.OPENED.value
        return
    if facts.completed_at is None:
        if facts.created_at >= start:
            yield SectionKey.COMPLETED.value
    elif start <= facts.completed_at < end:
        yield SectionKey.COMPLETED.value


def _key(value: object) -> str:
    return "" if value is None else str(value)


CellKey = tuple[int, int | None, str, str]  # team, restricted incident, dimension, key


def contributions(
    facts: ItemFacts, day: TallyDay, at_risk_days: int
) -> Iterator[tuple[CellKey, tuple[int, ...], datetime | None]]:
    """Every cell one item adds to: ``(cell, values, oldest open creation time)``.

    Dimensions: ``all`` (key: the team), ``owner``, ``severity``, ``service`` (once per
    service, "" for none), ``trend`` (``open`` and ``overdue`` of one point) and
    ``review`` (the count in ``open``).
    """
    team, scope = facts.team_key, facts.scope
    values = state_values(facts, day.today, at_risk_days)
    oldest = facts.created_at if values[0] else None
    yield (team, scope, "all", str(team)), values, oldest
    yield (team, scope, "owner", _key(facts.owner_id)), values, oldest
    yield (team, scope, "severity", facts.severity), values, oldest
    for service in dict.fromkeys(facts.services) or (None,):
        yield (team, scope, "service", _key(service)), values, oldest
    for point, overdue in trend_flags(facts, day):
        yield (team, scope, "trend", str(point)), (1, int(overdue), *_ZERO[2:]), None
    for key in review_keys(facts, day, at_risk_days):
        yield (team, scope, "review", key), (1, *_ZERO[1:]), None


@dataclass
class Cell:
    values: list[int] = field(default_factory=lambda: [0] * len(COUNTED))
    oldest_open: datetime | None = None

    @property
    def is_empty(self) -> bool:
        """No item at all (every item is open, done or won't do)."""
        return self.values[0] + self.values[4] + self.values[6] == 0


class Tally:
    """Cells being added up."""

    def __init__(self) -> None:
        self.cells: dict[CellKey, Cell] = {}

    def add(self, key: CellKey, values: Iterable[int], oldest: datetime | None) -> None:
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = Cell()
        cell.values = [a + b for a, b in zip(cell.values, values, strict=True)]
        if oldest is not None and (cell.oldest_open is None or oldest < cell.oldest_open):
            cell.oldest_open = oldest

    def count(
        self, items: Iterable[ItemFacts], day: TallyDay, at_risk_days: Callable[[int], int]
    ) -> Tally:
        """Add every item's ``contributions``; ``at_risk_days`` gives a team's threshold.

        The same sums as adding each contribution with ``add``, spelt out for speed (the
        worker counts 200,000 items a day this way): each item's values are computed
        once for its four breakdowns, and only their non-zero places are added.
        """
        cells = self.cells
        for facts in items:
            team, scope = facts.team_key, facts.scope
            values = state_values(facts, day.today, at_risk_days(team))
            places = [(i, value) for i, value in enumerate(values) if value]
            oldest = facts.created_at if values[0] else None
            keys = [
                (team, scope, "all", str(team)),
                (team, scope, "owner", _key(facts.owner_id)),
                (team, scope, "severity", facts.severity),
                *(
                    (team, scope, "service", _key(service))
                    for service in (dict.fromkeys(facts.services) or (None,))
                ),
            ]
            for key in keys:
                cell = cells.get(key)
                if cell is None:
                    cell = cells[key] = Cell()
                counted = cell.values
                for i, value in places:
                    counted[i] += value
                if oldest is not None and (cell.oldest_open is None or oldest < cell.oldest_open):
                    cell.oldest_open = oldest
            for point, overdue in trend_flags(facts, day):
                key = (team, scope, "trend", str(point))
                cell = cells.get(key)
                if cell is None:
                    cell = cells[key] = Cell()
                cell.values[0] += 1
                if overdue:
                    cell.values[1] += 1
            for name in review_keys(facts, day, at_risk_days(team)):
                key = (team, scope, "review", name)
                cell = cells.get(key)
                if cell is None:
                    cell = cells[key] = Cell()
                cell.values[0] += 1
        return self
