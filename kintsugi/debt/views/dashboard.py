"""The debt dashboard and the item lists behind each of its numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.debt.dashboard import GroupBy
from kintsugi.core.vocabulary import Severity
from kintsugi.debt.charts import trend_chart
from kintsugi.debt.selectors.dashboard import Dashboard, Row, debt_dashboard
from kintsugi.debt.selectors.filters import (
    NONE,
    STATE_LABELS,
    DebtFilters,
    apply_filters,
    visible_items,
)
from kintsugi.debt.selectors.items import debt_items, debt_items_page
from kintsugi.debt.selectors.policy import PolicyBook, policy_book
from kintsugi.debt.tally.read import tally_dashboard
from kintsugi.debt.views.common import filter_choices, today
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team

GROUP_TITLES = {
    GroupBy.TEAM: "By team",
    GroupBy.OWNER: "By owner",
    GroupBy.SERVICE: "By service",
    GroupBy.SEVERITY: "By severity",
}
ROWS_SHOWN = 15


def dashboard(request: HttpRequest) -> HttpResponse:
    filters = DebtFilters.from_query(request.GET).with_(state="")
    book = policy_book()
    day = today()
    items = apply_filters(visible_items(request.user), filters)
    board = _board(request, filters, items, day, book)
    base = reverse("debt-items")
    incident_url = incident_url_maker()
    groups = [
        (
            group,
            GROUP_TITLES[group],
            _rows_html(
                group, [(row, _links(base, filters, group, row)) for row in rows[:ROWS_SHOWN]]
            ),
            max(0, len(rows) - ROWS_SHOWN),
        )
        for group, rows in board.groups.items()
    ]
    context = {
        "nav": "debt",
        "debt_nav": "dashboard",
        "filters": filters,
        "board": board,
        "groups": groups,
        "trend_svg": trend_chart(board.trend),
        "oldest": [(item, incident_url(item.incident_id)) for item in board.oldest],
        "severities": list(Severity),
        **filter_choices(),
    }
    return render(request, "debt/dashboard.html", context)


LINKED_STATES = ("open", "overdue", "at_risk", "no_date")


def incident_url_maker() -> Callable[[int], str]:
    """``incident id -> the post-mortem page's URL``, the route reversed once per page
    (reversing it per item was a fifth of the page's template time)."""
    sentinel = 987654321987
    head, tail = reverse("postmortem-detail", args=[sentinel]).split(str(sentinel))
    return lambda incident_id: f"{head}{int(incident_id)}{tail}"


def _links(base: str, filters: DebtFilters, group: GroupBy, row: Row) -> dict[str, str]:
    """The item list behind each number of a row (built here: a template tag per number
    reversed the URL 240 times per page). The state comes last in ``query_string`` and
    is a plain word: the row's query is encoded once."""
    query = filters.query_string(state="", **{group.value: row.filter_value})
    return {state: f"{base}?{query}&state={state}" for state in LINKED_STATES}


def _rows_html(group: GroupBy, rows: list[tuple[Row, dict[str, str]]]) -> SafeString:
    """One breakdown's table rows, rendered at once by Jinja2 (``debt/_dashboard_rows.html``;
    in the page's Django template they cost as much as the rest of the page). Empty
    without rows."""
    if not rows:
        return mark_safe("")  # noqa: S308
    html = render_to_string(
        "debt/_dashboard_rows.html",
        {"rows": rows, "with_sla": group is GroupBy.TEAM},
        using="jinja2",
    )
    return mark_safe(html)  # noqa: S308 - the Jinja2 backend escapes every value


def _board(
    request: HttpRequest,
    filters: DebtFilters,
    items: QuerySet[ActionItem],
    day: date,
    book: PolicyBook,
) -> Dashboard:
    """From the tally when only a team is chosen (the common views), live otherwise.

    The tally is kept per team; a service, severity or owner filter narrows the items to
    a few thousand, which the live aggregate counts directly. The live aggregate also
    stands in while the tally is not usable (not counted today: no worker ran yet).
    Neither writes.
    """
    if filters.service or filters.severity or filters.owner:
        return debt_dashboard(items, today=day, book=book)
    keys: list[int] | None
    if not filters.team:
        keys = None  # every team
    elif filters.team == NONE:
        keys = [0]
    else:
        keys = list(Team.objects.filter(slug=filters.team).values_list("pk", flat=True))
    board = tally_dashboard(request.user, items, team_keys=keys, today=day, book=book)
    return board if board is not None else debt_dashboard(items, today=day, book=book)


def items(request: HttpRequest) -> HttpResponse:
    filters = DebtFilters.from_query(request.GET)
    book = policy_book()
    day = today()
    chosen = debt_items(visible_items(request.user), filters, today=day, book=book)
    page, rows = debt_items_page(chosen, request.GET.get("page"), today=day, book=book)
    context = {
        "nav": "debt",
        "debt_nav": "items",
        "filters": filters,
        "page": page,
        "rows": rows,
        "state_label": STATE_LABELS.get(filters.state, ""),
        "states": STATE_LABELS,
        "severities": list(Severity),
        "today": day,
        **filter_choices(),
    }
    return render(request, "debt/items.html", context)
