"""The Insights figures for one reader and one set of filters, read without writing.

What is read: the stored facts of the incidents in the range, grouped in the database (a
few rows per month, from indexes that cover each read); the four response times of those
incidents (four integers each: the median and 90th percentile need the values; a month
holds a few hundred incidents, so a year is a few thousand rows read through the month
index); and the facts of the incidents logged since the last fold, computed live
(``facts.compute``) so every write shows at once. Months are integers (202603) in the
facts, so reading thousands of rows converts no dates. The number of queries does not
depend on the data.

Access: the facts are per incident, so each query leaves out the restricted incidents
the reader may not see (``access.hidden_incidents``, read once per page: a short list, as
few incidents are restricted); an aggregate never counts an incident its reader could not
open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from kintsugi.accounts.models import User
from kintsugi.core.insights import charts, histogram
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.figures import DURATIONS, Summary, summarise
from kintsugi.core.insights.histogram import Bin
from kintsugi.core.insights.months import month_from_key, month_key
from kintsugi.insights import facts as facts_module
from kintsugi.insights import sums
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.models import (
    FactCategory,
    FactLog,
    FactService,
    IncidentFacts,
    ItemFacts,
    ItemMonth,
    MonthSum,
)
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Service, Team

# More incidents logged than this since the last fold: the page shows the stored facts
# and says how many changes are still to be folded in, instead of computing them all.
READ_LIMIT = 300
NO_TEAM = "No team"


@dataclass
class Report:
    charts: list[Chart]
    pending: int = 0  # logged incidents not shown yet (more than READ_LIMIT)
    notes: list[str] = field(default_factory=list)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


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


def _add(counts: dict[tuple[int, str], int], month: int, key: str, n: int = 1) -> None:
    counts[month, key] = counts.get((month, key), 0) + n


def _dated(counts: dict[tuple[int, str], int]) -> dict[tuple[date, str], int]:
    return {(month_from_key(month), key): n for (month, key), n in counts.items()}


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


def _per_incident(user: User | None, filters: InsightsFilters) -> Report:
    """The figures from the per-incident facts: with a service filter, which the
    per-month sums do not know (they would multiply by the number of services)."""
    scope = _scope(user, filters)
    in_range = {"month__gte": scope.first, "month__lte": scope.last}

    severity: dict[tuple[int, str], int] = {}
    teams: dict[tuple[int, str], int] = {}
    cost: dict[int, tuple[int, int]] = {}
    team_names = dict(Team.objects.values_list("pk", "name"))
    for month, sev, team_key, n, with_debt in scope.grouped(
        IncidentFacts.objects.all(),
        ("month", "severity", "team_key"),
        n=Count("*"),
        debt=Count("incident_id", filter=Q(open_related_items__gt=0)),
    ):
        _add(severity, month, sev, n)
        _add(teams, month, team_names.get(team_key, NO_TEAM), n)
        total, debt = cost.get(month, (0, 0))
        cost[month] = (total + n, debt + with_debt)

    service_names = dict(Service.objects.values_list("pk", "name"))
    services: dict[tuple[int, str], int] = {}
    for month, service_id, n in scope.grouped(
        FactService.objects.all(), ("month", "service_id"), n=Count("*")
    ):
        _add(services, month, service_names.get(service_id, f"Service {service_id}"), n)

    # Four integers per incident of the range, in the month index's order: grouped by
    # month and split into columns in C (zip), not value by value in Python. The hidden
    # and logged incidents' values are read apart (through the primary key) and removed,
    # as the counts subtract them: ``NOT IN`` would cost a check per row.
    times: dict[str, dict[int, list[float]]] = {name: {} for name in DURATIONS}
    if not scope.everything_hidden:
        stored = scope.rows(IncidentFacts.objects.filter(**in_range))
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

    categories: dict[tuple[int, str], int] = {}
    for month, category, n in scope.grouped(
        FactCategory.objects.all(), ("month", "category"), n=Count("*")
    ):
        _add(categories, month, category, n)

    items = ItemFacts.objects.all()
    completion: dict[str, tuple[int, int, int]] = {}
    closed: dict[int, int] = {}
    for month, priority, done, has_target, on_target, n in scope.grouped(
        items,
        ("closed_month", "priority", "done", "has_target", "on_target"),
        n=Count("*"),
    ):
        closed[month] = closed.get(month, 0) + n
        if done:
            all_done, measured, on_time = completion.get(priority, (0, 0, 0))
            completion[priority] = (
                all_done + n,
                measured + (n if has_target else 0),
                on_time + (n if on_target else 0),
            )
    opened, closed, open_before = _item_months(scope, items, closed)

    for fact in scope.live_in_range():  # the logged incidents, as they are now
        _add(severity, fact.month, fact.severity)
        _add(teams, fact.month, team_names.get(fact.team_key, NO_TEAM))
        total, debt = cost.get(fact.month, (0, 0))
        cost[fact.month] = (total + 1, debt + (fact.open_related_items > 0))
        for service_id in fact.services:
            _add(services, fact.month, service_names.get(service_id, f"Service {service_id}"))
        for name in DURATIONS:
            value = getattr(fact, name)
            if value is not None:
                times[name].setdefault(fact.month, []).append(value)
        for category in fact.categories:
            _add(categories, fact.month, category)
    for item in (item for fact in scope.live for item in fact.items):
        if item.opened_month < scope.first:
            if item.closed_month is None or item.closed_month >= scope.first:
                open_before += 1
        elif item.opened_month <= scope.last:
            opened[item.opened_month] = opened.get(item.opened_month, 0) + 1
        if item.closed_month and scope.first <= item.closed_month <= scope.last:
            closed[item.closed_month] = closed.get(item.closed_month, 0) + 1
            if item.done:
                n, measured, on_time = completion.get(item.priority, (0, 0, 0))
                completion[item.priority] = (
                    n + 1,
                    measured + item.has_target,
                    on_time + item.on_target,
                )

    return _report(
        filters,
        severity,
        teams,
        services,
        {name: {m: summarise(v) for m, v in times[name].items()} for name in DURATIONS},
        categories,
        completion,
        (open_before, opened, closed),
        cost,
        scope.pending,
    )


def _report(
    filters: InsightsFilters,
    severity: dict[tuple[int, str], int],
    teams: dict[tuple[int, str], int],
    services: dict[tuple[int, str], int],
    times: dict[str, dict[int, Summary]],
    categories: dict[tuple[int, str], int],
    completion: dict[str, tuple[int, int, int]],
    debt: tuple[int, dict[int, int], dict[int, int]],
    cost: dict[int, tuple[int, int]],
    pending: int,
) -> Report:
    open_before, opened, closed = debt
    months = filters.months.months
    report = Report(
        [
            charts.incidents_by_severity(months, _dated(severity)),
            charts.incidents_by_group(
                "incidents-by-team", "Incidents per month by team", "team", months, _dated(teams)
            ),
            charts.incidents_by_group(
                "incidents-by-service",
                "Incidents per month by service (services that recur)",
                "service",
                months,
                _dated(services),
            ),
            *(
                charts.response_time_of(
                    name, months, {month_from_key(m): v for m, v in times[name].items()}
                )
                for name in DURATIONS
            ),
            charts.factor_categories(months, _dated(categories)),
            charts.completion_by_priority(completion),
            charts.open_debt(
                months,
                open_before,
                {month_from_key(m): n for m, n in opened.items()},
                {month_from_key(m): n for m, n in closed.items()},
            ),
            charts.cost_of_debt(months, {month_from_key(m): v for m, v in cost.items()}),
        ],
        pending=pending,
    )
    if pending:
        report.notes.append(
            f"{pending:,} post-mortems changed since the facts were last updated are "
            "counted as they were then; `kintsugi insights fold` brings them up to date."
        )
    return report


def audience(user: User | None) -> Audience:
    """(sees nothing, the restricted incidents seen: ``None`` for all of them)."""
    if user is None:  # an unknown audience (a mailing list, a Slack channel)
        return False, []
    if not access.is_signed_in(user):
        return True, []
    if access.is_admin(user):
        return False, None
    restricted = Incident.objects.filter(is_restricted=True)
    return False, list(access.visible_incidents(user, restricted).values_list("pk", flat=True))


# Sums read, by what they feed: ("severity", month, SEV), ("team", month, team_key) and
# (kind, month, key) at the filters' level -> [incidents, seconds]
_Grouped = dict[tuple[Any, int, Any], list[int]]


Audience = tuple[bool, list[int] | None]


def _from_sums(
    user: User | None, filters: InsightsFilters, known: Audience | None = None
) -> Report:
    """The figures from the per-month sums (``MonthSum``): rows bounded by months x
    groups whatever the number of incidents, restricted incidents added one by one for
    the readers who may see them, and the incidents logged since the fold replaced by
    their facts as they are now (their stored share subtracted).

    Each read is at one roll-up level: the filters' (a team or any, a severity or any),
    and for the two charts by severity and by team, per severity (resp. team) at the
    other filter's level. A few thousand rows for three years of 20,000 incidents."""
    first, last = month_key(filters.months.first), month_key(filters.months.last)
    team_key = sums.ANY_TEAM if filters.team is None else filters.team.pk
    severity_key = filters.severity or sums.ANY_SEVERITY
    nothing, seen = known if known is not None else audience(user)
    grouped: _Grouped = {}
    pending = 0
    if not nothing:
        every = MonthSum.objects.all()
        if seen is not None:
            every = every.filter(Q(audience=0) | Q(audience__in=seen))
        in_range = every.filter(month__gte=first, month__lte=last)
        counted = in_range.filter(kind=sums.INCIDENTS)
        by_severity = counted.filter(team_key=team_key).exclude(severity=sums.ANY_SEVERITY)
        by_team = counted.filter(severity=severity_key, team_key__gte=0)
        if filters.team is not None:
            by_team = by_team.filter(team_key=filters.team.pk)
        if filters.severity:
            by_severity = by_severity.filter(severity=filters.severity)
        level = in_range.filter(team_key=team_key, severity=severity_key)
        before = every.filter(
            team_key=team_key, severity=severity_key, kind__in=sums.DEBT_KINDS, month__lt=first
        )
        reads = [
            ("severity", by_severity.values_list("month", "severity")),
            ("team", by_team.values_list("month", "team_key")),
            (None, level.values_list("kind", "month", "key")),
        ]
        for what, read in reads:
            for *group, n, total in read.annotate(n=Sum("n"), t=Sum("total")).order_by():
                grouped[(what, *group) if what else tuple(group)] = [n, total]  # type: ignore[index]
        # Items opened and closed before the range: month 0.
        for kind, n in before.values_list("kind").annotate(n=Sum("n")).order_by():
            grouped[kind, 0, ""] = [n, 0]
        allowed = None if seen is None else {0, *seen}
        logged = list(
            FactLog.objects.values_list("incident_id", flat=True).distinct()[: READ_LIMIT + 1]
        )
        if len(logged) > READ_LIMIT:
            pending = FactLog.objects.values("incident_id").distinct().count()
        elif logged:

            def wanted(fact: facts_module.Fact) -> bool:
                audience = fact.incident_id if fact.restricted else 0
                return (
                    (allowed is None or audience in allowed)
                    and (filters.team is None or fact.team_key == filters.team.pk)
                    and (not filters.severity or fact.severity == filters.severity)
                )

            delta = sums.shares((f for f in sums.stored(logged) if wanted(f)), -1)
            sums.add_to(delta, (f for f in facts_module.compute(logged).values() if wanted(f)))
            for (month, team, sev, _audience_key, kind, k), share in delta.items():
                keys: list[tuple[Any, int, Any]] = []
                if first <= month <= last and kind == sums.INCIDENTS:
                    if team == team_key and sev != sums.ANY_SEVERITY:
                        keys.append(("severity", month, sev))
                    if sev == severity_key and team >= 0:
                        keys.append(("team", month, team))
                if (team, sev) == (team_key, severity_key):
                    if kind in sums.DEBT_KINDS and month < first:
                        keys.append((kind, 0, ""))
                    elif first <= month <= last:
                        keys.append((kind, month, k))
                for key in keys:
                    kept = grouped.setdefault(key, [0, 0])
                    kept[0] += share.n
                    kept[1] += share.total

    team_names = dict(Team.objects.values_list("pk", "name"))
    service_names = dict(Service.objects.values_list("pk", "name"))
    severity: dict[tuple[int, str], int] = {}
    teams: dict[tuple[int, str], int] = {}
    services: dict[tuple[int, str], int] = {}
    categories: dict[tuple[int, str], int] = {}
    cost: dict[int, tuple[int, int]] = {}
    bins: dict[str, dict[int, list[Bin]]] = {name: {} for name in DURATIONS}
    names = {kind: name for name, kind in sums.TIMES.items()}
    completion: dict[str, tuple[int, int, int]] = {}
    opened: dict[int, int] = {}
    closed: dict[int, int] = {}
    open_before = 0
    for (kind, month, key), (n, total) in grouped.items():
        if not n:
            continue
        if kind == "severity":
            _add(severity, month, key, n)
        elif kind == "team":
            _add(teams, month, team_names.get(key, NO_TEAM), n)
        elif kind == sums.INCIDENTS:
            all_, debt = cost.get(month, (0, 0))
            cost[month] = (all_ + n, debt)
        elif kind == sums.WITH_DEBT:
            all_, debt = cost.get(month, (0, 0))
            cost[month] = (all_, debt + n)
        elif kind == sums.SERVICE:
            name = service_names.get(int(key), f"Service {key}")
            _add(services, month, name, n)
        elif kind == sums.CATEGORY:
            _add(categories, month, key, n)
        elif kind in names:
            bins[names[kind]].setdefault(month, []).append((int(key), n, total))
        elif kind == sums.OPENED:
            if month < first:
                open_before += n
            else:
                opened[month] = opened.get(month, 0) + n
        elif kind == sums.CLOSED:
            if month < first:
                open_before -= n
            else:
                closed[month] = closed.get(month, 0) + n
        elif kind == sums.DONE:
            priority, done, has_target, on_target = sums.read_closed_key(key)
            if done:
                all_done, measured, on_time = completion.get(priority, (0, 0, 0))
                completion[priority] = (
                    all_done + n,
                    measured + (n if has_target else 0),
                    on_time + (n if on_target else 0),
                )
    times = {
        name: {m: histogram.summarise(b) for m, b in by_month.items()}
        for name, by_month in bins.items()
    }
    return _report(
        filters,
        severity,
        teams,
        services,
        times,
        categories,
        completion,
        (open_before, opened, closed),
        cost,
        pending,
    )


def insights_report(
    user: User | None, filters: InsightsFilters, known: Audience | None = None
) -> Report:
    """The figures ``user`` may see; ``None`` is an unknown audience (a mailing list, a
    Slack channel), who sees no restricted incident at all. ``known`` is ``audience(user)``
    when the caller has read it already."""
    if filters.service is not None:
        return _per_incident(user, filters)
    return _from_sums(user, filters, known)
