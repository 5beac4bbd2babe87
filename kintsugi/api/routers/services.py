"""Services (what incidents affect): everyone reads them, admins change them (through the
administration services, so every change is in the audit log)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kintsugi.administration.services import teams as admin_directory
from kintsugi.api.auth import current_user
from kintsugi.api.pagination import paginate
from kintsugi.api.patches import changed_fields
from kintsugi.api.references import team_by_slug
from kintsugi.api.schemas.common import ERRORS
from kintsugi.api.schemas.teams import (
    ServiceIn,
    ServiceOut,
    ServicePage,
    ServicePatch,
    ServiceQuery,
)
from kintsugi.teams import services
from kintsugi.teams.models import Service

router = Router(tags=["services"])

_NULLABLE = frozenset({"team"})


def _rows() -> QuerySet[Service]:
    return Service.objects.select_related("team")


def _service(slug: str) -> Service:
    service = _rows().filter(slug=slug).first()
    if service is None:
        raise Http404("No such service.")
    return service


def _relations(data: dict[str, object]) -> dict[str, object]:
    if "team" in data:
        data["team"] = team_by_slug(data["team"], field="team")  # type: ignore[arg-type]
    return data


@router.get("/services", response={200: ServicePage, **ERRORS})
def list_services(request: HttpRequest, params: Query[ServiceQuery]) -> dict[str, object]:
    rows = _rows()
    if params.team:
        rows = rows.filter(team__slug=params.team)
    return paginate(request, rows, params)


@router.get("/services/{service_slug}", response={200: ServiceOut, **ERRORS})
def get_service(request: HttpRequest, service_slug: str) -> Service:
    return _service(service_slug)


@router.post("/services", response={201: ServiceOut, **ERRORS})
def create_service(request: HttpRequest, payload: ServiceIn) -> Status:
    user = current_user(request)
    services.require_admin(user)
    data = _relations(changed_fields(payload, nullable=_NULLABLE))
    data.setdefault("team", None)
    created = admin_directory.admin_service_create(user=user, **data)  # type: ignore[arg-type]
    return Status(201, created)


@router.patch("/services/{service_slug}", response={200: ServiceOut, **ERRORS})
def update_service(request: HttpRequest, service_slug: str, payload: ServicePatch) -> Service:
    user = current_user(request)
    service = _service(service_slug)
    services.require_admin(user)
    data = _relations(changed_fields(payload, nullable=_NULLABLE))
    return admin_directory.admin_service_update(user=user, service=service, **data)  # type: ignore[arg-type]


@router.delete("/services/{service_slug}", response={204: None, **ERRORS})
def delete_service(request: HttpRequest, service_slug: str) -> Status:
    user = current_user(request)
    services.require_admin(user)
    admin_directory.admin_service_delete(user=user, service=_service(service_slug))  # type: ignore[arg-type]
    return Status(204, None)
