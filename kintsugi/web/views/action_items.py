"""Action items, edited in place; the list stays sorted by priority then target date."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.web.forms.action_items import ActionItemEditForm, ActionItemForm
from kintsugi.web.sections import ACTION_ITEMS
from kintsugi.web.views import section_rows
from kintsugi.web.views.common import fragment, section_view, sections, submit
from kintsugi.web.views.factors import factor_number

TEMPLATE = ACTION_ITEMS.template
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


def _number_factor(incident: Incident, item: ActionItem) -> None:
    if item.factor_id:
        item.factor_number = factor_number(incident, item.factor)  # type: ignore[attr-defined]


ROWS = section_rows.EditableRows(
    section=ACTION_ITEMS,
    load=_item,
    bound_form=lambda data, incident, auto_id: ActionItemEditForm(
        data, incident=incident, auto_id=auto_id
    ),
    initial_form=lambda item, incident, auto_id: ActionItemEditForm.for_item(
        item, incident=incident, auto_id=auto_id
    ),
    save=lambda form, user, item: form.update(user=user, item=item),
    delete=lambda user, item: services.action_item_delete(user=user, item=item),
    edit_title="Edit an action item",
    companions=COMPANIONS,
    complete=_number_factor,
)


def action_item_row(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return section_rows.row_view(request, ROWS, pk, item_pk)


@require_http_methods(["GET", "POST"])
def action_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return section_rows.edit_view(request, ROWS, pk, item_pk)


@require_POST
def action_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return section_rows.delete_view(request, ROWS, pk, item_pk)
