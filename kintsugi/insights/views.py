"""The Insights page, each chart as CSV, and the monthly digest page (login required by
the middleware; every figure counts only what the viewer may see)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.debt.clock import utc_today
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.months import parse_month
from kintsugi.core.vocabulary import Severity
from kintsugi.debt.clock import get_clock
from kintsugi.insights.digest import monthly_digest
from kintsugi.insights.filters import parse_filters
from kintsugi.insights.report_cache import cached_report
from kintsugi.rendering.jinja import template
from kintsugi.teams.models import Service, Team


def chart_rows(charts: Iterable[Chart]) -> list[tuple[Chart, SafeString]]:
    """Each chart with its table rows rendered at once by Jinja2
    (``insights/_chart_rows.html``): in the page's Django template the rows of ten charts
    of 36 months cost about half the page. The same bytes as the Django rows."""
    rows = template("insights/_chart_rows.html")
    # The environment escapes every value (rendering/jinja.py).
    return [(chart, mark_safe(rows.render(rows=chart.rows))) for chart in charts]  # noqa: S308


def insights(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET, today=utc_today(get_clock()))
    report = cached_report(request.user, filters)  # type: ignore[arg-type]
    context = {
        "nav": "insights",
        "filters": filters,
        "report": report,
        "charts": chart_rows(report.charts),
        "teams": list(Team.objects.order_by("name")),
        "services": list(Service.objects.order_by("name")),
        "severities": list(Severity),
        "query": filters.query(),
        "digest_month": f"{filters.months.last:%Y-%m}",
    }
    return render(request, "insights/page.html", context)


def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    filters = parse_filters(request.GET, today=utc_today(get_clock()))
    chart = cached_report(request.user, filters).chart(key)  # type: ignore[arg-type]
    if chart is None:
        raise Http404("No such chart.")
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    name = f"{key}-{filters.months.first:%Y-%m}-{filters.months.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def digest(request: HttpRequest, month: str) -> HttpResponse:
    try:
        first = parse_month(month)
    except ValidationProblem as problem:
        raise Http404(problem.message) from None
    result = monthly_digest(request.user, first)  # type: ignore[arg-type]
    context = {"nav": "insights", "digest": result, "charts": chart_rows(result.charts)}
    return render(request, "insights/digest.html", context)
