"""Optimistic concurrency over HTTP: the client says which ``version`` it edited.

The version travels in the body (``"version": 3``) or, for clients that prefer HTTP's own
mechanism, in ``If-Match: "3"``, matching the ``ETag`` sent with every single resource.
A stale version is refused by the service with the newer row, answered as 409.
"""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from kintsugi.api.errors import ApiError


def requested_version(request: HttpRequest, body_version: int | None) -> int:
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if not header:
        message = (
            "Send the version you edited ('version' in the body or an If-Match header), "
            "so that a newer save by someone else is not overwritten."
        )
        raise ApiError(422, f"version: {message}", fields={"version": [message]})
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        message = 'If-Match must hold the version number, such as "3".'
        raise ApiError(422, f"version: {message}", fields={"version": [message]})
    return int(value)


def set_etag(response: HttpResponse, row: Model) -> None:
    response["ETag"] = f'"{row.version}"'  # type: ignore[attr-defined]
