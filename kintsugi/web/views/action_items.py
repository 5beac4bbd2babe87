"""Action items, edited in place; the list stays sorted by priority then target date."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.web.forms.action_items import ActionItemEditForm, ActionItemForm
from kintsugi.web.views.common import fragment, section_view, sections, submit

TEMPLATE = "web/postmortems/_action_items.html"
# The debt box (completion, overdue, at risk) summarises the items: it follows each save.
COMPANIONS = ("debt",)


def action_items_section(request: HttpRequest, pk: int) -> HttpResponse:
    access.get_incident(request.user, pk)
    return section_view(request, pk, "action-items")


def _item(incident: Incident, item_pk: int) -> ActionItem:
    item = get_object_or_404(
        ActionItem.objects.select_related("owner", "factor"), pk=item_pk, incident=incident
    )
    item.incident = incident
    return item


@require_http_methods(["GET", "POST"])
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    context = {"incident": incident, "can_edit": True}
    if request.method == "GET" and "closed" in request.GET:
        return render(request, f"{TEMPLATE}#add-slot", context)
    auto_id = "action-new-%s"
    status = 200
    if request.method == "POST":
        form = ActionItemForm(request.POST, incident=incident, auto_id=auto_id)
        saved, status = submit(form, lambda: form.add(user=request.user, incident=incident))
        if saved:
            return sections(
                request,
                pk,
                "action-items",
                also=COMPANIONS,
                extra={"add_form": ActionItemForm(incident=incident, auto_id=auto_id)},
            )
    else:
        form = ActionItemForm(incident=incident, auto_id=auto_id)
    return fragment(
        request,
        f"{TEMPLATE}#add-slot",
        {**context, "add_form": form},
        status=status,
        target="#action-items-add",
        title="Add an action item",
    )


def action_item_row(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk)
    item = _item(incident, item_pk)
    if item.factor_id:
        item.factor_number = incident.factors.filter(  # type: ignore[attr-defined]
            position__lte=item.factor.position
        ).count()
    context = {
        "incident": incident,
        "item": item,
        "can_edit": access.can_edit(request.user, incident),
    }
    return fragment(request, f"{TEMPLATE}#item", context)


@require_http_methods(["GET", "POST"])
def action_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    item = _item(incident, item_pk)
    auto_id = f"action-{item.pk}-%s"
    status = 200
    if request.method == "POST":
        form = ActionItemEditForm(request.POST, incident=incident, auto_id=auto_id)
        saved, status = submit(form, lambda: form.update(user=request.user, item=item))
        if saved:
            return sections(request, pk, "action-items", also=COMPANIONS)
    else:
        form = ActionItemEditForm.for_item(item, incident=incident, auto_id=auto_id)
    context = {"incident": incident, "item": item, "form": form}
    return fragment(
        request,
        f"{TEMPLATE}#item-form",
        context,
        status=status,
        target=f"#action-{item.pk}",
        title="Edit an action item",
    )


@require_POST
def action_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    services.action_item_delete(user=request.user, item=_item(incident, item_pk))
    return sections(request, pk, "action-items", also=COMPANIONS)
