"""Full-text search (issue 18) over the API: ``GET /search?q=...`` with the page's filters.

The same selector as the search page, so it finds only what the caller may see. Unlike the
page, a bad filter is refused (422) rather than ignored: a script should learn that its
parameter was wrong. Snippets come as ``[{"text", "match"}]`` pieces, never as HTML.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kintsugi.api.auth import current_user
from kintsugi.api.schemas.common import ERRORS
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.search_query import SearchQueryError, parse_search_query
from kintsugi.search.filters import parse_search_filters
from kintsugi.search.selectors import MAX_PAGE, PAGE_SIZE, search_postmortems

router = Router(tags=["search"])


class SearchQueryIn(Schema):
    q: str = Field(
        "", max_length=1000, description='Words, "phrases", -excluded, OR (max 200 chars).'
    )
    team: str = Field("", max_length=100, description="Team slug.")
    service: str = Field("", max_length=100, description="Service slug.")
    severity: str = Field("", max_length=4, description="SEV1 to SEV4.")
    status: str = Field("", max_length=16, description="Post-mortem status.")
    from_: str = Field("", alias="from", max_length=10, description="Started on or after.")
    to: str = Field("", max_length=10, description="Started on or before (YYYY-MM-DD).")
    open_actions: bool = Field(False, description="Only incidents with open action items.")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class PieceOut(Schema):
    text: str
    match: bool


class HitOut(Schema):
    incident_id: int
    reference: str
    title: str
    severity: str
    status: str
    team: str | None
    started_at: datetime
    kind: str = Field(description="incident, event, factor, lesson, action or why.")
    label: str
    snippet: list[PieceOut]


class SearchOut(Schema):
    query: str
    total: int
    capped: bool = Field(description="True when there are more than ``total`` hits.")
    page: int
    page_size: int
    has_next: bool
    results: list[HitOut]


@router.get("/search", response={200: SearchOut, **ERRORS})
def search(request: HttpRequest, params: Query[SearchQueryIn]) -> dict[str, object]:
    try:
        query = parse_search_query(params.q)
    except SearchQueryError as error:
        raise ValidationProblem(str(error), field="q") from None
    raw = params.dict(by_alias=True)
    filters = parse_search_filters(
        {key: str(value) for key, value in raw.items() if key not in {"q", "page"}}
    )
    if filters.errors:
        raise ValidationProblem(" ".join(filters.errors), field="filters")
    results = search_postmortems(
        user=current_user(request), query=query, filters=filters, page=params.page
    )
    return {
        "query": params.q.strip(),
        "total": results.total,
        "capped": results.capped,
        "page": results.page,
        "page_size": PAGE_SIZE,
        "has_next": results.has_next,
        "results": [
            {
                "incident_id": hit.incident.pk,
                "reference": hit.incident.reference,
                "title": hit.incident.title,
                "severity": hit.incident.severity,
                "status": hit.incident.status,
                "team": hit.incident.team.slug if hit.incident.team else None,
                "started_at": hit.incident.started_at,
                "kind": hit.kind,
                "label": hit.label,
                "snippet": [{"text": text, "match": match} for text, match in hit.segments],
            }
            for hit in results.hits
        ],
    }
