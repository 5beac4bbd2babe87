"""The Insights figures for one person and one set of filters, read without writing.

What is read: the stored facts of the incidents in the range (grouped in the database:
a few rows per month), the four response times of those incidents (four integers each:
the median and 90th percentile need the values, and a month holds a few hundred
incidents, so a year is a few thousand integers read through an index on the month), and
the facts of the incidents logged since the last fold, computed live (``facts.compute``)
so every write shows at once. The number of queries does not depend on the data.

Access: the facts are per incident, so each query leaves out the restricted incidents
the person may not see (``access.hidden_incidents``, the same rule as every page); an
aggregate never counts an incident its reader could not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from kintsugi.accounts.models import User
from kintsugi.core.insights import charts
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.figures import DURATIONS
from kintsugi.insights import facts as facts_module
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.models import FactCategory, FactLog, FactService, IncidentFacts, ItemFacts
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
class _Live:
    """The facts of the logged incidents that pass the filters and the person's access."""

    ids: list[int]  # every logged incident (left out of the stored rows)
    matching: list[facts_module.Fact]  # visible and passing team, service and severity
    pending: int = 0

    def in_range(self, filters: InsightsFilters) -> list[facts_module.Fact]:
        return [f for f in self.matching if filters.months.first <= f.month <= filters.months.last]


def _logged(user: User | None, filters: InsightsFilters) -> _Live:
    ids = list(FactLog.objects.values_list("incident_id", flat=True).distinct()[: READ_LIMIT + 1])
    if len(ids) > READ_LIMIT:
        total = FactLog.objects.values("incident_id").distinct().count()
        return _Live([], [], pending=total)
    if not ids:
        return _Live([], [])
    found = facts_module.compute(ids)
    hidden = _hidden_among(user, ids)
    kept = [
        f
        for f in found.values()
        if f.incident_id not in hidden
        and (filters.team is None or f.team_key == filters.team.pk)
        and (not filters.severity or f.severity == filters.severity)
        and (filters.service is None or filters.service.pk in f.services)
    ]
    return _Live(ids, kept)


def _hidden_among(user: User | None, ids: list[int]) -> set[int]:
    if user is None:  # an unknown audience (a mailing list, a Slack channel)
        restricted = Incident.objects.filter(pk__in=ids, is_restricted=True)
        return set(restricted.values_list("pk", flat=True))
    if not access.is_signed_in(user):
        return set(ids)
    if access.is_admin(user):
        return set()
    return set(access.hidden_incidents(user).filter(pk__in=ids).values_list("pk", flat=True))


def _visible(user: User | None, rows: QuerySet, live: _Live) -> QuerySet:  # type: ignore[type-arg]
    if live.ids:
        rows = rows.exclude(incident_id__in=live.ids)
    if user is None:
        return rows.exclude(
            incident_id__in=Incident.objects.filter(is_restricted=True).values("pk")
        )
    if not access.is_signed_in(user):
        return rows.none()
    if access.is_admin(user):
        return rows
    return rows.exclude(incident_id__in=access.hidden_incidents(user).values("pk"))


def _filtered(rows: QuerySet, filters: InsightsFilters) -> QuerySet:  # type: ignore[type-arg]
    if filters.team is not None:
        rows = rows.filter(team_key=filters.team.pk)
    if filters.severity:
        rows = rows.filter(severity=filters.severity)
    if filters.service is not None:
        rows = rows.filter(
            incident_id__in=FactService.objects.filter(service_id=filters.service.pk).values(
                "incident_id"
            )
        )
    return rows


