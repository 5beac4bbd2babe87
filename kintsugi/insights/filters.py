"""The Insights filters (time range, team, service, severity), read from GET parameters.

The same parameter names as the post-mortem list (``team``, ``service``, ``severity``),
so a filter carries over between the two pages; ``start`` and ``end`` are months
(YYYY-MM). A bad value becomes a message and is ignored, never a server error; the API
refuses it instead (``strict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from kintsugi.core.errors import ValidationProblem, ValidationProblems
from kintsugi.core.insights.months import MonthRange, month_label, month_range
from kintsugi.core.vocabulary import Severity
from kintsugi.teams.models import Service, Team

MAX_PARAM = 100  # longer values are not echoed back whole


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


@dataclass
class InsightsFilters:
    months: MonthRange
    team: Team | None = None
    service: Service | None = None
    severity: str = ""
    errors: list[str] = field(default_factory=list)

    def query(self, **changes: str) -> str:
        """The filters as a query string (for CSV links and the list page)."""
        values = {
            "start": month_label(self.months.first),
            "end": month_label(self.months.last),
            "team": self.team.slug if self.team else "",
            "service": self.service.slug if self.service else "",
            "severity": self.severity,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    def list_query(self) -> str:
        """The filters the post-mortem list understands."""
        return self.query(start="", end="")


def parse_filters(
    params: Mapping[str, str], *, today: date, strict: bool = False
) -> InsightsFilters:
    """Read the filters; each bad one is reported (and ignored, or raised when ``strict``)."""
    problems: list[ValidationProblem] = []
    try:
        months = month_range(
            str(params.get("start", ""))[:MAX_PARAM],
            str(params.get("end", ""))[:MAX_PARAM],
            today=today,
        )
    except ValidationProblem as problem:
        problems.append(problem)
        months = month_range("", "", today=today)
    filters = InsightsFilters(months)
    severity = str(params.get("severity", "")).strip().upper()
    if severity:
        if severity in {s.value for s in Severity}:
            filters.severity = severity
        else:
            problems.append(
                ValidationProblem(f"Unknown severity “{_shown(severity)}”.", field="severity")
            )
    team = str(params.get("team", "")).strip()
    if team:
        filters.team = Team.objects.filter(slug=team[:MAX_PARAM]).first()
        if filters.team is None:
            problems.append(ValidationProblem(f"Unknown team “{_shown(team)}”.", field="team"))
    service = str(params.get("service", "")).strip()
    if service:
        filters.service = Service.objects.filter(slug=service[:MAX_PARAM]).first()
        if filters.service is None:
            problems.append(
                ValidationProblem(f"Unknown service “{_shown(service)}”.", field="service")
            )
    if problems and strict:
        if len(problems) == 1:
            raise problems[0]
        raise ValidationProblems(problems)
    filters.errors = [f"{p.message} That filter was ignored." for p in problems]
    return filters
