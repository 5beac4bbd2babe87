"""Contributing factors and their evidence links (graphs, queries, traces, logs...)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.lookups import evidence_for, incident_for
from kintsugi.api.pagination import PageParams, paginate
from kintsugi.api.parts import PartEndpoints
from kintsugi.api.patches import changed_fields
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.factors import (
    EvidenceIn,
    EvidenceOut,
    FactorIn,
    FactorOut,
    FactorPage,
    FactorPatch,
)
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Evidence, Factor

router = Router(tags=["factors"])


def _rows() -> QuerySet[Factor]:
    return Factor.objects.prefetch_related(Prefetch("evidence", Evidence.objects.order_by("id")))


_FACTORS = PartEndpoints(
    rows=_rows,
    label="factor",
    keyword="factor",
    add=services.factor_add,
    update=services.factor_update,
    delete=services.factor_delete,
)


@router.get("/incidents/{int:incident_id}/factors", response={200: FactorPage, **ERRORS})
def list_factors(
    request: HttpRequest, incident_id: int, params: Query[PageParams]
) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    return paginate(request, _rows().filter(incident=incident), params)


@router.post("/incidents/{int:incident_id}/factors", response={201: FactorOut, **ERRORS})
def add_factor(
    request: HttpRequest, incident_id: int, payload: FactorIn, response: HttpResponse
) -> Status:
    _, factor = _FACTORS.added(request, incident_id, response, lambda _: changed_fields(payload))
    return Status(201, factor)


@router.get("/factors/{int:factor_id}", response={200: FactorOut, **ERRORS})
def get_factor(request: HttpRequest, factor_id: int, response: HttpResponse) -> Factor:
    return _FACTORS.read(request, factor_id, response)


@router.patch("/factors/{int:factor_id}", response={200: FactorOut, 409: ErrorOut, **ERRORS})
def update_factor(
    request: HttpRequest, factor_id: int, payload: FactorPatch, response: HttpResponse
) -> Factor:
    return _FACTORS.updated(
        request, factor_id, response, payload.version, lambda _: changed_fields(payload)
    )


@router.delete("/factors/{int:factor_id}", response={204: None, **ERRORS})
def delete_factor(request: HttpRequest, factor_id: int) -> Status:
    """Deletes its evidence links too; action items that addressed it keep existing."""
    return _FACTORS.deleted(request, factor_id)


@router.post("/factors/{int:factor_id}/evidence", response={201: EvidenceOut, **ERRORS})
def add_evidence(request: HttpRequest, factor_id: int, payload: EvidenceIn) -> Status:
    factor = _FACTORS.find(request, factor_id, edit=True)
    evidence = services.evidence_add(
        user=current_user(request), factor=factor, **changed_fields(payload)
    )
    return Status(201, evidence)


@router.delete("/evidence/{int:evidence_id}", response={204: None, **ERRORS})
def delete_evidence(request: HttpRequest, evidence_id: int) -> Status:
    evidence = evidence_for(request, evidence_id, edit=True)
    services.evidence_delete(user=current_user(request), evidence=evidence)
    return Status(204, None)
