"""An incident's Insights facts, computed from the post-mortem as it is now.

Used twice: by the fold (``services.fold``), which stores them, and by the page for the
incidents logged since the last fold, so a page shows every write at once without
writing. Six queries for any number of incidents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q

from kintsugi.core.insights.categories import categorise
from kintsugi.core.insights.months import month_key
from kintsugi.core.timeline import EventKind, KeyEvent, compute_metrics
from kintsugi.core.vocabulary import ActionStatus
from kintsugi.postmortems.models import ActionItem, Factor, Incident, TimelineEvent

KEY_KINDS = (
    EventKind.IMPACT_STARTED,
    EventKind.ALERT_FIRED,
    EventKind.PAGE_ACKNOWLEDGED,
    EventKind.MITIGATED,
    EventKind.WORKAROUND_APPLIED,
    EventKind.FULLY_RECOVERED,
)
CLOSED = (ActionStatus.DONE.value, ActionStatus.WONT_DO.value)


@dataclass
class ItemFact:
    item_id: int
    incident_id: int
    team_key: int
    severity: str
    priority: str
    opened_month: int  # 202603
    closed_month: int | None
    done: bool
    has_target: bool
    on_target: bool


@dataclass
class Fact:
    incident_id: int
    month: int  # 202603
    started_at: datetime
    team_key: int
    severity: str
    status: str
    published_at: datetime | None
    time_to_detect: int | None = None
    time_to_acknowledge: int | None = None
    time_to_mitigate: int | None = None
    time_to_resolve: int | None = None
    open_related_items: int = 0
    restricted: bool = False
    services: set[int] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    items: list[ItemFact] = field(default_factory=list)
    # A digest of what other incidents' cost of debt reads of this one: its start, its
    # services, its items' creation, closing and completion. Equal before and after a
    # write: no later incident's count can have changed (``services._dependents``).
    debt_key: str = ""


def _seconds(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def compute(incident_ids: Collection[int]) -> dict[int, Fact]:
    """The facts of those of ``incident_ids`` that exist (a deleted one is absent)."""
    ids = list(incident_ids)
    if not ids:
        return {}
    facts: dict[int, Fact] = {}
    ended: dict[int, datetime | None] = {}
    for row in Incident.objects.filter(pk__in=ids).values(
        "pk",
        "started_at",
        "ended_at",
        "team_id",
        "severity",
        "status",
        "published_at",
        "is_restricted",
    ):
        facts[row["pk"]] = Fact(
            incident_id=row["pk"],
            month=month_key(row["started_at"]),
            started_at=row["started_at"],
            team_key=row["team_id"] or 0,
            severity=row["severity"],
            status=row["status"],
            published_at=row["published_at"],
            restricted=row["is_restricted"],
        )
        ended[row["pk"]] = row["ended_at"]
    if not facts:
        return {}
    found = list(facts)
    events: dict[int, list[KeyEvent]] = {}
    for incident_id, kind, at in TimelineEvent.objects.filter(
        incident_id__in=found, kind__in=KEY_KINDS
    ).values_list("incident_id", "kind", "occurred_at"):
        events.setdefault(incident_id, []).append(KeyEvent(EventKind(kind), at))
    for pk, fact in facts.items():
        metrics = compute_metrics(
            events.get(pk, []), started_at=fact.started_at, ended_at=ended[pk]
        )
        fact.time_to_detect = _seconds(metrics.time_to_detect)
        fact.time_to_acknowledge = _seconds(metrics.time_to_acknowledge)
        fact.time_to_mitigate = _seconds(metrics.time_to_mitigate)
        fact.time_to_resolve = _seconds(metrics.time_to_resolve)
    for incident_id, title, description in Factor.objects.filter(incident_id__in=found).values_list(
        "incident_id", "title", "description"
    ):
        facts[incident_id].categories.add(categorise(title, description))
    for incident_id, service_id in Incident.services.through.objects.filter(
        incident_id__in=found
    ).values_list("incident_id", "service_id"):
        facts[incident_id].services.add(service_id)
    debt_parts: dict[int, list[tuple[int, str, bool, str]]] = {pk: [] for pk in facts}
    for row in ActionItem.objects.filter(incident_id__in=found).values(
        "pk", "incident_id", "priority", "status", "created_at", "completed_at", "due_on"
    ):
        fact = facts[row["incident_id"]]
        closed = row["status"] in CLOSED
        debt_parts[fact.incident_id].append(
            (row["pk"], _iso(row["created_at"]), closed, _iso(row["completed_at"]))
        )
        opened = month_key(row["created_at"])
        done = row["status"] == ActionStatus.DONE.value
        closed_at = row["completed_at"] if closed else None
        fact.items.append(
            ItemFact(
                item_id=row["pk"],
                incident_id=fact.incident_id,
                team_key=fact.team_key,
                severity=fact.severity,
                priority=row["priority"],
                opened_month=opened,
                # A closed item without a completion time closed when it was created, as
                # far as anyone can tell.
                # Never before the month it was created (an imported completion time can
                # be earlier): open debt is "created before, minus closed before".
                closed_month=max(month_key(closed_at or row["created_at"]), opened)
                if closed
                else None,
                done=done,
                has_target=done and row["due_on"] is not None,
                on_target=bool(
                    done and row["due_on"] and closed_at and closed_at.date() <= row["due_on"]
                ),
            )
        )
    for pk, count in open_related_counts(found).items():
        facts[pk].open_related_items = count
    for pk, fact in facts.items():
        fact.debt_key = _debt_key(fact, debt_parts[pk])
    return facts


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _debt_key(fact: Fact, items: list[tuple[int, str, bool, str]]) -> str:
    shape = repr((_iso(fact.started_at), sorted(fact.services), sorted(items)))
    return hashlib.blake2b(shape.encode(), digest_size=16).hexdigest()


def open_related_counts(incident_ids: Iterable[int]) -> dict[int, int]:
    """For each incident, the items of earlier incidents sharing a service that were open
    when it began (``core.insights.debt`` says what counts; the tests hold this query to
    it). One query: item -> its incident -> that incident's services -> their incidents."""
    later = "incident__services__incidents"
    start = F(f"{later}__started_at")
    condition = Q(
        **{f"{later}__in": list(incident_ids)},
        incident__started_at__lt=start,
        created_at__lte=start,
    ) & (~Q(status__in=CLOSED) | Q(completed_at__gt=start))
    condition &= ~Q(incident_id=F(f"{later}__id"))
    rows = (
        ActionItem.objects.filter(condition)
        .values(f"{later}__id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row[f"{later}__id"]: row["n"] for row in rows}
