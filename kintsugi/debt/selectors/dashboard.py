"""The debt dashboard, aggregated in SQL with a fixed number of queries.

The numbers are defined by ``kintsugi.core.debt.dashboard`` (tests compare both on the same
data); here they are computed by the database, one grouped query per breakdown, so the page
costs the same with 200 items or 200,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from kintsugi.accounts.models import User
from kintsugi.core.debt.dashboard import GroupBy, TrendPoint, worst_first
from kintsugi.core.debt.states import SlaCompliance, age_in_days
from kintsugi.core.debt.tally import COUNTED
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors import expressions as sql
from kintsugi.debt.selectors.filters import NONE
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.django_internals import compiled_sql
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team

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


def counts_of(row: dict[str, Any], today: date) -> Counts:
    """A ``Counts`` from one aggregated row (the ``COUNTED`` names and ``oldest_open``)."""
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


# The base of the rollup: one row per (team, owner, severity), computed by the database in
# one pass over the items; the team, owner and severity breakdowns and the totals are then
# added up from it *in the same statement* (a common table expression read four times), so
# Python only sees the few rows the page shows (about 230 on the bench data, not 16,000).
BASE_FIELDS = {"g_team": "incident__team_id", "g_owner": "owner_id", "g_sev": "incident__severity"}


def _parse_moment(value: Any) -> datetime | None:
    """A ``MIN(created_at)`` from a raw cursor: a string on SQLite, a datetime elsewhere."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    moment = parse_datetime(str(value))
    if moment is None:  # pragma: no cover - the database stores ISO timestamps
        raise ValueError(f"Unreadable timestamp {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rollup(items: QuerySet[ActionItem], aggregates: dict[str, Any]) -> list:
    """Rows ``(level, key, label1, label2, *COUNTED, oldest_open)`` in one query."""
    base = (
        items.order_by()
        .annotate(**{alias: F(path) for alias, path in BASE_FIELDS.items()})
        .values(*BASE_FIELDS)
        .annotate(**aggregates)
    )
    base_sql, params = compiled_sql(base)
    q = connection.ops.quote_name
    sums = ", ".join(f"SUM(b.{q(name)})" for name in COUNTED) + f", MIN(b.{q('oldest_open')})"
    team, user = q(Team._meta.db_table), q(User._meta.db_table)
    # Only quoted identifiers from the models and our own aliases are formatted in; every
    # value travels as a parameter of the base query.
    parts = [
        f"SELECT 0, t.slug, t.name, NULL, {sums} FROM base b "  # noqa: S608
        f"LEFT JOIN {team} t ON t.id = b.g_team GROUP BY b.g_team, t.slug, t.name",
        f"SELECT 1, u.username, u.first_name, u.last_name, {sums} "  # noqa: S608
        f"FROM base b LEFT JOIN {user} u ON u.id = b.g_owner "
        "GROUP BY b.g_owner, u.username, u.first_name, u.last_name",
        f"SELECT 2, b.g_sev, NULL, NULL, {sums} FROM base b GROUP BY b.g_sev",  # noqa: S608
        f"SELECT 3, NULL, NULL, NULL, {sums} FROM base b HAVING COUNT(*) > 0",  # noqa: S608
    ]
    statement = f"WITH base AS MATERIALIZED ({base_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _row_dict(row: tuple) -> dict[str, Any]:
    values = row[4:]
    named = {name: int(values[i] or 0) for i, name in enumerate(COUNTED)}
    named["oldest_open"] = _parse_moment(values[len(COUNTED)])
    return named


def _rows(group: GroupBy, merged: dict[tuple, dict[str, Any]], today: date) -> list[Row]:
    """Rows of one breakdown from ``{label values: counts}``, worst first."""
    return worst_first(
        group, [Row(*_label(group, key), counts_of(row, today)) for key, row in merged.items()]
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


def _bucket(field: str, limits: list[Any]) -> Case:
    """The first trend point whose day ``field`` is on or before (``len(limits)``: none)."""
    whens = [When(**{f"{field}__lt": limit}, then=Value(i)) for i, limit in enumerate(limits)]
    return Case(*whens, default=Value(len(limits)), output_field=IntegerField())


def trend_counts(
    items: QuerySet[ActionItem], today: date, weeks: int, *, by: str | None = None
) -> dict[Any, tuple[list[int], list[int]]]:
    """Open and overdue items at the end of each of the last ``weeks`` ISO weeks.

    An item is open at the end of day D when it was created by then and is not closed by
    then (a closed item without a closing time counts as closed on its creation day), and
    overdue when also past its target date (``dashboard.weekly_trend`` in the core says the
    same in Python). Each item gives three small numbers, the first trend point on which it
    was created, closed and past its target date; one query counts the items per
    combination (a few hundred rows) and the points are added up from them here, instead
    of evaluating 24 conditions on every row. ``by`` names a field to keep apart (the tally
    keeps restricted incidents apart); the result maps its values to ``(open, overdue)``.
    """
    points = _trend_weeks(today, weeks)
    ends = [_end_of(as_of) for _week, as_of in points]
    never = len(points)
    closed = Case(
        When(sql.is_open(), then=Value(never)),
        default=_bucket("closed_moment", ends),
        output_field=IntegerField(),
    )
    fields = ("t_created", "t_closed", "t_due", *((by,) if by else ()))
    combos = (
        items.order_by()
        .annotate(closed_moment=Coalesce("completed_at", "created_at"))
        .annotate(
            t_created=_bucket("created_at", ends),
            t_closed=closed,
            t_due=_bucket("due_on", [as_of for _week, as_of in points]),
        )
        .filter(t_created__lt=never)
        .values(*fields)
        .annotate(n=Count("id"))
    )
    found: dict[Any, tuple[list[int], list[int]]] = {}
    for created, closed_at, due, *group, n in combos.values_list(*fields, "n"):
        opened, overdue = found.setdefault(group[0] if by else None, ([0] * never, [0] * never))
        late_from = max(created, due)  # no target date: ``due`` is ``never``
        for i in range(created, min(closed_at, never)):
            opened[i] += n
            if i >= late_from:
                overdue[i] += n
    return found


def trend_points(
    today: date, weeks: int, counts: tuple[list[int], list[int]] | None
) -> list[TrendPoint]:
    opened, overdue = counts or ([0] * weeks, [0] * weeks)
    return [
        TrendPoint(week=week, as_of=as_of, open=opened[i], overdue=overdue[i])
        for i, (week, as_of) in enumerate(_trend_weeks(today, weeks))
    ]


def _trend_points(items: QuerySet[ActionItem], today: date, weeks: int) -> list[TrendPoint]:
    return trend_points(today, weeks, trend_counts(items, today, weeks).get(None))


def oldest_open(items: QuerySet[ActionItem], *, limit: int = 10) -> list[ActionItem]:
    """The ids first, then the rows: joined to incidents, the ``LIMIT`` query let SQLite
    scan every incident instead of walking the creation-time index (120 ms vs 1 ms)."""
    order = ("created_at", "id")
    ids = list(items.filter(sql.is_open()).order_by(*order).values_list("pk", flat=True)[:limit])
    return list(
        ActionItem.objects.filter(pk__in=ids)
        .select_related("incident", "incident__team", "owner")
        .only(*OLDEST_SHOWN)
        .order_by(*order)
    )


# What the list shows of each item: not the incidents' texts (a post-mortem's body can be
# long, and ten of them were half of this read).
OLDEST_SHOWN = (
    "incident_id",
    "title",
    "priority",
    "owner_id",
    "created_at",
    "due_on",
    "incident__team_id",
    "incident__team__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def debt_dashboard(
    items: QuerySet[ActionItem], *, today: date, book: PolicyBook, trend_weeks: int = 12
) -> Dashboard:
    """Everything the dashboard shows, for already visible and filtered ``items``.

    Four queries whatever the data size: one statement for the team, owner and severity
    breakdowns and the totals (grouped once, rolled up by the database), one by service,
    one for the weekly trend, and the oldest open items (``LIMIT``).
    """
    aggregates = {**sql.state_counts(today, book), **sql.sla_counts(today)}
    found: dict[int, dict[tuple, dict[str, Any]]] = {level: {} for level in range(4)}
    for row in _rollup(items, aggregates):
        level = int(row[0])
        key = {0: row[1:3], 1: row[1:4], 2: row[1:2], 3: ()}[level]
        found[level][tuple(key)] = _row_dict(row)
    groups = {
        GroupBy.TEAM: _rows(GroupBy.TEAM, found[0], today),
        GroupBy.OWNER: _rows(GroupBy.OWNER, found[1], today),
        GroupBy.SEVERITY: _rows(GroupBy.SEVERITY, found[2], today),
        GroupBy.SERVICE: _service_rows(items, today, book),
    }
    total = found[3].get(())
    return Dashboard(
        today=today,
        total=counts_of(total, today) if total else Counts(),
        groups={group: groups[group] for group in GroupBy},
        trend=_trend_points(items, today, trend_weeks),
        oldest=oldest_open(items),
    )
