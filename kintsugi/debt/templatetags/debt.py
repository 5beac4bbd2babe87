"""Template helpers for post-mortem debt, including the two hooks the web app includes.

- ``{% postmortem_debt incident [action_items] %}``: completion, overdue and at-risk
  items, exceptions and the policy in force for the post-mortem page, which passes the
  action items it has already loaded (all of the incident's) so they are not read twice.
  Recurrence (open items of earlier incidents on the same services) loads into the box
  from its own URL once the page is shown.
- ``{% action_policy item %}``: the policy that applies to one action item and its
  exception, for each row of the action items list. The policies are loaded once per
  page render, whatever the number of items.

The weekly review's tags are in ``weekly_review.py`` (``{% load weekly_review %}``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kintsugi.core.debt.states import DebtState, SlaCompliance
from kintsugi.core.vocabulary import Priority
from kintsugi.debt.selectors.filters import DebtFilters
from kintsugi.debt.selectors.policy import PolicyBook, policy_book
from kintsugi.debt.selectors.postmortem import postmortem_debt as load_postmortem_debt
from kintsugi.debt.selectors.snapshots import policy_date
from kintsugi.debt.views.common import today

register = template.Library()

_BOOK = "kintsugi.debt.policy_book"


def _book(context: template.Context) -> PolicyBook:
    """One policy book per request (two queries), shared by every tag and included template
    on the page (each included template has its own render context, so it lives on the
    request)."""
    request = context.get("request")
    if request is not None:
        book = getattr(request, "_kintsugi_policy_book", None)
        if book is None:
            book = policy_book()
            request._kintsugi_policy_book = book
        return book  # type: ignore[no-any-return]
    cache = context.render_context
    if _BOOK not in cache:
        cache[_BOOK] = policy_book()
    return cache[_BOOK]  # type: ignore[no-any-return]


@register.inclusion_tag("debt/_postmortem_debt.html", takes_context=True)
def postmortem_debt(
    context: template.Context, incident: Any, action_items: Any = None, oob: bool = False
) -> dict[str, Any]:
    """``oob``: the box rides out of band on the answer to a save that changed it."""
    request = context.get("request")
    view = load_postmortem_debt(
        incident=incident, today=today(), book=_book(context), items=action_items
    )
    return {"debt": view, "incident": incident, "request": request, "oob": oob}


@register.simple_tag(takes_context=True)
def action_policy(context: template.Context, item: Any) -> SafeString:
    """A simple tag, not an inclusion tag: one line per action item, for which loading
    and rendering a template of its own cost more than the line itself."""
    book = _book(context)
    label = book.for_team(item.incident.team_id).describe(Priority(item.priority))
    due = policy_date(item, book).isoformat()
    exception = ""
    if item.is_due_exception:
        reason = item.due_reason or "no reason recorded (imported)"
        exception = format_html(
            ' · <span class="exception" data-testid="action-exception">target date later '
            "than the policy: {}</span>",
            reason,
        )
    return format_html(
        '<p class="policy-note" data-testid="action-policy">Policy: {}, by {}{}</p>',
        label,
        due,
        exception,
    )


@register.simple_tag
def items_url(filters: DebtFilters, state: str = "", **changes: str) -> str:
    """The list of items behind one number: current filters, one group, one state."""
    query = filters.query_string(state=state, **changes)
    return reverse("debt-items") + (f"?{query}" if query else "")


@register.filter
def sla_label(sla: SlaCompliance | None) -> str:
    return sla.label if sla is not None else "–"


@register.filter
def state_label(state: str) -> str:
    try:
        return DebtState(state).label
    except ValueError:
        return str(state)
