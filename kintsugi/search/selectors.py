"""Searching post-mortems: one page of hits a reader may see, in a constant number of
queries (the hits, their count, and their incidents with teams)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router

from kintsugi.accounts.models import User
from kintsugi.core.search_query import SearchQuery, highlight_segments
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.search import engines
from kintsugi.search.filters import SearchFilters, filtered_incidents
from kintsugi.search.models import SearchEntry
from kintsugi.search.sources import BY_KIND

PAGE_SIZE = 20
COUNT_CAP = 1000
MAX_PAGE = 25  # the 500 hits engines.WINDOW ranks; the page says to narrow the search


@dataclass(frozen=True, slots=True)
class SearchHit:
    incident: Incident
    kind: str
    label: str
    anchor: str
    segments: list[tuple[str, bool]]


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    page: int = 1

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def has_next(self) -> bool:
        return self.page < MAX_PAGE and self.page * PAGE_SIZE < self.total


def _compiled(queryset: Any) -> tuple[str, list[Any]]:
    connection = connections[router.db_for_read(SearchEntry)]
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def search_scope(*, user: User, filters: SearchFilters) -> tuple[str, list[Any]]:
    """The condition on ``e.incident_id`` that applies the access rules and the filters.

    Without filters it is "not one of the restricted incidents hidden from this person"
    (``access.visible_through``'s form: the hidden list is short); with filters, "one of
    the filtered incidents", which ``filtered_incidents`` already limits to visible ones.
    """
    if filters.any:
        sql, params = _compiled(filtered_incidents(user=user, filters=filters).values("pk"))
        return f"e.incident_id IN ({sql})", params
    if access.sight(user) is access.Sight.EVERYTHING:
        return "1 = 1", []
    sql, params = _compiled(access.hidden_incidents(user).order_by().values("pk"))
    return f"e.incident_id NOT IN ({sql})", params


def search_postmortems(
    *, user: User, query: SearchQuery, filters: SearchFilters, page: int = 1
) -> SearchResults:
    if access.sight(user) is access.Sight.NOTHING:
        return SearchResults()
    page = max(1, min(page, MAX_PAGE))
    connection = connections[router.db_for_read(SearchEntry)]
    scope = search_scope(user=user, filters=filters)
    # Counted with the page: one statement on SQLite, and on PostgreSQL a count first (a
    # query with few matches is read through the index, engines.matches).
    total, found = engines.counted_matches(
        connection,
        query,
        scope,
        cap=COUNT_CAP + 1,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    incidents = Incident.objects.select_related("team").in_bulk(
        {match.incident_id for match in found}
    )
    hits = []
    for match in found:
        incident = incidents.get(match.incident_id)
        if incident is None:  # deleted between the two reads
            continue
        source = BY_KIND.get(match.kind)
        hits.append(
            SearchHit(
                incident=incident,
                kind=match.kind,
                label=source.label if source else match.kind,
                anchor=source.anchor if source else "",
                segments=highlight_segments(match.snippet),
            )
        )
    return SearchResults(
        hits=hits, total=min(total, COUNT_CAP), capped=total > COUNT_CAP, page=page
    )
