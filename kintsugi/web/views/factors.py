"""Contributing factors and their evidence links, edited in place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import Evidence, Factor, Incident
from kintsugi.web.forms.factors import EvidenceForm, FactorEditForm, FactorForm
from kintsugi.web.sections import FACTORS
from kintsugi.web.views import section_rows
from kintsugi.web.views.common import section_view, sections

TEMPLATE = FACTORS.template
# Action items name the factor they address, so they follow factor changes.
COMPANIONS = ("action-items",)


def factors_section(request: HttpRequest, pk: int) -> HttpResponse:
    access.get_incident(request.user, pk)
    return section_view(request, pk, "factors")


_factor = section_rows.loader(Factor.objects.prefetch_related("evidence"))


@require_http_methods(["GET", "POST"])
def factor_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    return section_rows.add_view(
        request,
        {"incident": incident, "can_edit": True},
        slot=f"{TEMPLATE}#add-slot",
        form_class=FactorForm,
        auto_id="factor-new-%s",
        save=lambda form: form.add(user=request.user, incident=incident),
        saved=lambda form: sections(request, pk, "factors", also=COMPANIONS),
        target="#factors-add",
        title="Add a contributing factor",
    )


def factor_number(incident: Incident, factor: Factor) -> int:
    """The factor's number as the list shows it (F1, F2, ...), for a row shown alone."""
    return incident.factors.filter(position__lte=factor.position).count()  # type: ignore[no-any-return]


def _number(incident: Incident, factor: Factor) -> None:
    factor.number = factor_number(incident, factor)  # type: ignore[attr-defined]


ROWS = section_rows.EditableRows(
    section=FACTORS,
    load=_factor,
    bound_form=lambda data, incident, auto_id: FactorEditForm(data, auto_id=auto_id),
    initial_form=lambda factor, incident, auto_id: FactorEditForm.for_factor(
        factor, auto_id=auto_id
    ),
    save=lambda form, user, factor: form.update(user=user, factor=factor),
    delete=lambda user, factor: services.factor_delete(user=user, factor=factor),
    edit_title="Edit a contributing factor",
    companions=COMPANIONS,
    complete=_number,
)


# The views of ``factor_urls`` (kintsugi/web/urls.py): a row, its edit form, its delete.
FACTOR_VIEWS = section_rows.row_views(ROWS, "factor_pk")


@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, pk: int, factor_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    factor = _factor(incident, factor_pk)
    return section_rows.add_view(
        request,
        {"incident": incident, "factor": factor, "can_edit": True},
        slot=f"{TEMPLATE}#evidence-slot",
        form_class=EvidenceForm,
        auto_id=f"evidence-{factor.pk}-%s",
        save=lambda form: form.add(user=request.user, factor=factor),
        saved=lambda form: sections(request, pk, "factors"),
        target=f"#factor-{factor.pk}-evidence-add",
        title="Add an evidence link",
        form_name="evidence_form",
    )


@require_POST
def evidence_delete(
    request: HttpRequest, pk: int, factor_pk: int, evidence_pk: int
) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    factor = _factor(incident, factor_pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, factor=factor)
    evidence.factor = factor
    services.evidence_delete(user=request.user, evidence=evidence)
    return sections(request, pk, "factors")
