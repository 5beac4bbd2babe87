"""The Insights figures from the per-month sums (``MonthSum``), for every filter but a
service: rows bounded by months x groups whatever the number of incidents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet, Sum

from kintsugi.accounts.models import User
from kintsugi.core.insights import histogram
from kintsugi.core.insights.figures import DURATIONS
from kintsugi.core.insights.histogram import Bin
from kintsugi.core.insights.months import month_key
from kintsugi.django_internals import compiled_sql
from kintsugi.insights import facts as facts_module
from kintsugi.insights import sums
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.models import (
    FactLog,
    MonthSum,
)
from kintsugi.insights.report import (
    NO_TEAM,
    READ_LIMIT,
    Audience,
    Report,
    add_count,
    audience,
    build_report,
)
from kintsugi.teams.models import Service, Team

# Sums read, by what they feed: ("severity", month, SEV), ("team", month, team_key) and
# (kind, month, key) at the filters' level -> [incidents, seconds]
_Key = tuple[Any, int, Any]
_Grouped = dict[_Key, list[int]]


@dataclass(frozen=True)
class _Level:
    """The range and the roll-up level the filters read at (a team or any, a severity or
    any)."""

    first: int
    last: int
    team_key: int
    severity_key: str

    @classmethod
    def of(cls, filters: InsightsFilters) -> _Level:
        return cls(
            month_key(filters.months.first),
            month_key(filters.months.last),
            sums.ANY_TEAM if filters.team is None else filters.team.pk,
            filters.severity or sums.ANY_SEVERITY,
        )

    def keys(self, month: int, team: int, sev: str, kind: str, key: Any) -> list[_Key]:
        """Where one sum row's share goes in ``_Grouped`` (nowhere, once or twice)."""
        keys: list[_Key] = []
        in_range = self.first <= month <= self.last
        if in_range and kind == sums.INCIDENTS:
            if team == self.team_key and sev != sums.ANY_SEVERITY:
                keys.append(("severity", month, sev))
            if sev == self.severity_key and team >= 0:
                keys.append(("team", month, team))
        if (team, sev) == (self.team_key, self.severity_key):
            if kind in sums.DEBT_KINDS and month < self.first:
                keys.append((kind, 0, ""))
            elif in_range:
                keys.append((kind, month, key))
        return keys


def from_sums(user: User | None, filters: InsightsFilters, known: Audience | None = None) -> Report:
    """The figures from the per-month sums (``MonthSum``): rows bounded by months x
    groups whatever the number of incidents, restricted incidents added one by one for
    the readers who may see them, and the incidents logged since the fold replaced by
    their facts as they are now (their stored share subtracted).

    Each read is at one roll-up level: the filters' (a team or any, a severity or any),
    and for the two charts by severity and by team, per severity (resp. team) at the
    other filter's level. A few thousand rows for three years of 20,000 incidents."""
    level = _Level.of(filters)
    nothing, seen = known if known is not None else audience(user)
    grouped: _Grouped = {}
    pending = 0
    if not nothing:
        grouped = _read_sums(level, filters, seen)
        pending = _add_logged(grouped, level, filters, seen)
    tally = _Tally(level.first)
    tally.add_all(grouped)
    return tally.report(filters, pending)


def _read_sums(level: _Level, filters: InsightsFilters, seen: list[int] | None) -> _Grouped:
    every = MonthSum.objects.all()
    if seen is not None:
        every = every.filter(Q(audience=0) | Q(audience__in=seen))
    in_range = every.filter(month__gte=level.first, month__lte=level.last)
    counted = in_range.filter(kind=sums.INCIDENTS)
    by_severity = counted.filter(team_key=level.team_key).exclude(severity=sums.ANY_SEVERITY)
    by_team = counted.filter(severity=level.severity_key, team_key__gte=0)
    if filters.team is not None:
        by_team = by_team.filter(team_key=filters.team.pk)
    if filters.severity:
        by_severity = by_severity.filter(severity=filters.severity)
    at_level = in_range.filter(team_key=level.team_key, severity=level.severity_key)
    before = every.filter(
        team_key=level.team_key,
        severity=level.severity_key,
        kind__in=sums.DEBT_KINDS,
        month__lt=level.first,
    )
    reads = [
        ("severity", by_severity.values_list("month", "severity")),
        ("team", by_team.values_list("month", "team_key")),
        (None, at_level.values_list("kind", "month", "key")),
    ]
    grouped: _Grouped = {}
    for what, read in reads:
        for *group, n, total in _rows(read.annotate(n=Sum("n"), t=Sum("total")).order_by()):
            key = (what, *group) if what else tuple(group)
            grouped[key] = [int(n), int(total)]  # type: ignore[index]
    # Items opened and closed before the range: month 0.
    for kind, n in _rows(before.values_list("kind").annotate(n=Sum("n")).order_by()):
        grouped[kind, 0, ""] = [int(n), 0]
    return grouped


