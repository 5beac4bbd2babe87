"""Writes of the Insights facts: the fold of the logged incidents, and a full rebuild.

Only the ``insights`` command (and tests) call these; a page never writes. The fold reads
the log up to its newest row, recomputes those incidents' facts (``facts.compute``),
replaces their rows and deletes the log rows it read, one transaction per batch: a write
logged meanwhile has a newer row and is folded next time.

An incident's "cost of debt" also depends on other incidents: when an item of an earlier
incident sharing a service opens or closes, later incidents' counts change. The fold
therefore recounts the later incidents sharing a service with each folded one (those it
shared before the write, read from the stored rows, and after).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q

from kintsugi.insights import facts as facts_module
from kintsugi.insights import sums
from kintsugi.insights.models import (
    FactCategory,
    FactLog,
    FactService,
    FoldLock,
    IncidentFacts,
    ItemFacts,
    ItemMonth,
)
from kintsugi.postmortems.models import Incident

BATCH = 500


@dataclass
class FoldReport:
    incidents: int = 0
    dependents: int = 0

    def __str__(self) -> str:
        return f"{self.incidents} incidents folded in, {self.dependents} later ones recounted"


def _chunks(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _store(
    batch: list[int], found: dict[int, facts_module.Fact], *, keep_sums: bool = True
) -> None:
    if keep_sums:  # the stored rows' share out, the new rows' in
        delta = sums.shares(sums.stored(batch), -1)
        sums.add_to(delta, found.values())
        sums.apply(delta)
    for model in (FactService, FactCategory, ItemFacts):
        model.objects.filter(incident_id__in=batch).delete()
    IncidentFacts.objects.filter(incident_id__in=batch).delete()
    IncidentFacts.objects.bulk_create(
        IncidentFacts(
            incident_id=f.incident_id,
            month=f.month,
            started_at=f.started_at,
            team_key=f.team_key,
            severity=f.severity,
            status=f.status,
            published_at=f.published_at,
            time_to_detect=f.time_to_detect,
            time_to_acknowledge=f.time_to_acknowledge,
            time_to_mitigate=f.time_to_mitigate,
            time_to_resolve=f.time_to_resolve,
            open_related_items=f.open_related_items,
            restricted=f.restricted,
            debt_key=f.debt_key,
        )
        for f in found.values()
    )
    FactService.objects.bulk_create(
        FactService(
            incident_id=f.incident_id,
            service_id=s,
            month=f.month,
            team_key=f.team_key,
            severity=f.severity,
        )
        for f in found.values()
        for s in sorted(f.services)
    )
    FactCategory.objects.bulk_create(
        FactCategory(
            incident_id=f.incident_id,
            category=c,
            month=f.month,
            team_key=f.team_key,
            severity=f.severity,
        )
        for f in found.values()
        for c in sorted(f.categories)
    )
    ItemFacts.objects.bulk_create(
        ItemFacts(**vars(item)) for f in found.values() for item in f.items
    )


def _dependents(batch: list[int], found: dict[int, facts_module.Fact]) -> list[int]:
    """Incidents that began after a folded one whose debt changed and share a service with
    it, before or after the write. A fold of edits that leave every item's dates and
    status, the services and the start alone (a timeline event, a factor, the severity)
    recounts nobody: only a changed ``debt_key`` can change a later incident's count."""
    stored_keys = dict(
        IncidentFacts.objects.filter(incident_id__in=batch).values_list("incident_id", "debt_key")
    )
    changed = [
        pk
        for pk in batch
        if pk not in found or pk not in stored_keys or stored_keys[pk] != found[pk].debt_key
    ]
    if not changed:
        return []
    stored = FactService.objects.filter(incident_id__in=changed)
    services = set(stored.values_list("service_id", flat=True))
    services.update(s for pk in changed if pk in found for s in found[pk].services)
    if not services:
        return []
    starts = [found[pk].month for pk in changed if pk in found]
    earliest = IncidentFacts.objects.filter(incident_id__in=changed).aggregate(m=Min("month"))["m"]
    if earliest is not None:
        starts.append(earliest)
    if not starts:
        return []
    later = (
        FactService.objects.filter(service_id__in=services, month__gte=min(starts))
        .exclude(incident_id__in=batch)
        .values_list("incident_id", flat=True)
        .distinct()
    )
    return sorted(set(later))


