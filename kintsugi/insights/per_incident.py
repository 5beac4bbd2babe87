"""The Insights figures from the per-incident facts, for a service filter, which the
per-month sums do not know (they would count an incident once per service).

Access: the facts are per incident, so each query leaves out the restricted incidents the
reader may not see (``access.hidden_incidents``, read once per page: a short list, as few
incidents are restricted); an aggregate never counts an incident its reader could not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from kintsugi.accounts.models import User
from kintsugi.core.insights.figures import DURATIONS, summarise
from kintsugi.core.insights.months import month_key
from kintsugi.insights import facts as facts_module
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.models import (
    FactCategory,
    FactLog,
    FactService,
    IncidentFacts,
    ItemFacts,
    ItemMonth,
)
from kintsugi.insights.report import NO_TEAM, READ_LIMIT, Report, add_count, build_report
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Service, Team


@dataclass
class _Scope:
    """What a page counts: the filters, the hidden incidents, the logged ones."""

    filters: InsightsFilters
    everything_hidden: bool  # signed out
    hidden: list[int]  # restricted incidents the reader may not see
    logged: list[int]  # read live, left out of the stored rows
    live: list[facts_module.Fact]  # logged, visible and passing team, service, severity
    pending: int = 0

    @property
    def first(self) -> int:
        return month_key(self.filters.months.first)

    @property
    def last(self) -> int:
        return month_key(self.filters.months.last)

    @property
    def left_out(self) -> list[int]:
        return [*self.hidden, *self.logged]

    def rows(self, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]
        """``queryset`` (fact rows with ``incident_id``, ``team_key`` and ``severity``)
        filtered by team, severity and service; the hidden and logged incidents are still
        in, for the caller to subtract (``left_out``)."""
        if self.everything_hidden:
            return queryset.none()
        f = self.filters
        if f.team is not None:
            queryset = queryset.filter(team_key=f.team.pk)
        if f.severity:
            queryset = queryset.filter(severity=f.severity)
        if f.service is not None:
            chosen = FactService.objects.filter(service_id=f.service.pk)
            queryset = queryset.filter(incident_id__in=chosen.values("incident_id"))
        return queryset

    def grouped(
        self,
        queryset: QuerySet,  # type: ignore[type-arg]
        group: tuple[str, ...],
        **counts: Any,
    ) -> list[tuple[Any, ...]]:
        """Counts per ``group`` (its first field a month within the range) of the rows the
        reader may see, as (*group, *counts).

        Counted over every row of the range, then the hidden and logged incidents' rows
        counted again and subtracted: "every row but these few hundred incidents" as
        ``NOT IN`` costs a lookup per row; as a subtraction it costs a second, small query
        through the incident index (the range is applied to its few rows here, so that
        the database does not walk the month index instead)."""
        if self.everything_hidden:
            return []
        month = group[0]
        base = self.rows(queryset)
        in_range = base.filter(**{f"{month}__gte": self.first, f"{month}__lte": self.last})
        totals: dict[tuple[Any, ...], list[int]] = {}
        for row in in_range.values_list(*group).annotate(**counts).order_by():
            totals[row[: len(group)]] = list(row[len(group) :])
        if self.left_out:
            minus = base.filter(incident_id__in=self.left_out)
            for row in minus.values_list(*group).annotate(**counts).order_by():
                key = row[: len(group)]
                if key[0] is None or not self.first <= key[0] <= self.last:
                    continue
                kept = totals[key]
                for i, value in enumerate(row[len(group) :]):
                    kept[i] -= value
        return [(*key, *values) for key, values in totals.items() if any(values)]

    def counted(self, queryset: QuerySet) -> int:  # type: ignore[type-arg]
        if self.everything_hidden:
            return 0
        base = self.rows(queryset)
        left_out = base.filter(incident_id__in=self.left_out).count() if self.left_out else 0
        return base.count() - left_out

    def live_in_range(self) -> list[facts_module.Fact]:
        return [fact for fact in self.live if self.first <= fact.month <= self.last]


def _hidden(user: User | None) -> tuple[bool, list[int]]:
    if user is None:  # an unknown audience (a mailing list, a Slack channel)
        restricted = Incident.objects.filter(is_restricted=True)
        return False, list(restricted.values_list("pk", flat=True))
    if not access.is_signed_in(user):
        return True, []
    if access.is_admin(user):
        return False, []
    return False, list(access.hidden_incidents(user).values_list("pk", flat=True))


def _scope(user: User | None, filters: InsightsFilters) -> _Scope:
    everything_hidden, hidden = _hidden(user)
    scope = _Scope(filters, everything_hidden, hidden, [], [])
    logged = list(
        FactLog.objects.values_list("incident_id", flat=True).distinct()[: READ_LIMIT + 1]
    )
    if len(logged) > READ_LIMIT:
        scope.pending = FactLog.objects.values("incident_id").distinct().count()
        return scope
    if not logged or everything_hidden:
        return scope
    scope.logged = logged
    unseen = set(hidden)
    scope.live = [
        f
        for f in facts_module.compute(logged).values()
        if f.incident_id not in unseen
        and (filters.team is None or f.team_key == filters.team.pk)
        and (not filters.severity or f.severity == filters.severity)
        and (filters.service is None or filters.service.pk in f.services)
    ]
    return scope


def _item_months(
    scope: _Scope,
    items: QuerySet[ItemFacts],
    closed: dict[int, int],
) -> tuple[dict[int, int], dict[int, int], int]:
    """Items created and closed per month of the range, and open before it.

    From the per-month sums (``ItemMonth``) minus the hidden and logged incidents' items;
    with a service filter, which those sums cannot answer, from the items of that
    service's incidents (``closed`` already holds those, counted with the completion)."""
    if scope.everything_hidden:
        return {}, {}, 0
    f = scope.filters
    if f.service is not None:
        opened = dict(scope.grouped(items, ("opened_month",), n=Count("*")))
        open_before = scope.counted(
            items.filter(
                Q(closed_month__isnull=True) | Q(closed_month__gte=scope.first),
                opened_month__lt=scope.first,
            )
        )
        return opened, closed, open_before
    sums = ItemMonth.objects.filter(month__lte=scope.last)
    if f.team is not None:
        sums = sums.filter(team_key=f.team.pk)
    if f.severity:
        sums = sums.filter(severity=f.severity)
    opened: dict[int, int] = {}
    closed = {}
    open_before = 0
    for month, n_opened, n_closed in (
        sums.values_list("month").annotate(o=Sum("opened"), c=Sum("closed")).order_by()
    ):
        if month < scope.first:
            open_before += n_opened - n_closed
        else:
            opened[month], closed[month] = n_opened, n_closed
    if scope.left_out:
        minus = scope.rows(items).filter(incident_id__in=scope.left_out)
        for opened_month, closed_month, n in (
            minus.values_list("opened_month", "closed_month").annotate(n=Count("*")).order_by()
        ):
            if opened_month < scope.first:
                if closed_month is None or closed_month >= scope.first:
                    open_before -= n
            elif opened_month <= scope.last:
                opened[opened_month] = opened.get(opened_month, 0) - n
            if closed_month is not None and scope.first <= closed_month <= scope.last:
                closed[closed_month] = closed.get(closed_month, 0) - n
    return opened, closed, open_before


