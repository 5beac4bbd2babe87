"""Reads of post-mortems, with a constant number of queries whatever the data size.

Lists select the related team in the same query and prefetch many-to-many relations once
per page; the detail view loads each section with one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import router
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from kintsugi.accounts.models import User, full_name
from kintsugi.core.timeline import KEY_KINDS, EventKind, KeyEvent, TimelineMetrics, compute_metrics
from kintsugi.core.vocabulary import ActionStatus
from kintsugi.django_internals import PreparedRead, attnames
from kintsugi.postmortems import access
from kintsugi.postmortems.models import (
    ActionItem,
    Evidence,
    Factor,
    Incident,
    Lesson,
    TimelineEvent,
)
from kintsugi.teams.models import Service, Team


@dataclass
class IncidentFilters:
    status: str = ""
    severity: str = ""
    team: str = ""  # slug
    service: str = ""  # slug
    q: str = ""
    errors: list[str] = field(default_factory=list)


def incident_list(*, user: User, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    queryset = access.visible_incidents(user).select_related("team")
    return _filtered(queryset, filters or IncidentFilters()).order_by("-started_at", "-id")


def incident_list_keys(*, user: User, filters: IncidentFilters | None = None) -> QuerySet[Any]:
    """The ids of ``incident_list``, in its order, for a page to slice (``incidents_of``).

    A deferred join: the list page's later pages skip thousands of incidents, and reading
    only their ids (the ``(started_at, id)`` index, the short list of incidents hidden from
    the reader checked once: ``access.visible_through``) costs a fraction of reading, and
    joining the team of, every skipped row. The same incidents as ``incident_list``.
    """
    queryset = Incident.objects.filter(access.visible_through(user, "pk"))
    filtered = _filtered(queryset, filters or IncidentFilters())
    return filtered.order_by("-started_at", "-id").values_list("pk", flat=True)


def incidents_of(keys: QuerySet[Any]) -> list[Incident]:
    """The incidents of a slice of ``incident_list_keys`` with their teams, in its order
    (one query: the slice is a subquery)."""
    rows = Incident.objects.select_related("team").filter(pk__in=keys)
    return list(rows.order_by("-started_at", "-id"))


def _filtered(queryset: QuerySet[Incident], filters: IncidentFilters) -> QuerySet[Incident]:
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
    return queryset


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


@dataclass(frozen=True, slots=True)
class PersonRef:
    """The little of a user that a timeline row shows."""

    pk: int
    username: str
    display_name: str

    @classmethod
    def of(cls, pk: int, username: str, first_name: str, last_name: str) -> PersonRef:
        """From the user's columns, named as ``User.display_name`` names them."""
        return cls(pk, username, full_name(first_name, last_name) or username)


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """The little of a service that the summary shows and an export writes."""

    pk: int
    name: str
    slug: str


def _people_and_services(incident_id: int) -> QuerySet[Incident]:
    def label(text: str) -> Value:
        return Value(text, output_field=CharField())

    services = Incident.services.through.objects.filter(incident_id=incident_id).values_list(
        label("service"), "service_id", "service__name", "service__slug", label("")
    )
    authors, members = (
        through.objects.filter(incident_id=incident_id).values_list(
            label(role), "user_id", "user__username", "user__first_name", "user__last_name"
        )
        for role, through in (
            ("author", Incident.authors.through),
            ("member", Incident.members.through),
        )
    )
    return services.union(authors, members, all=True)  # type: ignore[return-value]


# The incident's services, authors and members: one round trip instead of three.
_PEOPLE_AND_SERVICES = PreparedRead(_people_and_services)


@dataclass
class Involved:
    services: list[ServiceRef] = field(default_factory=list)
    authors: list[PersonRef] = field(default_factory=list)
    members: list[PersonRef] = field(default_factory=list)


