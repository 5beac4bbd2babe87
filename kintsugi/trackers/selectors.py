"""What the action item rows show of the tracker: in one query per list.

The post-mortem page's query count is pinned (tests/web/test_detail.py): the links of the
incident's items and whether its team has a tracker come back in one UNION.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import CharField, IntegerField, QuerySet, Value

from kintsugi.accounts.models import User
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.teams.models import Membership
from kintsugi.trackers.models import JobState, SyncJob, TicketLink, TrackerConnection


@dataclass(frozen=True)
class TicketState:
    key: str  # empty while the create is waiting
    url: str
    sync_error: str
    conflict: str
    remote_assignee: str
    closed_by: str


@dataclass
class TicketStates:
    offer: bool = False  # the team has a tracker: "Create ticket" and "Link ticket"
    by_item: dict[int, TicketState] = field(default_factory=dict)


_COLUMNS = (
    "action_item_id",
    "key",
    "url",
    "sync_error",
    "conflict",
    "remote_assignee",
    "closed_by",
)


def ticket_states(incident: Incident) -> TicketStates:
    links = (
        TicketLink.objects.filter(action_item__incident_id=incident.pk)
        .order_by()
        .values_list(*_COLUMNS)
    )
    if incident.team_id is None:
        rows = list(links)
    else:
        # Item id 0 (no item has it) marks "the team has an active connection".
        text = [Value("", output_field=CharField()) for _ in _COLUMNS[1:]]
        team = TrackerConnection.objects.filter(team_id=incident.team_id, is_active=True).order_by()
        marker = team.values_list(Value(0, output_field=IntegerField()), *text)
        rows = list(links.union(marker, all=True))
    states = TicketStates()
    for item_id, *rest in rows:
        if item_id == 0:
            states.offer = True
        else:
            states.by_item[item_id] = TicketState(*rest)
    return states


def connections_visible_to(user: User) -> QuerySet[TrackerConnection]:
    """The connections a person may list (the API): admins all, others their teams'.

    Team-scoped like the action items they hold: a member sees which tracker their team
    uses, never another team's. Secrets are not in what a caller is shown."""
    rows = TrackerConnection.objects.select_related("team").order_by("name", "pk")
    if access.is_admin(user):
        return rows
    mine = Membership.objects.filter(user_id=user.pk).values("team_id")
    return rows.filter(team_id__in=mine)


@dataclass(frozen=True)
class SyncState:
    """What the API says of an item's ticket: where it is, and how the sync stands."""

    state: str  # "none", "creating", "synced", "failed"
    connection: str | None
    key: str
    url: str
    sync_error: str
    conflict: str
    remote_assignee: str
    closed_by: str
    last_synced_at: datetime | None
    jobs_waiting: int


def sync_state(item: ActionItem) -> SyncState:
    """Two queries: the link (with its connection) and its waiting jobs."""
    link = TicketLink.objects.select_related("connection").filter(action_item=item).first()
    if link is None:
        return SyncState("none", None, "", "", "", "", "", "", None, 0)
    waiting = SyncJob.objects.filter(link=link, state=JobState.WAITING).count()
    if link.sync_error:
        state = "failed"
    elif not link.key:
        state = "creating"
    else:
        state = "synced"
    return SyncState(
        state=state,
        connection=link.connection.name,
        key=link.key,
        url=link.url,
        sync_error=link.sync_error,
        conflict=link.conflict,
        remote_assignee=link.remote_assignee,
        closed_by=link.closed_by,
        last_synced_at=link.last_synced_at,
        jobs_waiting=waiting,
    )