def _rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a grouped read as the database gives them: integers and strings, which
    need none of the ORM's per-value converters (a few thousand rows for three years: a
    tenth of the page's time went to them). Read where the ORM would read (a replica)."""
    sql, params = compiled_sql(queryset)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add_logged(
    grouped: _Grouped, level: _Level, filters: InsightsFilters, seen: list[int] | None
) -> int:
    """Replace the stored share of the incidents logged since the fold by their share as
    they are now; returns how many changes wait (more than ``READ_LIMIT``: none replaced)."""
    logged = list(
        FactLog.objects.values_list("incident_id", flat=True).distinct()[: READ_LIMIT + 1]
    )
    if len(logged) > READ_LIMIT:
        return FactLog.objects.values("incident_id").distinct().count()
    if not logged:
        return 0
    allowed = None if seen is None else {0, *seen}

    def wanted(fact: facts_module.Fact) -> bool:
        audience = fact.incident_id if fact.restricted else 0
        return (
            (allowed is None or audience in allowed)
            and (filters.team is None or fact.team_key == filters.team.pk)
            and (not filters.severity or fact.severity == filters.severity)
        )

    delta = sums.shares((f for f in sums.stored(logged) if wanted(f)), -1)
    sums.add_to(delta, (f for f in facts_module.compute(logged).values() if wanted(f)))
    for (month, team, sev, _audience_key, kind, key), share in delta.items():
        for where in level.keys(month, team, sev, kind, key):
            kept = grouped.setdefault(where, [0, 0])
            kept[0] += share.n
            kept[1] += share.total
    return 0


_TIME_NAMES = {kind: name for name, kind in sums.TIMES.items()}


@dataclass
class _Tally:
    """The grouped sums sorted into what each chart counts."""

    first: int
    team_names: dict[int, str] = field(default_factory=dict)
    service_names: dict[int, str] = field(default_factory=dict)
    severity: dict[tuple[int, str], int] = field(default_factory=dict)
    teams: dict[tuple[int, str], int] = field(default_factory=dict)
    services: dict[tuple[int, str], int] = field(default_factory=dict)
    categories: dict[tuple[int, str], int] = field(default_factory=dict)
    cost: dict[int, tuple[int, int]] = field(default_factory=dict)
    bins: dict[str, dict[int, list[Bin]]] = field(
        default_factory=lambda: {name: {} for name in DURATIONS}
    )
    completion: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    opened: dict[int, int] = field(default_factory=dict)
    closed: dict[int, int] = field(default_factory=dict)
    open_before: int = 0

    def add_all(self, grouped: _Grouped) -> None:
        self.team_names = dict(Team.objects.values_list("pk", "name"))
        self.service_names = dict(Service.objects.values_list("pk", "name"))
        for (kind, month, key), (n, total) in grouped.items():
            if n:
                self.add(kind, month, key, n, total)

    def add(self, kind: str | None, month: int, key: Any, n: int, total: int) -> None:
        if kind == "severity":
            add_count(self.severity, month, key, n)
        elif kind == "team":
            add_count(self.teams, month, self.team_names.get(key, NO_TEAM), n)
        elif kind in (sums.INCIDENTS, sums.WITH_DEBT):
            all_, debt = self.cost.get(month, (0, 0))
            with_debt = kind == sums.WITH_DEBT
            self.cost[month] = (all_ + (0 if with_debt else n), debt + (n if with_debt else 0))
        elif kind == sums.SERVICE:
            name = self.service_names.get(int(key), f"Service {key}")
            add_count(self.services, month, name, n)
        elif kind == sums.CATEGORY:
            add_count(self.categories, month, key, n)
        elif kind in _TIME_NAMES:
            self.bins[_TIME_NAMES[kind]].setdefault(month, []).append((int(key), n, total))
        else:
            self._add_item(kind, month, key, n)

    def _add_item(self, kind: str | None, month: int, key: Any, n: int) -> None:
        if kind == sums.OPENED:
            if month < self.first:
                self.open_before += n
            else:
                self.opened[month] = self.opened.get(month, 0) + n
        elif kind == sums.CLOSED:
            if month < self.first:
                self.open_before -= n
            else:
                self.closed[month] = self.closed.get(month, 0) + n
        elif kind == sums.DONE:
            priority, done, has_target, on_target = sums.read_closed_key(key)
            if done:
                all_done, measured, on_time = self.completion.get(priority, (0, 0, 0))
                self.completion[priority] = (
                    all_done + n,
                    measured + (n if has_target else 0),
                    on_time + (n if on_target else 0),
                )

    def report(self, filters: InsightsFilters, pending: int) -> Report:
        times = {
            name: {m: histogram.summarise(b) for m, b in by_month.items()}
            for name, by_month in self.bins.items()
        }
        return build_report(
            filters,
            self.severity,
            self.teams,
            self.services,
            times,
            self.categories,
            self.completion,
            (self.open_before, self.opened, self.closed),
            self.cost,
            pending,
        )
