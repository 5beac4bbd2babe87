"""Action items as the core's :class:`ActionSnapshot`, built with three queries for any number.

The agenda, the reminders, the sprint report and the tests' reference aggregates all read
snapshots, so the rules of ``kintsugi.core.debt`` run unchanged on stored data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from kintsugi.accounts.models import full_name
from kintsugi.core.debt.items import ActionSnapshot, ReviewNote
from kintsugi.core.debt.policy import default_due_on
from kintsugi.core.vocabulary import ActionStatus, Priority, Severity
from kintsugi.debt.models import ReviewMark
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.postmortems.models import ActionItem, Incident

_FIELDS = (
    "id",
    "title",
    "priority",
    "status",
    "created_at",
    "policy_due_on",
    "due_on",
    "completed_at",
    "status_reason",
    "ticket_id",
    "ticket_url",
    "estimate",
    "planned_sprint",
    "incident_id",
    "incident__title",
    "incident__severity",
    "incident__started_at",
    "incident__team_id",
    "incident__team__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def services_by_incident(incident_ids: QuerySet | Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Service names per incident, in one query."""
    through = Incident.services.through.objects.filter(incident_id__in=incident_ids)
    names: dict[int, list[str]] = {}
    for incident_id, name in through.values_list("incident_id", "service__name").order_by(
        "incident_id", "service__name"
    ):
        names.setdefault(incident_id, []).append(name)
    return {key: tuple(value) for key, value in names.items()}


def latest_reviews(items: QuerySet[ActionItem]) -> dict[int, ReviewNote]:
    """The latest review mark of each item, in one query."""
    marks = ReviewMark.objects.filter(action_item_id__in=items.values("pk")).order_by(
        "action_item_id", "-reviewed_at", "-id"
    )
    latest: dict[int, ReviewNote] = {}
    for item_id, reviewed_at, reviewer, note in marks.values_list(
        "action_item_id", "reviewed_at", "reviewer_name", "note"
    ):
        if item_id not in latest:
            latest[item_id] = ReviewNote(reviewed_at=reviewed_at, reviewer=reviewer, note=note)
    return latest


def action_snapshots(
    items: QuerySet[ActionItem],
    *,
    book: PolicyBook,
    base_url: str = "",
) -> list[ActionSnapshot]:
    """Snapshots of ``items`` (already filtered for access by the caller).

    ``base_url`` makes the links absolute (emails, Slack). Messages that leave Kintsugi
    are cut per recipient from these (``kintsugi.core.debt.redaction``).
    """
    rows = list(items.order_by().values_list(*_FIELDS))
    services = services_by_incident(items.order_by().values("incident_id"))
    reviews = latest_reviews(items)
    incident_urls: dict[int, str] = {}
    snapshots = []
    for row in rows:
        (
            pk,
            title,
            priority,
            status,
            created_at,
            policy_due_on,
            due_on,
            completed_at,
            status_reason,
            ticket_id,
            ticket_url,
            estimate,
            planned_sprint,
            incident_id,
            incident_title,
            severity,
            started_at,
            team_id,
            team_name,
            owner,
            owner_first,
            owner_last,
        ) = row
        policy = book.for_team(team_id)
        if policy_due_on is None:  # rows written outside the services (bulk loads)
            policy_due_on = default_due_on(started_at, Priority(priority), policy)
        incident_url = incident_urls.get(incident_id)
        if incident_url is None:
            incident_url = base_url + reverse("postmortem-detail", args=[incident_id])
            incident_urls[incident_id] = incident_url
        review = reviews.get(pk)
        snapshots.append(
            ActionSnapshot(
                id=pk,
                title=title,
                priority=Priority(priority),
                status=ActionStatus(status),
                created_at=created_at,
                policy_due_on=policy_due_on,
                incident_id=incident_id,
                due_on=due_on,
                closed_at=completed_at,
                status_reason=status_reason,
                owner=owner,
                owner_name=full_name(owner_first, owner_last) or None,
                ticket_id=ticket_id,
                ticket_url=ticket_url,
                incident_title=incident_title,
                severity=Severity(severity),
                team=team_name,
                services=services.get(incident_id, ()),
                at_risk_days=policy.at_risk_days,
                estimate=estimate,
                planned_sprint=planned_sprint,
                url=f"{incident_url}#action-{pk}",
                incident_url=incident_url,
                last_review=review,
            )
        )
    return snapshots


def policy_date(item: ActionItem, book: PolicyBook) -> date:
    """The date the policy asked for one stored item (computed if it predates the field)."""
    if item.policy_due_on is not None:
        return item.policy_due_on
    return default_due_on(
        item.incident.started_at, Priority(item.priority), book.for_team(item.incident.team_id)
    )
