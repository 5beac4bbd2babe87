"""What every Insights read produces, whichever way it reads: the ``Report`` (the charts
with their notes), the reader's audience, and the assembly of the charts from counts.

The two ways of reading (``from_sums``: the per-month sums; ``per_incident``: the
per-incident facts, for a service filter) share this so that they give the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kintsugi.accounts.models import User
from kintsugi.core.insights import charts
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.figures import DURATIONS, Summary
from kintsugi.core.insights.months import month_from_key
from kintsugi.insights.filters import InsightsFilters
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident

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


Audience = tuple[bool, list[int] | None]


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


def add_count(counts: dict[tuple[int, str], int], month: int, key: str, n: int = 1) -> None:
    counts[month, key] = counts.get((month, key), 0) + n


def dated(counts: dict[tuple[int, str], int]) -> dict[tuple[date, str], int]:
    return {(month_from_key(month), key): n for (month, key), n in counts.items()}


def build_report(
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
            charts.incidents_by_severity(months, dated(severity)),
            charts.incidents_by_group(
                "incidents-by-team", "Incidents per month by team", "team", months, dated(teams)
            ),
            charts.incidents_by_group(
                "incidents-by-service",
                "Incidents per month by service (services that recur)",
                "service",
                months,
                dated(services),
            ),
            *(
                charts.response_time_of(
                    name, months, {month_from_key(m): v for m, v in times[name].items()}
                )
                for name in DURATIONS
            ),
            charts.factor_categories(months, dated(categories)),
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
