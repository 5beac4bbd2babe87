"""The debt dashboard, aggregated in SQL with a fixed number of queries.

The numbers are defined by ``kintsugi.core.debt.dashboard`` (tests compare both on the same
data); here they are computed by the database, one grouped query per breakdown, so the page
costs the same with 200 items or 200,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from kintsugi.core.debt.dashboard import GroupBy, TrendPoint
from kintsugi.core.debt.states import SlaCompliance, age_in_days
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import Severity
from kintsugi.debt.selectors import expressions as sql
from kintsugi.debt.selectors.filters import NONE
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.postmortems.models import ActionItem

GROUP_FIELDS: dict[GroupBy, tuple[str, ...]] = {
    GroupBy.TEAM: ("incident__team__slug", "incident__team__name"),
    GroupBy.OWNER: ("owner__username", "owner__first_name", "owner__last_name"),
    GroupBy.SERVICE: ("incident__services__slug", "incident__services__name"),
    GroupBy.SEVERITY: ("incident__severity",),
}


@dataclass
class Counts:
    """One row of counts, with the same names as the core's ``DebtCounts``."""

    open: int = 0
    overdue: int = 0
    at_risk: int = 0
    no_date: int = 0
    on_track: int = 0
    done_on_time: int = 0
    done_late: int = 0
    wont_do: int = 0
    oldest_open_age_days: int | None = None
    sla: SlaCompliance | None = None

    @property
    def total(self) -> int:
        return self.open + self.done_on_time + self.done_late + self.wont_do

    def as_dict(self) -> dict[str, int | None]:
        """The shape of ``DebtCounts.as_dict()``, for the cross-check."""
        return {
            "overdue": self.overdue,
            "at_risk": self.at_risk,
            "no_date": self.no_date,
            "on_track": self.on_track,
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "wont_do": self.wont_do,
            "open": self.open,
            "oldest_open_age_days": self.oldest_open_age_days,
        }


@dataclass
class Row:
    key: str | None  # slug, username or severity; None for "no team" etc.
    label: str
    counts: Counts

    @property
    def filter_value(self) -> str:
        return self.key if self.key is not None else NONE


@dataclass
class Dashboard:
    today: date
    total: Counts
    groups: dict[GroupBy, list[Row]]
    trend: list[TrendPoint]
    oldest: list[ActionItem]
    extra: dict[str, Any] = field(default_factory=dict)


def _counts(row: dict[str, Any], today: date) -> Counts:
    oldest = row["oldest_open"]
    measured = row.get("sla_measured", 0)
    return Counts(
        open=row["open"],
        overdue=row["overdue"],
        at_risk=row["at_risk"],
        no_date=row["no_date"],
        on_track=row["open"] - row["overdue"] - row["at_risk"] - row["no_date"],
        done_on_time=row["done"] - row["done_late"],
        done_late=row["done_late"],
        wont_do=row["wont_do"],
        oldest_open_age_days=None if oldest is None else age_in_days(oldest, today),
        sla=SlaCompliance(met=row["sla_met"], measured=measured) if measured else None,
    )


def _label(group: GroupBy, values: tuple[Any, ...]) -> tuple[str | None, str]:
    if group is GroupBy.OWNER:
        username, first, last = values
        if username is None:
            return None, group.none_label
        full = f"{first} {last}".strip()
        return username, full or username
    key = values[0]
    if key is None:
        return None, group.none_label
    return key, values[-1]


SUMMED = (
    "open",
    "overdue",
    "at_risk",
    "no_date",
    "done",
    "done_late",
    "wont_do",
    "sla_measured",
    "sla_met",
)
# One grouped query yields the team, owner and severity breakdowns (and the totals and
# the trend) at once: the database scans the items once instead of once per breakdown.
BASE_FIELDS = (*GROUP_FIELDS[GroupBy.TEAM], *GROUP_FIELDS[GroupBy.OWNER], "incident__severity")


def _merge(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> dict[tuple, dict[str, Any]]:
    """Add up grouped rows into coarser groups (sums, and the earliest open item)."""
    merged: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[f] for f in fields)
        into = merged.get(key)
        if into is None:
            merged[key] = {name: row[name] for name in (*SUMMED, "oldest_open")}
            continue
        for name in SUMMED:
            into[name] += row[name]
        oldest = [m for m in (into["oldest_open"], row["oldest_open"]) if m is not None]
        into["oldest_open"] = min(oldest) if oldest else None
    return merged


