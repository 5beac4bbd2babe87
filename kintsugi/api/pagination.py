"""Limit/offset pagination with a total count and ready-made links to the next page.

Limit/offset (rather than cursors) because people page through post-mortems by number and
scripts want the total; the largest page is bounded so no request can ask for everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pydantic
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, description="How many items to skip.")


def page_of(item: type[Schema]) -> type[Schema]:
    """A named page schema per item type, so the OpenAPI document reads well."""
    return pydantic.create_model(  # type: ignore[no-any-return,call-overload]
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


def _link(request: HttpRequest, *, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet[M] | QuerySet[Any],
    params: PageParams,
    *,
    decorate: Callable[[list[M]], list[M]] | None = None,
    rows_of: Callable[[QuerySet[Any]], list[M]] | None = None,
) -> dict[str, Any]:
    """One COUNT and one SELECT, plus whatever ``decorate`` adds once per page.

    A deferred join, as the web list pages do it: the page's ids are sliced first (the
    skipped rows are read from an index, never joined to their owners or teams), then
    only the page's rows are read, in one statement with the slice as a subquery. With
    ``rows_of``, ``queryset`` is already the ids in page order (``values_list("pk")``,
    e.g. the incidents visible to someone, spelt cheaply) and ``rows_of`` reads a slice
    of them in that order; otherwise both come from ``queryset``.
    """
    count = queryset.count()
    limit, offset = params.limit, params.offset
    rows: list[M] = []
    if offset < count:
        if rows_of is not None:
            rows = rows_of(queryset[offset : offset + limit])
        else:
            keys = queryset.values_list("pk", flat=True)[offset : offset + limit]
            rows = list(queryset.filter(pk__in=keys))
    if decorate is not None and rows:
        rows = decorate(rows)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _link(request, limit=limit, offset=offset + limit)
        if offset + limit < count
        else None,
        "previous": _link(request, limit=limit, offset=max(offset - limit, 0)) if offset else None,
        "results": rows,
    }
