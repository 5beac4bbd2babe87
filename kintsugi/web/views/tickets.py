"""An action item's ticket (issue 17): Create ticket, Link ticket, Retry, and "create tickets
for all items without one". Plain POSTs that answer with the post-mortem page (303), the
outcome in a message (the bulk create, from htmx, answers with its progress panel instead); the calls to the tracker are the worker's, except the first read of
a linked issue, made here so a wrong number is said at once."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem
from kintsugi.trackers.models import TicketLink
from kintsugi.trackers.services import tickets


def _back(pk: int, item_pk: int | None = None) -> HttpResponseRedirect:
    anchor = f"#action-{item_pk}" if item_pk else "#action-items"
    return HttpResponseRedirect(reverse("postmortem-detail", args=[pk]) + anchor, status=303)


@require_POST
def ticket_action(request: HttpRequest, pk: int, item_pk: int, what: str) -> HttpResponseRedirect:
    incident = access.get_incident(request.user, pk, edit=True)
    item = get_object_or_404(ActionItem, pk=item_pk, incident=incident)
    item.incident = incident
    try:
        if what == "create":
            tickets.ticket_create(user=request.user, item=item)
            messages.success(request, "The ticket will be created in the tracker in a moment.")
        elif what == "link":
            reference = str(request.POST.get("reference", ""))
            link = tickets.ticket_link(user=request.user, item=item, reference=reference)
            messages.success(request, f"Linked to issue #{link.key}.")
        elif what == "retry":
            link = get_object_or_404(TicketLink, action_item=item)
            tickets.ticket_retry(user=request.user, link=link)
            messages.success(request, "The sync will be tried again in a moment.")
        else:
            raise Http404("No such ticket action.")
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    return _back(pk, item_pk)


@require_http_methods(["GET", "POST"])
def tickets_create_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: queue a ticket for every item without one (idempotent). From htmx, the answer
    is the progress panel, which polls GET here until the worker has made them all; without
    JavaScript, the page again with the outcome in a message."""
    incident = access.get_incident(request.user, pk, edit=True)
    queued, problem = 0, ""
    if request.method == "POST":
        try:
            queued = tickets.tickets_create_missing(user=request.user, incident=incident)
        except ValidationProblem as error:
            problem = error.message
        if not request.htmx:
            if problem:
                messages.error(request, problem)
            else:
                messages.success(request, f"{queued} ticket(s) will be created in the tracker.")
            return _back(pk)
    elif not request.htmx:
        return _back(pk)
    context = {
        "incident": incident,
        "progress": tickets.bulk_progress(incident),
        "queued": queued,
        "problem": problem,
        "posted": request.method == "POST",
    }
    response = render(request, "web/postmortems/_tickets_bulk.html", context)
    response["Cache-Control"] = "no-store"
    return response