def involved(incident_id: int) -> Involved:
    """Sorted as the models sort them: services by name, people by username."""
    found = Involved()
    for role, pk, first, second, third in _PEOPLE_AND_SERVICES.rows(incident_id):
        if role == "service":
            found.services.append(ServiceRef(pk, first, second))
        else:
            person = PersonRef.of(pk, first, second, third)
            (found.authors if role == "author" else found.members).append(person)
    found.services.sort(key=lambda service: service.name)
    found.authors.sort(key=lambda person: person.username)
    found.members.sort(key=lambda person: person.username)
    return found


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
    author_name: str  # an imported file's author who is not a user (yet)

    @property
    def id(self) -> int:
        return self.pk


_TIMELINE = PreparedRead(
    lambda incident_id: (
        TimelineEvent.objects.filter(incident_id=incident_id)
        .order_by("occurred_at", "id")
        .values_list(
            "id",
            "occurred_at",
            "kind",
            "text",
            "evidence_url",
            "version",
            "author_id",
            "author__username",
            "author__first_name",
            "author__last_name",
            "author_name",
        )
    )  # fmt: skip
)


def timeline_rows(incident: Incident) -> list[EventRow]:
    """The incident's timeline in order, with authors, in one query."""
    rows = _TIMELINE.rows(incident.pk)
    events = []
    people: dict[int, PersonRef] = {}  # a timeline has few authors: one PersonRef each
    incident_id = incident.pk
    for pk, at, kind, text, url, version, author_id, username, first, last, name in rows:
        author = None
        if author_id is not None:
            author = people.get(author_id)
            if author is None:
                author = people[author_id] = PersonRef.of(author_id, username, first, last)
        events.append(
            EventRow(pk, incident_id, at, kind, text, url, version, author_id, author, name)
        )
    return events


_FACTOR_FIELDS = attnames(Factor)
_EVIDENCE_FIELDS = attnames(Evidence)
_FACTORS = PreparedRead(
    lambda incident_id: (
        Factor.objects.filter(incident_id=incident_id)
        .order_by("position", "id", "evidence__id")
        .values_list(*_FACTOR_FIELDS, *(f"evidence__{name}" for name in _EVIDENCE_FIELDS))
    )
)
_LESSON_FIELDS = attnames(Lesson)
_LESSONS = PreparedRead(
    lambda incident_id: Lesson.objects.filter(incident_id=incident_id).values_list(*_LESSON_FIELDS)
)
_ACTION_FIELDS = attnames(ActionItem)
_OWNER_FIELDS = ["id", "username", "first_name", "last_name"]
_ACTION_ITEMS = PreparedRead(
    lambda incident_id: ActionItem.objects.filter(incident_id=incident_id).values_list(
        *_ACTION_FIELDS, *(f"owner__{name}" for name in _OWNER_FIELDS)
    )
)


_INCIDENT_FIELDS = attnames(Incident)
_TEAM_FIELDS = attnames(Team)


def _incident_columns(queryset: QuerySet[Incident], *extra: str) -> QuerySet[Incident]:
    return queryset.annotate(
        # The 5 Whys tree's version, which its section would otherwise read on its own.
        why_version=Coalesce("why_analysis__version", 0)
    ).values_list(
        *_INCIDENT_FIELDS, *(f"team__{name}" for name in _TEAM_FIELDS), "why_version", *extra
    )


# Which incidents a person may see is decided in access.py (``sight``); these are the
# two shapes of its answer that see anything.
_INCIDENT_FOR_ADMIN = PreparedRead(
    lambda pk: _incident_columns(Incident.objects.filter(pk=pk))
)  # fmt: skip
_INCIDENT_FOR_NON_ADMIN = PreparedRead(
    lambda pk, user_id: _incident_columns(
        access.with_team_role(
            user_id, Incident.objects.filter(access.visible_to_non_admin(user_id), pk=pk)
        ),
        access.TEAM_ROLE,  # the reader's role in its team, for ``can_edit``
    )
)


