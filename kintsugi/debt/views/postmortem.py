"""The part of a post-mortem's debt box that loads after the page: recurrence."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.postmortem import recurrence as load_recurrence
from kintsugi.debt.views.common import today
from kintsugi.postmortems import access

FRAGMENT = "debt/_recurrence.html"


@require_GET
def recurrence(request: HttpRequest, pk: int) -> HttpResponse:
    """Open items of earlier incidents on the same services, among those the person may
    see (404 for an incident they may not see); a page of its own without JavaScript."""
    incident = access.get_incident(request.user, pk)
    context = {
        "incident": incident,
        "recurrence": load_recurrence(request.user, incident, today(), policy_book()),
    }
    if request.htmx:
        response = render(request, FRAGMENT, context)
    else:
        title = "Still open from earlier incidents on the same services"
        context |= {"fragment_template": FRAGMENT, "page_title": title}
        response = render(request, "web/fragment_page.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
