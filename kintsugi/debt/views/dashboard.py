"""The debt dashboard and the item lists behind each of its numbers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kintsugi.core.debt.dashboard import GroupBy
from kintsugi.core.vocabulary import Severity
from kintsugi.debt.charts import trend_chart
from kintsugi.debt.selectors.dashboard import debt_dashboard
from kintsugi.debt.selectors.filters import STATE_LABELS, DebtFilters, apply_filters, visible_items
from kintsugi.debt.selectors.items import debt_items, debt_items_page
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.views.common import filter_choices, today

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
    board = debt_dashboard(items, today=day, book=book)
    groups = [
        (group, GROUP_TITLES[group], rows[:ROWS_SHOWN], max(0, len(rows) - ROWS_SHOWN))
        for group, rows in board.groups.items()
    ]
    context = {
        "nav": "debt",
        "debt_nav": "dashboard",
        "filters": filters,
        "board": board,
        "groups": groups,
        "trend_svg": trend_chart(board.trend),
        "severities": list(Severity),
        **filter_choices(),
    }
    return render(request, "debt/dashboard.html", context)


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
