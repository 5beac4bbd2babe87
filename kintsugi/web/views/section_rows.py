"""The add, row, edit and delete views of every editable list, written once.

Each list (``kintsugi.web.sections``) answers the same three requests about one of its
rows: show it (the edit form's Cancel swaps it back), edit it in place, delete it. A list
module describes what is its own in an ``EditableRows`` (how to load a row, its forms, the
service calls) and takes its URL views from ``row_views``. Adding differs more from list
to list (a lesson's kind, a factor's evidence, the timeline keeping its form open), so
``add_view`` takes those differences as arguments instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.web.sections import RowSection
from kintsugi.web.views.common import fragment, sections, submit

ROW_FORM_TEMPLATE = "web/includes/row_form.html"

M = TypeVar("M", bound=Model)


def loader(rows: QuerySet[M]) -> Callable[[Incident, int], M]:
    """An ``EditableRows.load``: the row of ``rows`` under this incident (404 otherwise),
    with ``row.incident`` set to the incident the caller was checked against."""

    def load(incident: Incident, row_pk: int) -> M:
        row = get_object_or_404(rows, pk=row_pk, incident=incident)
        row.incident = incident  # type: ignore[attr-defined]
        return row

    return load


def _nothing_to_add(incident: Incident, row: Any) -> None:
    return None


@dataclass(frozen=True)
class EditableRows:
    """What one list's rows need beyond their markup."""

    section: RowSection
    # The row of this incident (404 otherwise), with ``row.incident`` set to it.
    load: Callable[[Incident, int], Any]
    # The edit form: bound to the request's data, and filled from the row.
    bound_form: Callable[[Any, Incident, str], Form]
    initial_form: Callable[[Any, Incident, str], Form]
    # Saves the valid form (``None`` when the service refused it); deletes the row.
    save: Callable[[Any, Any, Any], Any]
    delete: Callable[[Any, Any], None]
    # The title of the edit form's page without JavaScript.
    edit_title: str
    # Sections re-rendered out of band after a change (metrics follow the timeline).
    companions: tuple[str, ...] = ()
    # What one row shows that the page computes for the whole list (a factor's number).
    complete: Callable[[Incident, Any], None] = _nothing_to_add


def _context(rows: EditableRows, incident: Incident, row: Any, **extra: Any) -> dict[str, Any]:
    section = rows.section
    return {
        "incident": incident,
        "section": section,
        "row": row,
        "row_id": f"{section.name}-{row.pk}",
        section.variable: row,
        **extra,
    }


def row_view(request: HttpRequest, rows: EditableRows, pk: int, row_pk: int) -> HttpResponse:
    """One row as the list shows it (what Cancel swaps back)."""
    incident = access.get_incident(request.user, pk)
    row = rows.load(incident, row_pk)
    rows.complete(incident, row)
    context = _context(rows, incident, row, can_edit=access.can_edit(request.user, incident))
    return fragment(request, rows.section.row_template, context)


def edit_view(request: HttpRequest, rows: EditableRows, pk: int, row_pk: int) -> HttpResponse:
    """The row's edit form in its place; after a save, the section (and companions)."""
    incident = access.get_incident(request.user, pk, edit=True)
    row = rows.load(incident, row_pk)
    section = rows.section
    auto_id = f"{section.name}-{row.pk}-%s"
    status = 200
    if request.method == "POST":
        form = rows.bound_form(request.POST, incident, auto_id)
        saved, status = submit(form, lambda: rows.save(form, request.user, row))
        if saved:
            return sections(request, pk, section.section, also=rows.companions)
    else:
        form = rows.initial_form(row, incident, auto_id)
    return fragment(
        request,
        ROW_FORM_TEMPLATE,
        _context(rows, incident, row, form=form),
        status=status,
        target=f"#{section.name}-{row.pk}",
        title=rows.edit_title,
    )


def delete_view(request: HttpRequest, rows: EditableRows, pk: int, row_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    rows.delete(request.user, rows.load(incident, row_pk))
    return sections(request, pk, rows.section.section, also=rows.companions)


View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class RowViews:
    """One list's row, edit and delete views, and the URL keyword of the row's pk."""

    section: RowSection
    key: str
    row: View
    edit: View
    delete: View


def row_views(rows: EditableRows, key: str) -> RowViews:
    """The three views of ``rows``, reading the row's pk from the URL keyword ``key``
    (``event_pk``: the access matrix knows each list's rows by that name)."""

    def row(request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
        return row_view(request, rows, pk, kwargs[key])

    @require_http_methods(["GET", "POST"])
    def edit(request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
        return edit_view(request, rows, pk, kwargs[key])

    @require_POST
    def delete(request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
        return delete_view(request, rows, pk, kwargs[key])

    return RowViews(rows.section, key, row=row, edit=edit, delete=delete)


def add_view(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    slot: str,
    form_class: Callable[..., Form],
    auto_id: str,
    save: Callable[[Any], Any],
    saved: Callable[[Any], HttpResponse],
    target: str,
    title: str,
    form_name: str = "add_form",
) -> HttpResponse:
    """An add form in its slot (``context`` holds what the caller has already checked).

    ``?closed`` puts the closed slot back; a valid POST answers ``saved(form)`` (the
    section re-rendered); a refused one the form again, with its errors and status.
    """
    if request.method == "GET" and "closed" in request.GET:
        return render(request, slot, context)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, auto_id=auto_id)
        done, status = submit(form, lambda: save(form))
        if done:
            return saved(form)
    else:
        form = form_class(auto_id=auto_id)
    return fragment(
        request, slot, {**context, form_name: form}, status=status, target=target, title=title
    )
