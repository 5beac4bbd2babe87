"""Action item rows: rendered by Jinja2 (``web/rows/action_item.html``) and remembered.

Each row of the action items list was about 1,700 function calls in Django's template
engine (some forty lookups, filters and tags), the largest part of the post-mortem page
after the timeline; Jinja2 compiles the template to Python (``kintsugi/rendering/jinja.py``) and,
as for timeline rows (``rows.py``), a rendered row is remembered, keyed on what it shows.
The template reads nothing but that key (``Shown``), so nothing a row shows can be left
out of it. One function renders the row for the page, the section re-rendered after a
save and the single row htmx swaps back after an edit, so there is one markup. Every user
value is escaped by the template (Django's escaping), or goes through ``user_markdown``
(sanitized HTML) or ``safe_url``.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem
from kintsugi.rendering.jinja import template
from kintsugi.trackers.selectors import TicketState
from kintsugi.web.remembered import CSRF_SLOT, ROW_CACHE_SIZE, with_csrf_token
from kintsugi.web.sections import ACTION_ITEMS

MISSING_HELP = "An action item needs an owner, a ticket ID and a target date"


class Shown(NamedTuple):
    """Everything an action item row shows: the template's only input, and the cache key."""

    pk: int
    status: str
    priority: str
    title: str
    missing: str  # "owner, ticket, target date", or empty
    description: str
    factor_id: int | None  # None: addresses no factor
    factor_number: int | None
    factor_title: str
    policy: str  # HTML (the debt app's policy line)
    owner: str | None  # a user's display name
    owner_name: str  # an imported name matching no user yet
    ticket_id: str
    ticket_url: str
    due_on: date | None
    overdue: bool
    status_reason: str
    completed_at: datetime | None
    # The tracker (issue 17): the link's state, and whether to offer Create/Link ticket.
    ticket: TicketState | None = None
    offer_ticket: bool = False


def _label(enum: type[Priority] | type[ActionStatus], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:  # a value from before a vocabulary changed: shown as stored
        return value


def shown(
    item: ActionItem,
    *,
    policy: str,
    today: date,
    ticket: TicketState | None = None,
    offer_ticket: bool = False,
) -> Shown:
    has_factor = bool(item.factor_id) and item.factor is not None
    has_owner = bool(item.owner_id) and item.owner is not None
    return Shown(
        pk=int(item.pk),
        status=item.status,
        priority=item.priority,
        title=item.title,
        missing=", ".join(item.missing_fields),
        description=item.description,
        factor_id=item.factor_id if has_factor else None,
        factor_number=getattr(item, "factor_number", None) if has_factor else None,
        factor_title=item.factor.title if has_factor else "",
        policy=str(policy),
        owner=item.owner.display_name if has_owner else None,
        owner_name=getattr(item, "owner_name", "") or "",
        ticket_id=item.ticket_id,
        ticket_url=item.ticket_url,
        due_on=item.due_on,
        overdue=bool(item.due_on) and item.due_on < today and not item.is_closed,
        status_reason=item.status_reason,
        completed_at=item.completed_at,
        ticket=ticket,
        offer_ticket=offer_ticket and ticket is None and not item.ticket_id,
    )


@functools.lru_cache(maxsize=ROW_CACHE_SIZE)
def _row(row: Shown, url_base: str | None) -> str:
    """The whole ``<li>``; with the buttons (and a CSRF slot) when ``url_base`` is given."""
    return template("web/rows/action_item.html").render(
        row=row,
        policy=mark_safe(row.policy),  # noqa: S308 - HTML by contract (see action_row)
        priority_label=_label(Priority, row.priority),
        status_label=_label(ActionStatus, row.status),
        missing_help=MISSING_HELP,
        can_edit=url_base is not None,
        section=ACTION_ITEMS,
        url_base=url_base,
        csrf_token=CSRF_SLOT,
    )


def action_row(
    item: ActionItem,
    *,
    policy: str,
    base_url: str,
    can_edit: bool,
    csrf_token: str,
    today: date,
    ticket: TicketState | None = None,
    offer_ticket: bool = False,
) -> SafeString:
    """One ``<li>`` of the list. ``policy`` is the item's policy line, HTML already
    (``{% action_policy %}`` of the debt app), put in as it is; ``base_url`` ends with ``/``."""
    row = shown(item, policy=policy, today=today, ticket=ticket, offer_ticket=offer_ticket)
    html = _row(row, base_url if can_edit else None)
    if can_edit:
        html = with_csrf_token(html, csrf_token)
    return mark_safe(html)  # noqa: S308 - rendered with autoescape; the token escaped
