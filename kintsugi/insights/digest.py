"""The monthly digest: the post-mortems published in a month and how the figures moved.

A page (``views.digest``), an email and a Slack message (``deliveries``; Slack draws the
charts as text, ``core.insights.text_chart``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from kintsugi.accounts.models import User
from kintsugi.core.insights.charts import Chart
from kintsugi.core.insights.months import MonthRange, add_months
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.selectors import insights_report
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident

# The digest compares the month with the five before it.
MONTHS_SHOWN = 6
DIGEST_CHARTS = ("incidents-by-severity", "time-to-detect", "time-to-resolve", "cost-of-debt")


@dataclass
class Digest:
    month: date
    published: list[Incident]
    charts: list[Chart]
    notes: list[str]


def monthly_digest(user: User | None, month: date) -> Digest:
    """The digest ``user`` may see; ``None`` is an unknown audience (no restricted one)."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    next_month = add_months(month, 1)
    end = datetime(next_month.year, next_month.month, 1, tzinfo=UTC)
    visible = (
        Incident.objects.filter(is_restricted=False)
        if user is None
        else access.visible_incidents(user)
    )
    published = list(
        visible.filter(published_at__gte=start, published_at__lt=end)
        .select_related("team")
        .order_by("published_at", "pk")
    )
    filters = InsightsFilters(MonthRange(add_months(month, -(MONTHS_SHOWN - 1)), month))
    report = insights_report(user, filters)
    charts = [c for key in DIGEST_CHARTS if (c := report.chart(key)) is not None]
    return Digest(month, published, charts, report.notes)