def per_incident(user: User | None, filters: InsightsFilters) -> Report:
    """The figures from the per-incident facts: with a service filter, which the
    per-month sums do not know (they would multiply by the number of services)."""
    scope = _scope(user, filters)
    counts = _Counts(
        team_names=dict(Team.objects.values_list("pk", "name")),
        service_names=dict(Service.objects.values_list("pk", "name")),
    )
    counts.read_incidents(scope)
    counts.times = _stored_times(scope)
    counts.read_items(scope)
    counts.add_live(scope)
    return build_report(
        filters,
        counts.severity,
        counts.teams,
        counts.services,
        {name: {m: summarise(v) for m, v in counts.times[name].items()} for name in DURATIONS},
        counts.categories,
        counts.completion,
        (counts.open_before, counts.opened, counts.closed),
        counts.cost,
        scope.pending,
    )


def _stored_times(scope: _Scope) -> dict[str, dict[int, list[float]]]:
    """Four integers per incident of the range, in the month index's order: grouped by
    month and split into columns in C (zip), not value by value in Python. The hidden
    and logged incidents' values are read apart (through the primary key) and removed,
    as the counts subtract them: ``NOT IN`` would cost a check per row."""
    times: dict[str, dict[int, list[float]]] = {name: {} for name in DURATIONS}
    if scope.everything_hidden:
        return times
    stored = scope.rows(IncidentFacts.objects.filter(month__gte=scope.first, month__lte=scope.last))
    rows = stored.values_list("month", *DURATIONS).order_by("month")
    for month, group in groupby(rows, key=itemgetter(0)):
        columns = list(zip(*group, strict=True))
        for name, column in zip(DURATIONS, columns[1:], strict=True):
            values = [value for value in column if value is not None]
            if values:
                times[name][month] = values
    if scope.left_out:
        gone = stored.filter(incident_id__in=scope.left_out)
        for month, *values in gone.values_list("month", *DURATIONS):
            for name, value in zip(DURATIONS, values, strict=True):
                if value is not None:
                    times[name][month].remove(value)
    return times


