"""The search page: full text across every post-mortem the reader may see (issue 18).

The post-mortem's similar incidents are here too: the same index finds them.

One template holds the page and its results fragment; an htmx request (typing in the box,
changing a filter) gets just the fragment. A query that cannot be searched, and every bad
filter, is a message on the page, never an error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from kintsugi.core.search_query import SearchQueryError, parse_search_query
from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems import access
from kintsugi.search.filters import parse_search_filters
from kintsugi.search.selectors import SearchResults, search_postmortems
from kintsugi.search.similar import similar_incidents
from kintsugi.teams.models import Service, Team

SIMILAR = "web/postmortems/_similar.html#similar"


def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    filters = parse_search_filters(request.GET)
    errors = [f"{error} That filter was ignored." for error in filters.errors]
    page_text = request.GET.get("page", "1").strip()
    page = int(page_text) if page_text.isdigit() and len(page_text) < 4 else 1
    results = SearchResults()
    searched = bool(text.strip())
    if searched:
        try:
            query = parse_search_query(text)
        except SearchQueryError as error:
            errors.append(str(error))
        else:
            results = search_postmortems(user=request.user, query=query, filters=filters, page=page)
    context = {
        "nav": "search",
        "q": text[:1000],
        "filters": filters,
        "results": results,
        "searched": searched,
        "errors": errors,
        "teams": Team.objects.order_by("name"),
        "services": Service.objects.order_by("name"),
        "statuses": list(PostmortemStatus),
        "severities": list(Severity),
    }
    template = "web/search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def similar_section(request: HttpRequest, pk: int) -> HttpResponse:
    """The post-mortem's "Similar incidents", loaded after the page (404 for an incident
    the reader may not see); a page of its own without JavaScript."""
    incident = access.get_incident(request.user, pk)
    context = {
        "incident": incident,
        "similarity": similar_incidents(user=request.user, incident=incident),
    }
    if request.htmx:
        response = render(request, SIMILAR, context)
    else:
        context |= {"fragment_template": SIMILAR, "page_title": "Similar incidents"}
        response = render(request, "web/fragment_page.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
