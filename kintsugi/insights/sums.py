"""The per-month sums (``MonthSum``): what each incident adds to them, and their upkeep.

An incident's share (``shares``) is a function of its facts alone, so the sums are kept
exactly by differences: the fold subtracts the shares of the rows it replaces and adds
those of the rows it writes (``apply``), and a page subtracts the stored share of an
incident logged since the fold and adds its share as it is now, without writing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from kintsugi.core.insights.figures import DURATIONS
from kintsugi.core.insights.histogram import bucket
from kintsugi.insights import facts as facts_module
from kintsugi.insights.models import (
    FactCategory,
    FactService,
    IncidentFacts,
    ItemFacts,
    MonthSum,
)

# What a row counts (``MonthSum.kind``) and what its ``key`` holds.
INCIDENTS = 0  # incidents that began that month
WITH_DEBT = 1  # of which began with related items open (cost of debt)
SERVICE = 2  # key: the service id
CATEGORY = 3  # key: the factor category
TIMES = {name: 10 + i for i, name in enumerate(DURATIONS)}  # key: the bucket; total: seconds
OPENED = 20  # action items created that month
CLOSED = 21  # closed (done or won't do) that month
DONE = 22  # done that month; key: priority, has a target, done by it ("P1dto")
INCIDENT_KINDS = (INCIDENTS, WITH_DEBT)
GROUP_KINDS = (SERVICE, CATEGORY)
TIME_KINDS = tuple(TIMES.values())
# Open debt at the start of a range is "opened before minus closed before": two keyless
# kinds, so that sum reads a row per month and group, not per priority and state.
DEBT_KINDS = (OPENED, CLOSED)
ITEM_KINDS = (OPENED, CLOSED, DONE)

# (month, team_key, severity, audience, kind, key)
Key = tuple[int, int, str, int, int, str]


@dataclass
class Share:
    n: int = 0
    total: int = 0


Shares = dict[Key, Share]


def closed_key(priority: str, done: bool, has_target: bool, on_target: bool) -> str:
    return (
        f"{priority}{'d' if done else '-'}{'t' if has_target else '-'}{'o' if on_target else '-'}"
    )


def read_closed_key(key: str) -> tuple[str, bool, bool, bool]:
    priority, flags = key[:-3], key[-3:]
    return priority, flags[0] == "d", flags[1] == "t", flags[2] == "o"


# Roll-ups: every share is also summed over all teams and/or all severities, so a page
# without a team or severity filter reads a row per month and key (and audience) instead
# of one per team and severity (the histograms and services would otherwise be tens of
# thousands of rows for three years).
ANY_TEAM = -1
ANY_SEVERITY = "*"


def _one(shares: Shares, key: Key, n: int, total: int) -> None:
    share = shares.get(key)
    if share is None:
        shares[key] = Share(n, total)
    else:
        share.n += n
        share.total += total


def _add(shares: Shares, key: Key, n: int = 1, total: int = 0) -> None:
    _one(shares, key, n, total)
    month, team_key, severity, audience, kind, k = key
    _one(shares, (month, ANY_TEAM, severity, audience, kind, k), n, total)
    _one(shares, (month, team_key, ANY_SEVERITY, audience, kind, k), n, total)
    _one(shares, (month, ANY_TEAM, ANY_SEVERITY, audience, kind, k), n, total)


def shares(facts: Iterable[facts_module.Fact], sign: int = 1, *, debt_only: bool = False) -> Shares:
    """What ``facts`` add to the sums (``sign`` -1: what they take away)."""
    out: Shares = {}
    add_to(out, facts, sign, debt_only=debt_only)
    return out


def add_to(
    out: Shares, facts: Iterable[facts_module.Fact], sign: int = 1, *, debt_only: bool = False
) -> None:
    for f in facts:
        audience = f.incident_id if f.restricted else 0
        cell = (f.month, f.team_key, f.severity, audience)
        if f.open_related_items > 0:
            _add(out, (*cell, WITH_DEBT, ""), sign)
        if debt_only:
            continue
        _add(out, (*cell, INCIDENTS, ""), sign)
        for service_id in f.services:
            _add(out, (*cell, SERVICE, str(service_id)), sign)
        for category in f.categories:
            _add(out, (*cell, CATEGORY, category), sign)
        for name, kind in TIMES.items():
            value = getattr(f, name)
            if value is not None:
                _add(out, (*cell, kind, str(bucket(value))), sign, sign * value)
        for item in f.items:
            item_cell = (item.team_key, item.severity, audience)
            _add(out, (item.opened_month, *item_cell, OPENED, ""), sign)
            if item.closed_month is not None:
                _add(out, (item.closed_month, *item_cell, CLOSED, ""), sign)
                if item.done:
                    key = closed_key(item.priority, item.done, item.has_target, item.on_target)
                    _add(out, (item.closed_month, *item_cell, DONE, key), sign)


def stored(incident_ids: Collection[int], *, with_parts: bool = True) -> list[facts_module.Fact]:
    """The stored facts of those incidents, as ``facts.Fact`` (their services, categories
    and items too unless ``with_parts`` is false): what they add to the sums now."""
    ids = list(incident_ids)
    if not ids:
        return []
    found: dict[int, facts_module.Fact] = {}
    for row in IncidentFacts.objects.filter(incident_id__in=ids).values(
        "incident_id",
        "month",
        "started_at",
        "team_key",
        "severity",
        "status",
        "published_at",
        "restricted",
        "open_related_items",
        *DURATIONS,
    ):
        found[row["incident_id"]] = facts_module.Fact(**row)
    if not with_parts or not found:
        return list(found.values())
    for incident_id, service_id in FactService.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "service_id"
    ):
        found[incident_id].services.add(service_id)
    for incident_id, category in FactCategory.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "category"
    ):
        found[incident_id].categories.add(category)
    for row in ItemFacts.objects.filter(incident_id__in=ids).values():
        if row["incident_id"] in found:
            found[row["incident_id"]].items.append(facts_module.ItemFact(**row))
    return list(found.values())


def apply(delta: Shares) -> None:
    """Add ``delta`` to the stored sums (inside the fold's transaction and turn)."""
    delta = {key: s for key, s in delta.items() if s.n or s.total}
    if not delta:
        return
    kinds = {key[4] for key in delta}
    months = {key[0] for key in delta}
    teams = {key[1] for key in delta}
    severities = {key[2] for key in delta}
    existing: dict[Key, tuple[int, int, int]] = {}
    months_list = sorted(months)
    for start in range(0, len(months_list), 200):
        chunk = months_list[start : start + 200]
        rows = MonthSum.objects.filter(
            kind__in=kinds, month__in=chunk, team_key__in=teams, severity__in=severities
        ).values_list(
            "pk", "month", "team_key", "severity", "audience", "kind", "key", "n", "total"
        )
        for pk, *key, n, total in rows:
            k: Key = tuple(key)  # type: ignore[assignment]
            if k in delta:
                existing[k] = (pk, n, total)
    gone: list[int] = []
    written: list[MonthSum] = []
    for key, share in delta.items():
        pk, n, total = existing.get(key, (0, 0, 0))
        if pk:
            gone.append(pk)
        n, total = n + share.n, total + share.total
        if n:
            month, team_key, severity, audience, kind, k = key
            written.append(
                MonthSum(
                    month=month,
                    team_key=team_key,
                    severity=severity,
                    audience=audience,
                    kind=kind,
                    key=k,
                    n=n,
                    total=total,
                )
            )
    for start in range(0, len(gone), 500):
        MonthSum.objects.filter(pk__in=gone[start : start + 500]).delete()
    MonthSum.objects.bulk_create(written, batch_size=1000)


def recompute() -> None:
    """Every sum rewritten from the stored facts (``rebuild``)."""
    MonthSum.objects.all().delete()
    ids = list(IncidentFacts.objects.order_by("incident_id").values_list("incident_id", flat=True))
    total: Shares = {}
    for start in range(0, len(ids), 2000):
        add_to(total, stored(ids[start : start + 2000]))
    apply(total)
