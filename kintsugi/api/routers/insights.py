"""Insights (issue 16): the figures of the Insights page and the monthly digest, as JSON.

The same selectors as the page (``kintsugi.insights``), so the numbers match it and count
only the incidents the caller may see. Unlike the page, a bad filter is refused (422)
rather than ignored: a script should learn that its parameter was wrong.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from kintsugi.api.auth import current_user
from kintsugi.api.schemas.common import ERRORS
from kintsugi.core.debt.clock import utc_today
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.months import parse_month
from kintsugi.debt.clock import get_clock
from kintsugi.insights.digest import monthly_digest
from kintsugi.insights.filters import parse_filters
from kintsugi.insights.report_cache import cached_report

router = Router(tags=["insights"])


class InsightsQuery(Schema):
    start: str = Field(
        "", max_length=7, description="First month, YYYY-MM (default: 11 months before ``end``)."
    )
    end: str = Field("", max_length=7, description="Last month, YYYY-MM (default: this month).")
    team: str = Field("", max_length=100, description="Team slug.")
    service: str = Field("", max_length=100, description="Service slug.")
    severity: str = Field("", max_length=4, description="SEV1 to SEV4.")


class ChartRowOut(Schema):
    label: str
    values: list[int | float | str | None]


class ChartOut(Schema):
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[ChartRowOut]
    trend: str | None = Field(None, description="shorter, longer, steady or unknown.")
    notes: list[str]


class InsightsOut(Schema):
    start: str
    end: str
    team: str | None
    service: str | None
    severity: str | None
    notes: list[str]
    charts: list[ChartOut]


class PublishedOut(Schema):
    id: int
    reference: str
    title: str
    severity: str
    team: str | None
    published_at: datetime


class DigestOut(Schema):
    month: str
    published: list[PublishedOut]
    notes: list[str]
    charts: list[ChartOut]


def _chart(chart: Chart) -> dict[str, object]:
    return {
        "key": chart.key,
        "title": chart.title,
        "description": chart.description,
        "columns": chart.columns,
        "rows": [{"label": row.label, "values": row.values} for row in chart.rows],
        "trend": chart.trend.value if chart.trend else None,
        "notes": chart.notes,
    }


@router.get("/insights", response={200: InsightsOut, **ERRORS})
def insights(request: HttpRequest, params: Query[InsightsQuery]) -> dict[str, object]:
    filters = parse_filters(params.dict(), today=utc_today(get_clock()), strict=True)
    report = cached_report(current_user(request), filters)
    return {
        "start": f"{filters.months.first:%Y-%m}",
        "end": f"{filters.months.last:%Y-%m}",
        "team": filters.team.slug if filters.team else None,
        "service": filters.service.slug if filters.service else None,
        "severity": filters.severity or None,
        "notes": report.notes,
        "charts": [_chart(chart) for chart in report.charts],
    }


@router.get("/insights/digest/{month}", response={200: DigestOut, **ERRORS})
def insights_digest(request: HttpRequest, month: str) -> dict[str, object]:
    try:
        first: date = parse_month(month[:40])
    except ValidationProblem as problem:
        raise Http404(problem.message) from None
    digest = monthly_digest(current_user(request), first)
    return {
        "month": f"{first:%Y-%m}",
        "published": [
            {
                "id": incident.pk,
                "reference": incident.reference,
                "title": incident.title,
                "severity": incident.severity,
                "team": incident.team.slug if incident.team else None,
                "published_at": incident.published_at,
            }
            for incident in digest.published
        ],
        "notes": digest.notes,
        "charts": [_chart(chart) for chart in digest.charts],
    }
