"""What the action item rows show of the tracker: in one query per list.

The post-mortem page's query count is pinned (tests/web/test_detail.py): the links of the
incident's items and whether its team has a tracker come back in one UNION.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, IntegerField, Value

from kintsugi.postmortems.models import Incident
from kintsugi.trackers.models import TicketLink, TrackerConnection


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
