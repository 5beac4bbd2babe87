"""What a post-mortem page shows about its debt: completion, overdue items, recurrence.

The web app includes ``debt/_postmortem_debt.html`` through the ``postmortem_debt`` tag;
everything it needs comes from :func:`postmortem_debt` with no query of its own (the page
has the items). Recurrence looks across other incidents and is the dearest part of the
page (a nested query and its rows, 5–8 ms), so the box loads it afterwards
(:func:`recurrence`, ``/debt/incidents/<pk>/recurrence/``) and the document shows first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kintsugi.accounts.models import User
from kintsugi.core.debt.policy import DuePolicy
from kintsugi.core.debt.states import DebtState
from kintsugi.core.vocabulary import Priority
from kintsugi.debt.selectors.expressions import is_open
from kintsugi.debt.selectors.items import ItemRow, describe
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Incident

RECURRENCE_LIMIT = 8
# How many of the most recent earlier incidents on the same services are searched.
RECURRENCE_INCIDENTS = 200


@dataclass
class PostmortemDebt:
    incident: Incident
    policy: DuePolicy
    rows: list[ItemRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    def _count(self, *states: DebtState) -> list[ItemRow]:
        return [row for row in self.rows if row.state in states]

    @property
    def closed(self) -> int:
        return len(self._count(DebtState.DONE_ON_TIME, DebtState.DONE_LATE, DebtState.WONT_DO))

    @property
    def done(self) -> int:
        return len(self._count(DebtState.DONE_ON_TIME, DebtState.DONE_LATE))

    @property
    def completion_percent(self) -> int | None:
        """Closed items out of all, rounded down (a single open item keeps it under 100)."""
        return None if not self.rows else self.closed * 100 // self.total

    @property
    def overdue(self) -> list[ItemRow]:
        return self._count(DebtState.OVERDUE)

    @property
    def at_risk(self) -> list[ItemRow]:
        return self._count(DebtState.AT_RISK)

    @property
    def exceptions(self) -> list[ItemRow]:
        return [row for row in self.rows if row.item.is_due_exception]

    @property
    def policy_lines(self) -> list[tuple[Priority, str]]:
        return [(priority, self.policy.describe(priority)) for priority in Priority]


def postmortem_debt(
    *,
    incident: Incident,
    today: date,
    book: PolicyBook,
    items: Sequence[ActionItem] | None = None,
) -> PostmortemDebt:
    """The debt of one incident the user may see (the caller checked).

    ``items`` are the incident's action items when the caller has them already (the
    post-mortem page does): every one of them, any order. Otherwise they cost a query.
    """
    if items is None:
        items = incident.action_items.select_related("owner")
    # The order the lists (overdue, at risk, exceptions) show: priority, then target date.
    ordered = sorted(items, key=lambda item: (item.priority, item.due_on or date.max, item.pk))
    for item in ordered:
        item.incident = incident
    return PostmortemDebt(
        incident=incident,
        policy=book.for_team(incident.team_id),
        rows=[describe(item, today, book) for item in ordered],
    )


@dataclass
class Recurrence:
    rows: list[ItemRow]
    more: bool  # there are more than ``rows`` (the box links to the full list)


def recurrence(user: User, incident: Incident, today: date, book: PolicyBook) -> Recurrence:
    """The first open items of earlier incidents on the same services, among the incidents
    ``user`` may see, and whether there are more.

    One query (it was three round trips) made of nested, bounded subqueries, each a step
    the planner cannot reorder (a LIMIT keeps a subquery whole): the most recent earlier
    incidents first (bounded), so the item search walks the per-incident index; then the
    few item ids in target-date order; only then those rows with their incident. Joining
    first lets PostgreSQL scan every open item in target-date order, or merge-join against
    every incident (hundreds of milliseconds on 200,000 items).
    """
    through = Incident.services.through.objects
    service_ids = through.filter(incident_id=incident.pk).values("service_id")
    earlier = (
        access.visible_incidents(user)
        .filter(
            started_at__lt=incident.started_at,
            pk__in=through.filter(service_id__in=service_ids).values("incident_id"),
        )
        .order_by("-started_at")
        .values("pk")[:RECURRENCE_INCIDENTS]
    )
    order = ("due_on", "created_at", "id")
    picked = (
        ActionItem.objects.filter(is_open(), incident_id__in=earlier)
        .order_by(*order)
        .values("pk")[: RECURRENCE_LIMIT + 1]
    )
    # With their incident (reference, title; start and team for the policy date), which is
    # all the debt box shows of them.
    found = list(
        ActionItem.objects.filter(pk__in=picked).select_related("incident").order_by(*order)
    )
    rows = [describe(item, today, book) for item in found[:RECURRENCE_LIMIT]]
    return Recurrence(rows=rows, more=len(found) > RECURRENCE_LIMIT)
