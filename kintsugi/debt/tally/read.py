"""The debt dashboard read from the tally: a few hundred pre-computed rows, not every item.

Stale teams are recomputed first (``compute.refresh_stale``), so the numbers are always
those of the live aggregate in ``selectors.dashboard`` (the tests compare both). Items of
restricted incidents are added only where ``access`` says the viewer may see the incident.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Min, Q, QuerySet, Sum

from kintsugi.accounts.models import User
from kintsugi.core.debt.agenda import SectionKey
from kintsugi.core.debt.dashboard import GroupBy, worst_first
from kintsugi.debt.models import TallyRow
from kintsugi.debt.selectors.dashboard import (
    SUMMED,
    Counts,
    Dashboard,
    Row,
    counts_of,
    oldest_open,
    trend_points,
)
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.tally.compute import (
    EVERYTHING,
    OPENED,
    PUBLIC,
    TREND_WEEKS,
    all_team_keys,
    refresh_stale,
)
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Service, Team


def _visible_rows(user: User, team_keys: list[int], everyone: bool) -> QuerySet[TallyRow]:
    """The rows to add up: the organisation's when every team is asked for, else the teams'.

    People who see every incident read the rows with everything in; everyone else reads
    the rows without restricted incidents and adds those they may see, one by one.
    """
    if not access.is_signed_in(user):
        return TallyRow.objects.none()
    if access.is_admin(user):  # visible_incidents filters nothing for them
        if everyone:
            return TallyRow.objects.filter(team_key=EVERYTHING)
        return TallyRow.objects.filter(team_key__in=team_keys)
    hidden = access.hidden_incidents(user).values("pk")
    mine = Q(team_key__in=team_keys, incident_id__isnull=False) & ~Q(incident_id__in=hidden)
    if everyone:
        return TallyRow.objects.filter(Q(team_key=PUBLIC) | mine)
    return TallyRow.objects.filter(Q(team_key__in=team_keys, incident_id__isnull=True) | mine)


def _summed(user: User, team_keys: list[int], everyone: bool) -> list[dict[str, Any]]:
    """One row per (dimension, key); the key of the ``all`` dimension is the team."""
    return list(
        _visible_rows(user, team_keys, everyone)
        .values("dimension", "key")
        .annotate(
            **{f"s_{name}": Sum(name) for name in SUMMED},
            s_oldest=Min("oldest_open"),
        )
        .order_by()
    )


def _named(found: dict[str, Any]) -> dict[str, Any]:
    named = {name: int(found[f"s_{name}"] or 0) for name in SUMMED}
    named["oldest_open"] = found["s_oldest"]
    return named


def _labels(group: GroupBy, keys: set[str]) -> dict[str, tuple[str | None, str]]:
    """``{tally key: (page key, label)}``: slugs and usernames link, ids do not."""
    ids = [int(key) for key in keys if key.isdigit()]
    labels: dict[str, tuple[str | None, str]] = {"": (None, group.none_label)}
    if group is GroupBy.TEAM:
        for team in Team.objects.filter(pk__in=ids).only("slug", "name"):
            labels[str(team.pk)] = (team.slug, team.name)
        labels["0"] = (None, group.none_label)
    elif group is GroupBy.OWNER:
        for user in User.objects.filter(pk__in=ids).only("username", "first_name", "last_name"):
            full = f"{user.first_name} {user.last_name}".strip()
            labels[str(user.pk)] = (user.username, full or user.username)
    elif group is GroupBy.SERVICE:
        for service in Service.objects.filter(pk__in=ids).only("slug", "name"):
            labels[str(service.pk)] = (service.slug, service.name)
    else:
        labels.update({key: (key, key) for key in keys})
    return labels


def _fresh(
    team_keys: list[int] | None, *, today: date, book: PolicyBook, now: datetime
) -> tuple[list[int], bool]:
    """The teams asked for (every team for None), recomputed first where stale, and
    whether every team was asked for (the organisation's rows are read then)."""
    keys = all_team_keys() if team_keys is None else team_keys
    refresh_stale(keys, today=today, book=book, now=now)
    return keys, team_keys is None


def tally_dashboard(
    user: User,
    items: QuerySet[ActionItem],
    *,
    team_keys: list[int] | None,
    today: date,
    book: PolicyBook,
    now: datetime,
) -> Dashboard:
    """The dashboard of the teams in ``team_keys`` (0: no team; None: every team) as
    ``user`` may see it.

    ``items`` are the same items, visible and filtered, for the oldest-items list (a
    ``LIMIT`` query). Constant work in the data size once the teams are fresh; when every
    team is asked for, the organisation's rows are read instead of each team's.
    """
    keys, everyone = _fresh(team_keys, today=today, book=book, now=now)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in _summed(user, keys, everyone):
        found.setdefault(row["dimension"], {})[row["key"]] = _named(row)
    dimensions = {
        GroupBy.TEAM: "all",
        GroupBy.OWNER: "owner",
        GroupBy.SEVERITY: "severity",
        GroupBy.SERVICE: "service",
    }
    groups = {}
    for group in GroupBy:
        cells = found.get(dimensions[group], {})
        labels = _labels(group, set(cells))
        groups[group] = worst_first(
            group,
            [
                Row(*labels.get(key, (None, "(deleted)")), counts_of(counts, today))
                for key, counts in cells.items()
            ],
        )
    teams = found.get("all", {})
    total = _total(list(teams.values()), today)
    trend = found.get("trend", {})
    counts = (
        [trend.get(str(i), {}).get("open", 0) for i in range(TREND_WEEKS)],
        [trend.get(str(i), {}).get("overdue", 0) for i in range(TREND_WEEKS)],
    )
    return Dashboard(
        today=today,
        total=total,
        groups=groups,
        trend=trend_points(today, TREND_WEEKS, counts),
        oldest=oldest_open(items),
    )


def _total(rows: list[dict[str, Any]], today: date) -> Counts:
    if not rows:
        return Counts()
    summed: dict[str, Any] = {name: sum(row[name] for row in rows) for name in SUMMED}
    oldest = [row["oldest_open"] for row in rows if row["oldest_open"] is not None]
    summed["oldest_open"] = min(oldest) if oldest else None
    return counts_of(summed, today)


def review_counts(
    user: User,
    *,
    today: date,
    book: PolicyBook,
    now: datetime,
    team_keys: list[int] | None = None,
) -> tuple[dict[SectionKey, int], int]:
    """This week's review as ``user`` may see it, for the teams in ``team_keys`` (None:
    every team): each section's size and the number of items opened this week
    (``weekly_agenda_page(counted=...)``)."""
    keys, everyone = _fresh(team_keys, today=today, book=book, now=now)
    found = dict(
        _visible_rows(user, keys, everyone)
        .filter(dimension="review")
        .values("key")
        .annotate(n=Sum("open"))
        .order_by()
        .values_list("key", "n")
    )
    return {key: int(found.get(key.value) or 0) for key in SectionKey}, int(found.get(OPENED) or 0)
