"""The Insights figures, kept for the next reader until the facts change.

The figures are read from sums the fold maintains, but reading and shaping them still
costs tens of milliseconds for three years of months: most of a page that many people
open between two folds with the same answer. A report is kept per (state of the facts,
audience, filters): the state is the fold's pass counter and the newest logged write, so
a write (logged by the triggers) or a fold makes the next read compute afresh; the
audience is the set of restricted incidents the reader may see, so two readers share a
report only when they see the same incidents. Team and service names are read with the
figures and are not in the key: a rename shows within ``TTL`` seconds.

Reports with pending writes beyond the live-read limit are not kept: the next fold
changes them anyway.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Max, Subquery

from kintsugi.accounts.models import User
from kintsugi.insights.filters import InsightsFilters
from kintsugi.insights.models import FactLog, FoldLock
from kintsugi.insights.selectors import Audience, Report, audience, insights_report

TTL = 60  # seconds
PREFIX = "insights-report"


def facts_stamp() -> str:
    """Changes with every fold pass and every logged write (one query)."""
    newest = FactLog.objects.order_by("-pk").values("pk")[:1]
    row = (
        FoldLock.objects.filter(pk=1)
        .annotate(newest=Subquery(newest))
        .values_list("passes", "newest")
        .first()
    )
    if row is None:  # no fold yet
        return f"0.{FactLog.objects.aggregate(newest=Max('pk'))['newest'] or 0}"
    return f"{row[0]}.{row[1] or 0}"


def _key(filters: InsightsFilters, known: Audience) -> str:
    nothing, seen = known
    who = "none" if nothing else "all" if seen is None else ",".join(map(str, sorted(seen)))
    what = "|".join(
        (
            str(filters.months.first),
            str(filters.months.last),
            str(filters.team.pk if filters.team else ""),
            str(filters.service.pk if filters.service else ""),
            filters.severity,
            who,
            facts_stamp(),
        )
    )
    return f"{PREFIX}:{hashlib.sha256(what.encode()).hexdigest()}"


def cached_report(user: User | None, filters: InsightsFilters) -> Report:
    """``insights_report(user, filters)``, from the cache when the facts have not changed."""
    if filters.errors:
        return insights_report(user, filters)
    known = audience(user)
    key = _key(filters, known)
    report = cache.get(key)
    if isinstance(report, Report):
        return report
    report = insights_report(user, filters, known)
    if not report.pending:
        cache.set(key, report, TTL)
    return report
