"""Action item rows rendered in Python rather than by the template engine.

Each row of the action items list was about 1,700 function calls in the template engine
(some forty lookups, filters and tags), the largest part of the post-mortem page after
the timeline (see ``rows.py`` for the same choice there). One function builds the row for
the page, the section re-rendered after a save and the single row htmx swaps back after
an edit, so there is one markup. Every user value goes through ``_e`` (the same escaping
as Django's ``escape``, from ``rows``), ``user_markdown`` (sanitized HTML) or ``safe_url``.
"""

from __future__ import annotations

from datetime import date

from kintsugi.core.timeparse import format_utc
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem
from kintsugi.web.rows import EXTERNAL_LINK, escape_text, row_buttons
from kintsugi.web.templatetags.kintsugi_web import css_token, safe_url, user_markdown

MISSING_HELP = "An action item needs an owner, a ticket ID and a target date"
DELETE_CONFIRM = (
    "Delete this action item? Consider “won't do” with a reason instead: it keeps the "
    "decision on record."
)
_e = escape_text


def _label(enum: type[Priority] | type[ActionStatus], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:  # a value from before a vocabulary changed: shown as stored
        return value


def _main(item: ActionItem, missing: list[str], policy: str) -> str:
    parts = [
        f'<strong class="action-title" id="action-{item.pk}-title" data-testid="action-title">'
        f"{_e(item.title)}</strong>"
    ]
    if missing:
        parts.append(
            f' <span class="badge warning" data-testid="action-missing" title="{MISSING_HELP}">'
            f"⚠ Missing {_e(', '.join(missing))}</span>"
        )
    if item.description:
        parts.append(
            '<div class="prose small" data-testid="action-description">'
            f"{user_markdown(item.description)}</div>"
        )
    if item.factor_id and item.factor is not None:
        number = getattr(item, "factor_number", None)
        prefix = f"F{_e(number)} · " if number else ""
        parts.append(
            '<p class="addresses small" data-testid="action-factor">Addresses '
            f'<a href="#factor-{item.factor_id}">{prefix}{_e(item.factor.title)}</a></p>'
        )
    parts.append(policy)
    return f'<div class="cell cell-main">{"".join(parts)}</div>'


def _ticket(item: ActionItem) -> str:
    if item.ticket_id and item.ticket_url:
        return f'<a href="{_e(safe_url(item.ticket_url))}" {EXTERNAL_LINK}>{_e(item.ticket_id)}</a>'
    if item.ticket_id:
        return _e(item.ticket_id)
    if item.ticket_url:
        return (
            f'<a href="{_e(safe_url(item.ticket_url))}" {EXTERNAL_LINK}>link</a> '
            '<span class="missing">no ID</span>'
        )
    return '<span class="missing">no ticket</span>'


def _due(item: ActionItem, today: date) -> str:
    if not item.due_on:
        return '<span class="missing">no date</span>'
    day = item.due_on.isoformat()
    overdue = ""
    if item.due_on < today and not item.is_closed:
        overdue = ' <span class="badge overdue" data-testid="action-overdue">overdue</span>'
    return f'<time datetime="{day}">{day}</time>{overdue}'


def _status(item: ActionItem) -> str:
    parts = [
        '<span class="cell-label">Status</span> '
        f'<span class="badge action-status st-{css_token(item.status)}" '
        f'data-testid="action-status">{_e(_label(ActionStatus, item.status))}</span>'
    ]
    if item.status_reason:
        parts.append(
            f'<p class="reason small" data-testid="action-reason">{_e(item.status_reason)}</p>'
        )
    if item.completed_at:
        parts.append(f'<p class="small muted">{format_utc(item.completed_at)}</p>')
    return f'<div class="cell cell-status">{"".join(parts)}</div>'


def _actions(pk: int, url_base: str, csrf: str) -> str:
    return row_buttons(
        name="action", pk=pk, url_base=url_base, csrf=csrf, section="action-items",
        confirm=DELETE_CONFIRM, label="title",
    )  # fmt: skip


def action_row(
    item: ActionItem,
    *,
    policy: str,
    base_url: str,
    can_edit: bool,
    csrf_token: str,
    today: date,
) -> str:
    """One ``<li>`` of the list. ``policy`` is the item's policy line, HTML already
    (``{% action_policy %}`` of the debt app); ``base_url`` ends with ``/``."""
    missing = item.missing_fields
    if item.owner_id and item.owner is not None:
        owner = _e(item.owner.display_name)
    elif getattr(item, "owner_name", ""):
        # Named in an imported file but not a user (yet): shown, never dropped.
        owner = (
            f'<span class="unmatched-owner" title="Not a Kintsugi user yet: match this name '
            f'to a person on the Import owners page" data-testid="unmatched-owner">'
            f"{_e(item.owner_name)} (unmatched owner)</span>"
        )
    else:
        owner = '<span class="missing">no owner</span>'

    actions = _actions(int(item.pk), _e(base_url), _e(csrf_token)) if can_edit else ""
    return (
        f'<li id="action-{item.pk}" class="action-item action-{css_token(item.status)}'
        f'{" incomplete" if missing else ""}" data-testid="action-item" '
        f'data-action-id="{item.pk}">'
        '<div class="cell cell-priority">'
        f'<span class="badge prio prio-{_e(item.priority.lower())}" '
        f'title="{_e(_label(Priority, item.priority))}" data-testid="action-priority">'
        f"{_e(item.priority)}</span></div>"
        f"{_main(item, missing, policy)}"
        '<div class="cell cell-owner"><span class="cell-label">Owner</span>'
        f'<span data-testid="action-owner">{owner}</span></div>'
        '<div class="cell cell-ticket"><span class="cell-label">Ticket</span>'
        f'<span data-testid="action-ticket">{_ticket(item)}</span></div>'
        '<div class="cell cell-due"><span class="cell-label">Target date</span>'
        f'<span data-testid="action-due">{_due(item, today)}</span></div>'
        f"{_status(item)}"
        f'<div class="cell cell-actions">{actions}</div></li>'
    )
