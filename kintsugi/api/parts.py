"""The read / add / change / delete of one part of an incident, written once for every section.

Timeline events, factors, lessons and action items are each a row under an incident, found
through the same access check, versioned the same way and changed through their own service
functions. Each router keeps its own endpoints (their names are the OpenAPI operation ids,
their signatures the schema) and hands the body to a ``PartEndpoints``, which holds only
what differs between sections: the rows, the label of the 404, the services and the keyword
they take the row by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Status

from kintsugi.api.auth import current_user
from kintsugi.api.concurrency import requested_version, set_etag
from kintsugi.api.lookups import incident_for, incident_part
from kintsugi.postmortems.models import Incident

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PartEndpoints(Generic[M]):
    """One section's differences; the steps and their order (access first) are the same."""

    rows: Callable[[], QuerySet[M]]
    label: str
    keyword: str
    add: Callable[..., M]
    update: Callable[..., M]
    delete: Callable[..., None]

    def find(self, request: HttpRequest, pk: int, *, edit: bool = False) -> M:
        return incident_part(request, self.rows(), pk, label=self.label, edit=edit)

    def added(
        self,
        request: HttpRequest,
        incident_id: int,
        response: HttpResponse,
        data: Callable[[Incident], dict[str, Any]],
    ) -> tuple[Incident, M]:
        """``data`` is read after the access check, so an outsider learns nothing from it."""
        incident = incident_for(request, incident_id, edit=True)
        row = self.add(user=current_user(request), incident=incident, **data(incident))
        set_etag(response, row)
        return incident, row

    def read(self, request: HttpRequest, pk: int, response: HttpResponse) -> M:
        row = self.find(request, pk)
        set_etag(response, row)
        return row

    def updated(
        self,
        request: HttpRequest,
        pk: int,
        response: HttpResponse,
        version: int | None,
        data: Callable[[M], dict[str, Any]],
    ) -> M:
        row = self.find(request, pk, edit=True)
        wanted = requested_version(request, version)
        fresh = self.update(
            user=current_user(request), version=wanted, **{self.keyword: row}, **data(row)
        )
        fresh.incident = row.incident  # type: ignore[attr-defined]  # the checked one, no query
        set_etag(response, fresh)
        return fresh

    def deleted(self, request: HttpRequest, pk: int) -> Status:
        row = self.find(request, pk, edit=True)
        self.delete(user=current_user(request), **{self.keyword: row})
        return Status(204, None)