def insights_report(user: User | None, filters: InsightsFilters) -> Report:
    """The figures ``user`` may see; ``None`` is an unknown audience (a mailing list, a
    Slack channel), who sees no restricted incident at all."""
    live = _logged(user, filters)
    months = filters.months
    in_range = {"month__gte": months.first, "month__lte": months.last}
    incidents = _filtered(_visible(user, IncidentFacts.objects.filter(**in_range), live), filters)
    scope = incidents.values("incident_id")

    severity: dict[tuple[date, str], int] = {}
    cost: dict[date, tuple[int, int]] = {}
    for row in (
        incidents.values("month", "severity")
        .annotate(n=Count("pk"), debt=Count("pk", filter=Q(open_related_items__gt=0)))
        .order_by()
    ):
        severity[row["month"], row["severity"]] = row["n"]
        total, with_debt = cost.get(row["month"], (0, 0))
        cost[row["month"]] = (total + row["n"], with_debt + row["debt"])

    team_names = dict(Team.objects.values_list("pk", "name"))
    teams: dict[tuple[date, str], int] = {}
    for row in incidents.values("month", "team_key").annotate(n=Count("pk")).order_by():
        name = team_names.get(row["team_key"], NO_TEAM)
        teams[row["month"], name] = teams.get((row["month"], name), 0) + row["n"]

    service_names = dict(Service.objects.values_list("pk", "name"))
    services: dict[tuple[date, str], int] = {}
    service_rows = FactService.objects.filter(**in_range, incident_id__in=scope)
    for row in service_rows.values("month", "service_id").annotate(n=Count("pk")).order_by():
        name = service_names.get(row["service_id"], f"Service {row['service_id']}")
        services[row["month"], name] = services.get((row["month"], name), 0) + row["n"]

    durations: dict[str, dict[date, list[float]]] = {name: {} for name in DURATIONS}
    for month, *times in incidents.values_list("month", *DURATIONS).order_by():
        for name, value in zip(DURATIONS, times, strict=True):
            if value is not None:
                durations[name].setdefault(month, []).append(float(value))

    categories: dict[tuple[date, str], int] = {}
    category_rows = FactCategory.objects.filter(**in_range, incident_id__in=scope)
    for row in category_rows.values("month", "category").annotate(n=Count("pk")).order_by():
        categories[row["month"], row["category"]] = row["n"]

    items = _filtered(_visible(user, ItemFacts.objects.all(), live), filters)
    completion: dict[str, tuple[int, int, int]] = {}
    done = items.filter(done=True, closed_month__gte=months.first, closed_month__lte=months.last)
    for row in (
        done.values("priority")
        .annotate(
            n=Count("pk"),
            measured=Count("pk", filter=Q(has_target=True)),
            on_time=Count("pk", filter=Q(on_target=True)),
        )
        .order_by()
    ):
        completion[row["priority"]] = (row["n"], row["measured"], row["on_time"])
    opened = dict(
        items.filter(opened_month__gte=months.first, opened_month__lte=months.last)
        .values_list("opened_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed = dict(
        items.filter(closed_month__gte=months.first, closed_month__lte=months.last)
        .values_list("closed_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_before = items.filter(
        Q(closed_month__isnull=True) | Q(closed_month__gte=months.first),
        opened_month__lt=months.first,
    ).count()

    for fact in live.in_range(filters):  # the logged incidents, as they are now
        _add_live(fact, severity, cost, teams, team_names, services, service_names)
        for name in DURATIONS:
            value = getattr(fact, name)
            if value is not None:
                durations[name].setdefault(fact.month, []).append(float(value))
        for category in fact.categories:
            categories[fact.month, category] = categories.get((fact.month, category), 0) + 1
    for item in (item for fact in live.matching for item in fact.items):
        if item.opened_month < months.first:
            if item.closed_month is None or item.closed_month >= months.first:
                open_before += 1
        elif item.opened_month <= months.last:
            opened[item.opened_month] = opened.get(item.opened_month, 0) + 1
        if item.closed_month and months.first <= item.closed_month <= months.last:
            closed[item.closed_month] = closed.get(item.closed_month, 0) + 1
            if item.done:
                n, measured, on_time = completion.get(item.priority, (0, 0, 0))
                completion[item.priority] = (
                    n + 1,
                    measured + item.has_target,
                    on_time + item.on_target,
                )

    month_list = months.months
    report = Report(
        [
            charts.incidents_by_severity(month_list, severity),
            charts.incidents_by_group(
                "incidents-by-team", "Incidents per month by team", "team", month_list, teams
            ),
            charts.incidents_by_group(
                "incidents-by-service",
                "Incidents per month by service (services that recur)",
                "service",
                month_list,
                services,
            ),
            *(charts.response_time(name, month_list, durations[name]) for name in DURATIONS),
            charts.factor_categories(month_list, categories),
            charts.completion_by_priority(completion),
            charts.open_debt(month_list, open_before, opened, closed),
            charts.cost_of_debt(month_list, cost),
        ],
        pending=live.pending,
    )
    if live.pending:
        report.notes.append(
            f"{live.pending:,} post-mortems changed since the facts were last updated are "
            "counted as they were then; `kintsugi insights fold` brings them up to date."
        )
    return report


def _add_live(
    fact: facts_module.Fact,
    severity: dict[tuple[date, str], int],
    cost: dict[date, tuple[int, int]],
    teams: dict[tuple[date, str], int],
    team_names: dict[int, str],
    services: dict[tuple[date, str], int],
    service_names: dict[int, str],
) -> None:
    month = fact.month
    severity[month, fact.severity] = severity.get((month, fact.severity), 0) + 1
    total, with_debt = cost.get(month, (0, 0))
    cost[month] = (total + 1, with_debt + (fact.open_related_items > 0))
    team = team_names.get(fact.team_key, NO_TEAM)
    teams[month, team] = teams.get((month, team), 0) + 1
    for service_id in fact.services:
        name = service_names.get(service_id, f"Service {service_id}")
        services[month, name] = services.get((month, name), 0) + 1
