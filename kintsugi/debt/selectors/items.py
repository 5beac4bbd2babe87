"""The items behind one number of the dashboard: a filtered, paginated list with states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

from kintsugi.core.debt.policy import DuePolicy
from kintsugi.core.debt.states import (
    DebtState,
    action_state,
    age_in_days,
    days_overdue,
)
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.debt.selectors.expressions import state_condition
from kintsugi.debt.selectors.filters import DebtFilters, apply_filters
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.selectors.snapshots import policy_date
from kintsugi.postmortems.models import ActionItem

PAGE_SIZE = 50


@dataclass
class ItemRow:
    """An item with what the debt rules say about it today."""

    item: ActionItem
    state: DebtState
    age_days: int
    days_over: int
    policy: DuePolicy
    policy_due_on: date

    @property
    def policy_label(self) -> str:
        return self.policy.describe(Priority(self.item.priority))


def describe(item: ActionItem, today: date, book: PolicyBook) -> ItemRow:
    """The debt view of one item (no query: the incident must be loaded with it)."""
    policy = book.for_team(item.incident.team_id)
    closed = item.completed_at if ActionStatus(item.status).is_closed else None
    return ItemRow(
        item=item,
        state=action_state(
            ActionStatus(item.status), item.due_on, item.completed_at, today, policy.at_risk_days
        ),
        age_days=age_in_days(item.created_at, today, closed),
        days_over=days_overdue(item.due_on, today, closed),
        policy=policy,
        policy_due_on=policy_date(item, book),
    )


def debt_items(
    items: QuerySet[ActionItem], filters: DebtFilters, *, today: date, book: PolicyBook
) -> QuerySet[ActionItem]:
    chosen = apply_filters(items, filters)
    if filters.state:
        chosen = chosen.filter(state_condition(filters.state, today, book))
    return chosen.select_related("incident", "incident__team", "owner").order_by(
        F("due_on").asc(nulls_last=True), "priority", "created_at", "id"
    )


def debt_items_page(
    items: QuerySet[ActionItem], page_number: object, *, today: date, book: PolicyBook
) -> tuple[Page, list[ItemRow]]:
    page = Paginator(items, PAGE_SIZE).get_page(page_number)
    return page, [describe(item, today, book) for item in page.object_list]
