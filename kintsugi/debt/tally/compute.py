"""Recompute one team's tally from its action items, when the team's rows are stale.

A team's rows are stale when a trigger bumped its version since they were computed, when
the day changed (overdue and at risk are relative to today), or when the team's at-risk
threshold changed. Recomputing a team reads only that team's items: about a tenth of a
second for 10,000 items, paid by the worker in the background or, if the worker is behind,
by the first visitor after the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Value, When

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.models import TallyRow, TallyState
from kintsugi.debt.selectors import expressions as sql
from kintsugi.debt.selectors.agenda import section_conditions, week_bounds
from kintsugi.debt.selectors.dashboard import SUMMED, trend_counts
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team

TREND_WEEKS = 12
# The summary's "opened this week": every item created in the week (not a section).
OPENED = "created_in_week"
# Items of restricted incidents keep their incident id, so that the dashboard adds them
# only for the people who may see that incident; every other item is pooled per team.
SCOPE = Case(
    When(incident__is_restricted=True, then=F("incident_id")),
    default=Value(None),
    output_field=BigIntegerField(),
)


def team_items(team_key: int) -> QuerySet[ActionItem]:
    if team_key == 0:
        return ActionItem.objects.filter(incident__team__isnull=True)
    return ActionItem.objects.filter(incident__team_id=team_key)


def at_risk_days(team_key: int, book: PolicyBook) -> int:
    return book.for_team(team_key or None).at_risk_days


def is_fresh(state: TallyState | None, today: date, book: PolicyBook) -> bool:
    return (
        state is not None
        and state.computed_version == state.version
        and state.computed_for == today
        and state.at_risk_days == at_risk_days(state.team_key, book)
    )


class _Cells:
    """Rows being added up, keyed by (restricted incident or None, dimension, key)."""

    def __init__(self, team_key: int) -> None:
        self.team_key = team_key
        self.rows: dict[tuple[int | None, str, str], TallyRow] = {}

    def add(self, scope: int | None, dimension: str, key: str, found: dict[str, Any]) -> None:
        row = self.rows.get((scope, dimension, key))
        if row is None:
            row = self.rows[scope, dimension, key] = TallyRow(
                team_key=self.team_key, incident_id=scope, dimension=dimension, key=key
            )
        for name in SUMMED:
            setattr(row, name, getattr(row, name) + (found.get(name) or 0))
        oldest = found.get("oldest_open")
        if oldest is not None and (row.oldest_open is None or oldest < row.oldest_open):
            row.oldest_open = oldest


def _key(value: object) -> str:
    return "" if value is None else str(value)


def compute_rows(team_key: int, *, today: date, book: PolicyBook) -> list[TallyRow]:
    """Every tally row of one team, as of ``today``: three queries over its items."""
    items = team_items(team_key).annotate(scope=SCOPE).order_by()
    aggregates = {**sql.state_counts(today, book), **sql.sla_counts(today)}
    cells = _Cells(team_key)
    by_owner = items.values("scope", "owner_id", "incident__severity").annotate(**aggregates)
    for found in by_owner:
        scope = found["scope"]
        cells.add(scope, "all", str(team_key), found)
        cells.add(scope, "owner", _key(found["owner_id"]), found)
        cells.add(scope, "severity", found["incident__severity"], found)
    for found in items.values("scope", "incident__services__id").annotate(**aggregates):
        cells.add(found["scope"], "service", _key(found["incident__services__id"]), found)
    rows = list(cells.rows.values())
    for scope, (opened, overdue) in trend_counts(items, today, TREND_WEEKS, by="scope").items():
        rows.extend(
            TallyRow(
                team_key=team_key,
                incident_id=scope,
                dimension="trend",
                key=str(i),
                open=opened[i],
                overdue=overdue[i],
            )
            for i in range(TREND_WEEKS)
            if opened[i] or overdue[i]
        )
    rows.extend(_review_rows(items, team_key, today=today, book=book))
    return rows


def _review_rows(
    items: QuerySet[ActionItem], team_key: int, *, today: date, book: PolicyBook
) -> list[TallyRow]:
    """This week's review counts (``dimension="review"``, the count in ``open``): each
    section's size and the items opened this week, by the page's own SQL conditions, so
    the review page does not count 80,000 overdue items per visit."""
    week = IsoWeek.of(today)
    conditions = section_conditions(week, today, book)
    _as_of, start, end = week_bounds(week, today)
    found = items.values("scope").annotate(
        **{key.value: Count("id", filter=condition) for key, condition in conditions.items()},
        **{OPENED: Count("id", filter=Q(created_at__gte=start, created_at__lt=end))},
    )
    return [
        TallyRow(team_key=team_key, incident_id=row["scope"], dimension="review", key=name, open=n)
        for row in found
        for name, n in row.items()
        if name != "scope" and n
    ]


# The organisation-wide rows, added up from the teams' rows in the same transaction that
# recomputes a team, so the unfiltered dashboard reads about 300 rows instead of every
# team's: EVERYTHING for people who see every incident, PUBLIC (no restricted incident's
# items) for everyone else, who then add the restricted incidents they may see.
EVERYTHING = -2
PUBLIC = -1


def _replace_team_rows(team_key: int, *, today: date, book: PolicyBook, now: datetime) -> None:
    state = TallyState.objects.get(team_key=team_key)
    # Read before counting: a write committed after this bumps the version past it, and
    # the team stays stale (nothing is lost); one committed before is counted.
    version = state.version
    rows = compute_rows(team_key, today=today, book=book)
    TallyRow.objects.filter(team_key=team_key).delete()
    TallyRow.objects.bulk_create(rows, batch_size=500)
    TallyState.objects.filter(team_key=team_key).update(
        computed_version=version,
        computed_for=today,
        at_risk_days=at_risk_days(team_key, book),
        computed_at=now,
    )


def _rebuild_organisation() -> None:
    q = connection.ops.quote_name
    table = q(TallyRow._meta.db_table)
    teams = q(Team._meta.db_table)
    names = [q(name) for name in SUMMED]
    sums = ", ".join(f"SUM({name})" for name in names)
    columns = ", ".join(["team_key", "incident_id", "dimension", q("key"), *names, "oldest_open"])
    select = (
        f"SELECT %s, CAST(NULL AS BIGINT), dimension, {q('key')}, {sums}, MIN(oldest_open) FROM {table} "  # noqa: S608
        # Only teams that still exist: a deleted team's rows stay until the worker's
        # next pass forgets them, and must not be counted twice meanwhile.
        f"WHERE (team_key = 0 OR team_key IN (SELECT id FROM {teams})) "  # noqa: S608
        "{only_public} GROUP BY dimension, " + q("key")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE team_key < 0")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"{select.format(only_public='')} UNION ALL "
            f"{select.format(only_public='AND incident_id IS NULL')}",
            [EVERYTHING, PUBLIC],
        )


def refresh_stale(
    team_keys: Iterable[int], *, today: date, book: PolicyBook, now: datetime
) -> list[int]:
    """Recompute the stale teams among ``team_keys`` (one query when all are fresh).

    Recomputing processes queue on one lock (the organisation's state row), so a team is
    never recomputed twice at once and the organisation's rows always add up the teams'.
    Writers never take that lock: their triggers only bump their team's version.
    """
    keys = list(team_keys)
    states = {state.team_key: state for state in TallyState.objects.filter(team_key__in=keys)}
    if all(is_fresh(states.get(key), today, book) for key in keys):
        return []
    TallyState.objects.bulk_create(
        [TallyState(team_key=key) for key in [EVERYTHING, *keys] if key not in states],
        ignore_conflicts=True,
    )
    done = []
    for key in keys:
        if is_fresh(states.get(key), today, book):
            continue
        # One transaction per team, so the lock is held for one team's work at a time.
        with transaction.atomic():
            TallyState.objects.select_for_update().get(team_key=EVERYTHING)
            if is_fresh(TallyState.objects.get(team_key=key), today, book):
                continue  # another process did it while this one waited
            _replace_team_rows(key, today=today, book=book, now=now)
            _rebuild_organisation()
        done.append(key)
    return done


def forget_deleted_teams(keys: list[int]) -> None:
    with transaction.atomic():
        TallyState.objects.bulk_create([TallyState(team_key=EVERYTHING)], ignore_conflicts=True)
        TallyState.objects.select_for_update().get(team_key=EVERYTHING)
        gone = TallyRow.objects.filter(team_key__gte=0).exclude(team_key__in=keys).delete()[0]
        TallyState.objects.filter(team_key__gte=0).exclude(team_key__in=keys).delete()
        if gone:
            _rebuild_organisation()


def all_team_keys() -> list[int]:
    return [0, *Team.objects.order_by("pk").values_list("pk", flat=True)]


def refresh_all(*, today: date, book: PolicyBook, now: datetime) -> list[int]:
    """The worker's pass: every stale team, and no rows left for deleted teams."""
    keys = all_team_keys()
    forget_deleted_teams(keys)
    return refresh_stale(keys, today=today, book=book, now=now)