@dataclass
class _Counts:
    """What each chart counts, from the stored facts, then the logged incidents' live ones."""

    team_names: dict[int, str]
    service_names: dict[int, str]
    severity: dict[tuple[int, str], int] = field(default_factory=dict)
    teams: dict[tuple[int, str], int] = field(default_factory=dict)
    services: dict[tuple[int, str], int] = field(default_factory=dict)
    categories: dict[tuple[int, str], int] = field(default_factory=dict)
    cost: dict[int, tuple[int, int]] = field(default_factory=dict)
    times: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    completion: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    opened: dict[int, int] = field(default_factory=dict)
    closed: dict[int, int] = field(default_factory=dict)
    open_before: int = 0

    def _service(self, service_id: int) -> str:
        return self.service_names.get(service_id, f"Service {service_id}")

    def _incident(self, month: int, severity: str, team_key: int, n: int, debt: int) -> None:
        add_count(self.severity, month, severity, n)
        add_count(self.teams, month, self.team_names.get(team_key, NO_TEAM), n)
        total, with_debt = self.cost.get(month, (0, 0))
        self.cost[month] = (total + n, with_debt + debt)

    def _done(self, priority: str, n: int, measured: int, on_time: int) -> None:
        all_done, all_measured, all_on_time = self.completion.get(priority, (0, 0, 0))
        self.completion[priority] = (all_done + n, all_measured + measured, all_on_time + on_time)

    def read_incidents(self, scope: _Scope) -> None:
        for month, sev, team_key, n, with_debt in scope.grouped(
            IncidentFacts.objects.all(),
            ("month", "severity", "team_key"),
            n=Count("*"),
            debt=Count("incident_id", filter=Q(open_related_items__gt=0)),
        ):
            self._incident(month, sev, team_key, n, with_debt)
        for month, service_id, n in scope.grouped(
            FactService.objects.all(), ("month", "service_id"), n=Count("*")
        ):
            add_count(self.services, month, self._service(service_id), n)
        for month, category, n in scope.grouped(
            FactCategory.objects.all(), ("month", "category"), n=Count("*")
        ):
            add_count(self.categories, month, category, n)

    def read_items(self, scope: _Scope) -> None:
        items = ItemFacts.objects.all()
        closed: dict[int, int] = {}
        for month, priority, done, has_target, on_target, n in scope.grouped(
            items,
            ("closed_month", "priority", "done", "has_target", "on_target"),
            n=Count("*"),
        ):
            closed[month] = closed.get(month, 0) + n
            if done:
                self._done(priority, n, n if has_target else 0, n if on_target else 0)
        self.opened, self.closed, self.open_before = _item_months(scope, items, closed)

    def add_live(self, scope: _Scope) -> None:
        """The logged incidents, as they are now (their stored rows were subtracted)."""
        for fact in scope.live_in_range():
            self._incident(fact.month, fact.severity, fact.team_key, 1, fact.open_related_items > 0)
            for service_id in fact.services:
                add_count(self.services, fact.month, self._service(service_id))
            for name in DURATIONS:
                value = getattr(fact, name)
                if value is not None:
                    self.times[name].setdefault(fact.month, []).append(value)
            for category in fact.categories:
                add_count(self.categories, fact.month, category)
        for item in (item for fact in scope.live for item in fact.items):
            if item.opened_month < scope.first:
                if item.closed_month is None or item.closed_month >= scope.first:
                    self.open_before += 1
            elif item.opened_month <= scope.last:
                self.opened[item.opened_month] = self.opened.get(item.opened_month, 0) + 1
            if item.closed_month and scope.first <= item.closed_month <= scope.last:
                self.closed[item.closed_month] = self.closed.get(item.closed_month, 0) + 1
                if item.done:
                    self._done(item.priority, 1, item.has_target, item.on_target)
