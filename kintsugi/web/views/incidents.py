"""The list of post-mortems, creating an incident, the post-mortem page and its three
incident-level sections (header, executive summary, trigger/detection/resolution)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.selectors import (
    incident_list_keys,
    incidents_of,
    postmortem_detail,
    with_list_details,
)
from kintsugi.postmortems.services import ConflictError
from kintsugi.teams.models import Membership, Service, Team
from kintsugi.web.forms.filters import parse_filters
from kintsugi.web.forms.incidents import (
    HeaderForm,
    IncidentCreateForm,
    IncidentSectionForm,
    NarrativeForm,
    SummaryForm,
)
from kintsugi.web.views.common import (
    detail_url,
    focus,
    fragment,
    section_view,
    sections,
)
from kintsugi.web.views.lint import publish_notice
from kintsugi.web.views.reading import read_page, working_page

PAGE_SIZE = 25


def postmortem_list(request: HttpRequest) -> HttpResponse:
    teams = list(Team.objects.order_by("name"))
    services = list(Service.objects.order_by("name"))
    filters = parse_filters(request.GET, teams=teams, services=services)
    errors = list(filters.errors)
    page_number = request.GET.get("page", "1").strip() or "1"
    if not page_number.isdigit():
        errors.append(f"Page “{page_number[:20]}” is not a page number: showing the first page.")
        page_number = "1"
    # The pages slice the ids, then read the page's 25 incidents (a deferred join): page
    # 200 no longer reads and joins the 4,975 incidents before it.
    paginator = Paginator(incident_list_keys(user=request.user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(page_number)
    incidents = with_list_details(incidents_of(page.object_list))
    context = {
        "nav": "list",
        "page": page,
        "incidents": incidents,
        "filters": filters,
        "errors": errors,
        "filtered": any(
            [filters.status, filters.severity, filters.team, filters.service, filters.q]
        ),
        "teams": teams,
        "services": services,
        "statuses": list(PostmortemStatus),
        "severities": list(Severity),
    }
    template = "web/postmortems/list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create(request.user):
        raise PermissionDenied("Viewers cannot create incidents; ask an admin for the editor role.")
    status = 200
    if request.method == "POST":
        form = IncidentCreateForm(request.POST)
        if form.is_valid():
            incident = form.save(user=request.user)
            if incident is not None:
                return redirect(detail_url(incident.pk))
        status = 422
    else:
        membership = Membership.objects.filter(user=request.user).order_by("team__name").first()
        form = IncidentCreateForm(initial={"team": membership.team_id if membership else None})
    focus(form)
    return render(request, "web/postmortems/new.html", {"form": form, "nav": "new"}, status=status)


def postmortem_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A published post-mortem opens as a document for readers (``reading``); until then
    this is the page it is written on."""
    view = postmortem_detail(user=request.user, pk=pk)
    if view.incident.status == PostmortemStatus.PUBLISHED:
        return read_page(request, view)
    return working_page(request, view)


INCIDENT_SECTIONS: dict[str, tuple[type[IncidentSectionForm], tuple[str, ...], str]] = {
    # section: (form, out-of-band companions refreshed after a save, page title)
    # The team sets the due policy and the start dates it: both show in the debt box and
    # on each action item (and the services choose the box's recurrence).
    "header": (HeaderForm, ("debt", "action-items"), "Edit details"),
    "summary": (
        SummaryForm,
        ("metrics", "severity-badge", "debt", "action-items"),
        "Edit the executive summary",
    ),
    "narrative": (NarrativeForm, (), "Edit trigger, detection and resolution"),
}


def incident_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    access.get_incident(request.user, pk)
    return section_view(request, pk, section)


@require_http_methods(["GET", "POST"])
def incident_section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    form_class, companions, title = INCIDENT_SECTIONS[section]
    queryset = Incident.objects.select_related("team").prefetch_related("services", "authors")
    incident = access.get_incident(request.user, pk, edit=True, queryset=queryset)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        status = 422
        if form.is_valid():
            try:
                saved = form.save(user=request.user, incident=incident)
            except ConflictError as conflict:
                form.show_section_conflict(conflict)
                status = 409
            else:
                if saved is not None:
                    notice = publish_notice(before=incident, after=saved)
                    return sections(request, incident.pk, section, also=companions, extra=notice)
    else:
        form = form_class.for_incident(incident)
    context = {"incident": incident, "form": form, "section": section}
    return fragment(
        request,
        f"web/postmortems/_{section}.html#{section}-form",
        context,
        status=status,
        target=f"#{section}",
        title=title,
    )