def _visible_incident(user: User, pk: object) -> Incident:
    """``access.get_incident`` with its team and 5 Whys version, read without compiling."""
    key = access.incident_key(pk)
    seen = access.sight(user)
    if seen is access.Sight.NOTHING:
        raise Http404("No such incident.")
    if seen is access.Sight.EVERYTHING:
        rows = _INCIDENT_FOR_ADMIN.rows(key)
    else:
        rows = _INCIDENT_FOR_NON_ADMIN.rows(key, user.pk)
    if not rows:
        raise Http404("No such incident.")
    db = router.db_for_read(Incident)
    row = rows[0]
    width, team_width = len(_INCIDENT_FIELDS), len(_TEAM_FIELDS)
    incident = Incident.from_db(db, _INCIDENT_FIELDS, row[:width])
    team_row = row[width : width + team_width]
    incident.team = Team.from_db(db, _TEAM_FIELDS, team_row) if team_row[0] is not None else None
    incident.why_version = row[width + team_width]  # type: ignore[attr-defined]
    if seen is access.Sight.INVOLVED:
        setattr(incident, access.TEAM_ROLE, row[-1])
    return incident


def _factors(incident_id: int, db: str) -> list[Factor]:
    """Each factor with its evidence (``Factor.loaded_evidence``), in one query."""
    factors: list[Factor] = []
    width = len(_FACTOR_FIELDS)
    for row in _FACTORS.rows(incident_id):
        if not factors or factors[-1].pk != row[0]:
            factors.append(Factor.from_db(db, _FACTOR_FIELDS, row[:width]))
            factors[-1].loaded_evidence = []
        if row[width] is not None:  # a factor without evidence: the join found none
            link = Evidence.from_db(db, _EVIDENCE_FIELDS, row[width:])
            factors[-1].loaded_evidence.append(link)  # type: ignore[union-attr]
    return factors


def _action_items(incident: Incident, db: str, factors: list[Factor]) -> list[ActionItem]:
    """In the model's order, with owners (the few fields a page shows; the rest deferred),
    the factors read above and their incident (each row's policy reads its team)."""
    by_pk = {factor.pk: factor for factor in factors}
    width = len(_ACTION_FIELDS)
    items = []
    for row in _ACTION_ITEMS.rows(incident.pk):
        item = ActionItem.from_db(db, _ACTION_FIELDS, row[:width])
        owner = None
        if row[width] is not None:
            owner = User.from_db(db, _OWNER_FIELDS, row[width:])
        item.owner = owner
        item.factor = by_pk.get(item.factor_id) if item.factor_id else None
        item.incident = incident
        items.append(item)
    return items


@dataclass
class PostmortemView:
    incident: Incident
    events: list[EventRow]
    factors: list[Factor]
    lessons: dict[str, list[Lesson]]
    action_items: list[ActionItem]
    metrics: TimelineMetrics
    can_edit: bool
    why_version: int  # the 5 Whys tree's version (kintsugi.five_whys), read with the incident
    involved: Involved  # services, authors, members


def postmortem_detail(*, user: User, pk: object) -> PostmortemView:
    incident = _visible_incident(user, pk)
    events = timeline_rows(incident)
    db = incident._state.db
    factors = _factors(incident.pk, db)
    lessons: dict[str, list[Lesson]] = {"went_well": [], "went_poorly": [], "got_lucky": []}
    for row in _LESSONS.rows(incident.pk):
        lesson = Lesson.from_db(db, _LESSON_FIELDS, row)
        lessons.setdefault(lesson.kind, []).append(lesson)
    action_items = _action_items(incident, db, factors)
    metrics = compute_metrics(
        [
            KeyEvent(EventKind(event.kind), event.occurred_at)
            for event in events
            if event.kind in KEY_KINDS  # notes and investigation steps do not count
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
        can_edit=access.edits_seen_incident(user, incident),  # get_incident: the rest
        why_version=incident.why_version,  # type: ignore[attr-defined]
        involved=involved(incident.pk),
    )