def _sorted(group: GroupBy, rows: list[Row]) -> list[Row]:
    if group is GroupBy.SEVERITY:
        return sorted(rows, key=lambda row: row.key or "~")  # SEV1 first
    return sorted(
        rows,
        key=lambda row: (
            -row.counts.overdue,
            -row.counts.at_risk,
            -row.counts.open,
            row.key is None,
            row.key or "",
        ),
    )


def _rows(group: GroupBy, merged: dict[tuple, dict[str, Any]], today: date) -> list[Row]:
    return _sorted(
        group, [Row(*_label(group, key), _counts(row, today)) for key, row in merged.items()]
    )


def _service_rows(items: QuerySet[ActionItem], today: date, book: PolicyBook) -> list[Row]:
    """Services need their own query: an item counts once under each service it affects."""
    fields = GROUP_FIELDS[GroupBy.SERVICE]
    aggregates = {**sql.state_counts(today, book), **sql.sla_counts(today)}
    found = items.order_by().values(*fields).annotate(**aggregates)
    return _rows(GroupBy.SERVICE, {tuple(r[f] for f in fields): r for r in found}, today)


def _end_of(day: date) -> datetime:
    """The first instant after ``day`` (UTC): "created by the end of the day" is ``<`` this."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def _trend_weeks(today: date, weeks: int) -> list[tuple[IsoWeek, date]]:
    chosen = [IsoWeek.of(today)]
    while len(chosen) < weeks:
        chosen.append(chosen[-1].previous())
    return [(week, min(today, week.sunday)) for week in reversed(chosen)]


def _trend_counts(today: date, weeks: int) -> dict[str, Any]:
    """Open and overdue items at the end of each of the last ``weeks`` ISO weeks.

    An item was open at the end of a day if it was created by then and is still open, or
    was closed after it (``dashboard.weekly_trend`` in the core says the same in Python).
    """
    aggregates = {}
    for index, (_week, as_of) in enumerate(_trend_weeks(today, weeks)):
        end = _end_of(as_of)
        was_open = Q(created_at__lt=end) & (sql.is_open() | Q(completed_at__gte=end))
        aggregates[f"open_{index}"] = Count("id", filter=was_open)
        aggregates[f"overdue_{index}"] = Count("id", filter=was_open & Q(due_on__lt=as_of))
    return aggregates


def _trend(rows: list[dict[str, Any]], today: date, weeks: int) -> list[TrendPoint]:
    return [
        TrendPoint(
            week=week,
            as_of=as_of,
            open=sum(row[f"open_{i}"] for row in rows),
            overdue=sum(row[f"overdue_{i}"] for row in rows),
        )
        for i, (week, as_of) in enumerate(_trend_weeks(today, weeks))
    ]


def oldest_open(items: QuerySet[ActionItem], *, limit: int = 10) -> list[ActionItem]:
    return list(
        items.filter(sql.is_open())
        .select_related("incident", "incident__team", "owner")
        .order_by("created_at", "id")[:limit]
    )


def debt_dashboard(
    items: QuerySet[ActionItem], *, today: date, book: PolicyBook, trend_weeks: int = 12
) -> Dashboard:
    """Everything the dashboard shows, for already visible and filtered ``items``.

    Three queries whatever the data size: one grouped by team, owner and severity (rolled
    up here into those breakdowns, the totals and the trend), one by service, and the
    oldest open items.
    """
    aggregates = {
        **sql.state_counts(today, book),
        **sql.sla_counts(today),
        **_trend_counts(today, trend_weeks),
    }
    rows = list(items.order_by().values(*BASE_FIELDS).annotate(**aggregates))
    groups = {
        group: _rows(group, _merge(rows, GROUP_FIELDS[group]), today)
        for group in (GroupBy.TEAM, GroupBy.OWNER, GroupBy.SEVERITY)
    }
    groups[GroupBy.SERVICE] = _service_rows(items, today, book)
    total = _merge(rows, ())
    return Dashboard(
        today=today,
        total=_counts(total[()], today) if total else Counts(),
        groups={group: groups[group] for group in GroupBy},
        trend=_trend(rows, today, trend_weeks),
        oldest=oldest_open(items),
    )


SEVERITY_LABELS = {s.value: s.label for s in Severity}
