"""The debt states of ``kintsugi.core.debt.states`` as SQL conditions, for aggregates.

Each condition here is the SQL twin of one rule in the core; the tests compare the counts
with the core's ``dashboard`` functions on the same data. Days are UTC days, as in the
core: ``UtcDate`` takes the UTC calendar day of a stored time with the database's own
date function (SQLite's ``date()``; PostgreSQL's ``AT TIME ZONE 'UTC'``), not with a
per-row Python function, so 200,000 rows aggregate in one pass.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, F, Func, Min, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, IsNull, LessThan, LessThanOrEqual

from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.debt.selectors.policy import PolicyBook

OPEN_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
HIGH_PRIORITIES = (Priority.P0.value, Priority.P1.value)


class UtcDate(Func):
    """The UTC calendar day of a datetime column (``None`` stays ``None``)."""

    function = "date"
    arity = 1
    output_field = DateField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) AT TIME ZONE 'UTC')::date", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        # Django stores datetimes in SQLite as UTC ISO text ("2026-11-25 10:00:00[.ffffff]"),
        # so the first ten characters are the UTC day: ``substr`` is several times cheaper
        # per row than parsing the text with ``date()``, and says the same.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"substr({sql}, 1, 10)", params


def is_open() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_on(day: date) -> Q:
    """Open and past its target date on ``day`` (the target date itself is not late)."""
    return is_open() & Q(due_on__lt=day)


def at_risk_window(today: date, book: PolicyBook) -> Q:
    """Target date within the at-risk threshold of the item's team (thresholds differ)."""
    groups = book.at_risk_groups()
    special = [team_id for ids in groups.values() for team_id in ids]
    window = Q(due_on__lte=today + timedelta(days=book.default.at_risk_days))
    if special:
        window &= ~Q(incident__team_id__in=special)
    for days, ids in groups.items():
        window |= Q(due_on__lte=today + timedelta(days=days), incident__team_id__in=ids)
    return window


def at_risk(today: date, book: PolicyBook) -> Q:
    return is_open() & Q(due_on__gte=today) & at_risk_window(today, book)


def no_date() -> Q:
    return is_open() & Q(due_on__isnull=True)


def on_track(today: date, book: PolicyBook) -> Q:
    return is_open() & Q(due_on__gte=today) & ~at_risk_window(today, book)


def done_late() -> Q:
    """Done after the target date (the UTC day of completion counts)."""
    return Q(status=ActionStatus.DONE, due_on__isnull=False) & GreaterThan(
        UtcDate("completed_at"), F("due_on")
    )


def done_on_time() -> Q:
    return Q(status=ActionStatus.DONE) & ~(
        Q(due_on__isnull=False, completed_at__isnull=False)
        & GreaterThan(UtcDate("completed_at"), F("due_on"))
    )


def state_condition(state: str, today: date, book: PolicyBook) -> Q:
    """The SQL condition of one core ``DebtState`` value (or ``open``/``closed``)."""
    conditions = {
        "open": is_open,
        "closed": lambda: ~is_open(),
        "overdue": lambda: overdue_on(today),
        "at_risk": lambda: at_risk(today, book),
        "no_date": no_date,
        "on_track": lambda: on_track(today, book),
        "done_on_time": done_on_time,
        "done_late": done_late,
        "wont_do": lambda: Q(status=ActionStatus.WONT_DO),
    }
    return conditions[state]()


def state_counts(today: date, book: PolicyBook) -> dict[str, Any]:
    """Aggregates for one row of the dashboard; ``dashboard.counts_of`` reads them."""
    return {
        "open": Count("id", filter=is_open()),
        "overdue": Count("id", filter=overdue_on(today)),
        "at_risk": Count("id", filter=at_risk(today, book)),
        "no_date": Count("id", filter=no_date()),
        "done": Count("id", filter=Q(status=ActionStatus.DONE)),
        "done_late": Count("id", filter=done_late()),
        "wont_do": Count("id", filter=Q(status=ActionStatus.WONT_DO)),
        "oldest_open": Min("created_at", filter=is_open()),
    }


def sla_counts(today: date) -> dict[str, Any]:
    """Met and measured high-priority items, as ``states.sla_compliance`` counts them.

    Measured against the date the policy asked (``policy_due_on``; the target date for rows
    that predate the field), so an exception with a reason is still a miss.
    """
    asked = Coalesce("policy_due_on", "due_on", output_field=DateField())
    high = Q(priority__in=HIGH_PRIORITIES)
    done = Q(status=ActionStatus.DONE)
    return {
        "sla_measured": Count("id", filter=high & (done | (is_open() & LessThan(asked, today)))),
        "sla_met": Count(
            "id",
            filter=high
            & done
            & (
                Q(completed_at__isnull=True)
                | IsNull(asked, True)
                | LessThanOrEqual(UtcDate("completed_at"), asked)
            ),
        ),
    }