def _recount(incident_ids: list[int]) -> None:
    for chunk in _chunks(incident_ids):
        counts = facts_module.open_related_counts(chunk)
        before = sums.stored(chunk, with_parts=False)
        delta = sums.shares(before, -1, debt_only=True)
        for fact in before:
            fact.open_related_items = counts.get(fact.incident_id, 0)
        sums.add_to(delta, before, debt_only=True)
        sums.apply(delta)
        IncidentFacts.objects.bulk_update(
            [IncidentFacts(incident_id=pk, open_related_items=counts.get(pk, 0)) for pk in chunk],
            ["open_related_items"],
        )


def _lock() -> None:
    """Take the fold's turn (first statement of its transaction: a row lock on
    PostgreSQL, the write lock on SQLite)."""
    if not FoldLock.objects.filter(pk=1).update(passes=F("passes") + 1):
        FoldLock.objects.get_or_create(pk=1)
        FoldLock.objects.filter(pk=1).update(passes=F("passes") + 1)


def _pairs(batch: list[int]) -> set[tuple[int, str]]:
    rows = ItemFacts.objects.filter(incident_id__in=batch).values_list("team_key", "severity")
    return set(rows.distinct())


def _resum(pairs: set[tuple[int, str]] | None) -> None:
    """Rewrite ``ItemMonth`` for those (team, severity) pairs (all of them: ``None``)."""
    if pairs is not None and not pairs:
        return
    rows = ItemMonth.objects.all()
    items = ItemFacts.objects.all()
    if pairs is not None:
        which = Q()
        for team_key, severity in pairs:
            which |= Q(team_key=team_key, severity=severity)
        rows, items = rows.filter(which), items.filter(which)
    rows.delete()
    sums: dict[tuple[int, str, int], list[int]] = {}
    for team_key, severity, month, n in (
        items.values_list("team_key", "severity", "opened_month").annotate(n=Count("*")).order_by()
    ):
        sums.setdefault((team_key, severity, month), [0, 0])[0] += n
    for team_key, severity, month, n in (
        items.filter(closed_month__isnull=False)
        .values_list("team_key", "severity", "closed_month")
        .annotate(n=Count("*"))
        .order_by()
    ):
        sums.setdefault((team_key, severity, month), [0, 0])[1] += n
    ItemMonth.objects.bulk_create(
        (
            ItemMonth(team_key=t, severity=s, month=m, opened=o, closed=c)
            for (t, s, m), (o, c) in sums.items()
        ),
        batch_size=1000,
    )


def fold(*, limit: int | None = None) -> FoldReport:
    """Fold the logged incidents into the stored facts (at most ``limit`` of them)."""
    report = FoldReport()
    newest = FactLog.objects.aggregate(m=Max("pk"))["m"]
    if newest is None:
        return report
    logged = FactLog.objects.filter(pk__lte=newest).values_list("incident_id", flat=True)
    ids = sorted(set(logged))
    if limit is not None:
        ids = ids[:limit]
    for batch in _chunks(ids):
        with transaction.atomic():
            _lock()
            found = facts_module.compute(batch)
            dependents = _dependents(batch, found)
            pairs = _pairs(batch)  # before and after the write
            _store(batch, found)
            pairs |= _pairs(batch)
            _recount(dependents)
            _resum(pairs)
            FactLog.objects.filter(pk__lte=newest, incident_id__in=batch).delete()
        report.incidents += len(batch)
        report.dependents += len(dependents)
    return report


def rebuild() -> FoldReport:
    """Recompute every incident's facts (after an upgrade, or to check the fold)."""
    report = FoldReport()
    newest = FactLog.objects.aggregate(m=Max("pk"))["m"] or 0
    ids = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        stale = IncidentFacts.objects.exclude(incident_id__in=Incident.objects.values("pk"))
        gone = list(stale.values_list("incident_id", flat=True))
        for chunk in _chunks(gone):
            _store(chunk, {})
    for batch in _chunks(ids):
        with transaction.atomic():
            _lock()
            _store(batch, facts_module.compute(batch), keep_sums=False)
        report.incidents += len(batch)
    with transaction.atomic():
        _lock()
        _resum(None)
        sums.recompute()
        FactLog.objects.filter(pk__lte=newest).delete()
    return report
