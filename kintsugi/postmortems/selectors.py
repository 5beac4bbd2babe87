"""Reads of post-mortems, with a constant number of queries whatever the data size.

Lists select the related team in the same query and prefetch many-to-many relations once
per page; the detail view loads each section with one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from kintsugi.accounts.models import User
from kintsugi.core.timeline import EventKind, KeyEvent, TimelineMetrics, compute_metrics
from kintsugi.core.vocabulary import ActionStatus
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson
from kintsugi.teams.models import Service


@dataclass
class IncidentFilters:
    status: str = ""
    severity: str = ""
    team: str = ""  # slug
    service: str = ""  # slug
    q: str = ""
    errors: list[str] = field(default_factory=list)


def incident_list(*, user: User, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    filters = filters or IncidentFilters()
    queryset = access.visible_incidents(user).select_related("team")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.severity:
        queryset = queryset.filter(severity=filters.severity)
    if filters.team:
        queryset = queryset.filter(team__slug=filters.team)
    if filters.service:
        service_ids = Service.objects.filter(slug=filters.service).values("pk")
        queryset = queryset.filter(
            pk__in=Incident.services.through.objects.filter(service_id__in=service_ids).values(
                "incident_id"
            )
        )
    if filters.q:
        queryset = queryset.filter(title__icontains=filters.q)
    return queryset.order_by("-started_at", "-id")


def with_list_details(page: list[Incident]) -> list[Incident]:
    """Attach services and open action counts to one page of incidents (two queries)."""
    ids = [incident.pk for incident in page]
    if not ids:
        return page
    services: dict[int, list[Service]] = {pk: [] for pk in ids}
    through = Incident.services.through.objects.filter(incident_id__in=ids).select_related(
        "service"
    )
    for row in through:
        services[row.incident_id].append(row.service)
    counts = {
        row["incident_id"]: row
        for row in ActionItem.objects.filter(incident_id__in=ids)
        .values("incident_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status__in=[ActionStatus.DONE, ActionStatus.WONT_DO])),
        )
    }
    for incident in page:
        incident.service_list = sorted(services[incident.pk], key=lambda s: s.name)  # type: ignore[attr-defined]
        row = counts.get(incident.pk, {"total": 0, "open": 0})
        incident.action_total = row["total"]  # type: ignore[attr-defined]
        incident.action_open = row["open"]  # type: ignore[attr-defined]
    return page


# The event kinds compute_metrics reads; the rest of a long timeline is skipped early.
_METRIC_KINDS = frozenset(
    kind.value
    for kind in (
        EventKind.IMPACT_STARTED,
        EventKind.ALERT_FIRED,
        EventKind.PAGE_ACKNOWLEDGED,
        EventKind.MITIGATED,
        EventKind.WORKAROUND_APPLIED,
        EventKind.FULLY_RECOVERED,
    )
)


@dataclass(frozen=True, slots=True)
class PersonRef:
    """The little of a user that a timeline row shows."""

    pk: int
    username: str
    display_name: str


@dataclass(slots=True)
class EventRow:
    """One timeline event, read-only, with the attribute names of ``TimelineEvent``.

    A post-mortem can have hundreds of events; building model instances for them costs
    three times as much as these plain rows, and the page only reads them. Not a frozen
    dataclass, although nothing writes to it: a frozen one takes five times as long to
    build (every field goes through ``object.__setattr__``), 1 ms on 500 events.
    """

    pk: int
    incident_id: int
    occurred_at: datetime
    kind: str
    text: str
    evidence_url: str
    version: int
    author_id: int | None
    author: PersonRef | None

    @property
    def id(self) -> int:
        return self.pk


def timeline_rows(incident: Incident) -> list[EventRow]:
    """The incident's timeline in order, with authors, in one query."""
    rows = incident.events.order_by("occurred_at", "id").values_list(
        "id", "occurred_at", "kind", "text", "evidence_url", "version",
        "author_id", "author__username", "author__first_name", "author__last_name",
    )  # fmt: skip
    events = []
    people: dict[int, PersonRef] = {}  # a timeline has few authors: one PersonRef each
    incident_id = incident.pk
    for pk, at, kind, text, url, version, author_id, username, first, last in rows:
        author = None
        if author_id is not None:
            author = people.get(author_id)
            if author is None:
                full_name = f"{first} {last}".strip()
                author = people[author_id] = PersonRef(author_id, username, full_name or username)
        events.append(EventRow(pk, incident_id, at, kind, text, url, version, author_id, author))
    return events


@dataclass
class PostmortemView:
    incident: Incident
    events: list[EventRow]
    factors: list[Factor]
    lessons: dict[str, list[Lesson]]
    action_items: list[ActionItem]
    metrics: TimelineMetrics
    can_edit: bool
    why_version: int  # the 5 Whys tree's version (kintsugi.analysis), read with the incident


def postmortem_detail(*, user: User, pk: object) -> PostmortemView:
    incident = access.get_incident(
        user,
        pk,
        queryset=Incident.objects.select_related("team", "created_by")
        .prefetch_related("services", "authors")
        # The 5 Whys tree's version, which its section would otherwise read on its own.
        .annotate(why_version=Coalesce("why_analysis__version", 0)),
    )
    events = timeline_rows(incident)
    factors = list(incident.factors.prefetch_related(Prefetch("evidence")))
    lessons: dict[str, list[Lesson]] = {"went_well": [], "went_poorly": [], "got_lucky": []}
    for lesson in incident.lessons.all():
        lessons.setdefault(lesson.kind, []).append(lesson)
    action_items = list(incident.action_items.select_related("owner", "factor"))
    metrics = compute_metrics(
        [
            KeyEvent(EventKind(event.kind), event.occurred_at)
            for event in events
            if event.kind in _METRIC_KINDS  # notes and investigation steps do not count
        ],
        started_at=incident.started_at,
        ended_at=incident.ended_at,
    )
    return PostmortemView(
        incident=incident,
        events=events,
        factors=factors,
        lessons=lessons,
        action_items=action_items,
        metrics=metrics,
        can_edit=access.can_edit(user, incident),
        why_version=incident.why_version,  # type: ignore[attr-defined]
    )
