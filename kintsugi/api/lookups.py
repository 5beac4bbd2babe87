"""Finding the object a URL names, through the one access module.

A row the caller may not see and a row that does not exist give the same 404 with the
same words, so the API never confirms that a restricted incident (or a part of one) exists.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from kintsugi.api.auth import SAFE_METHODS, current_user
from kintsugi.postmortems import access
from kintsugi.postmortems.models import (
    ActionItem,
    Evidence,
    Factor,
    Incident,
    Lesson,
    TimelineEvent,
)
from kintsugi.reviews.models import Thread
from kintsugi.teams.models import Service, Team

M = TypeVar("M", bound=Model)


def incident_for(
    request: HttpRequest,
    incident_id: int,
    *,
    edit: bool = False,
    queryset: QuerySet[Incident] | None = None,
) -> Incident:
    return access.get_incident(current_user(request), incident_id, edit=edit, queryset=queryset)


def incident_part(
    request: HttpRequest, queryset: QuerySet[M], pk: int, *, label: str, edit: bool = False
) -> M:
    """A timeline event, factor, lesson or action item, with its incident attached."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No such {label}.")
    try:
        incident = incident_for(request, row.incident_id, edit=edit)  # type: ignore[attr-defined]
    except Http404:
        raise Http404(f"No such {label}.") from None
    row.incident = incident  # type: ignore[attr-defined]
    return row


def evidence_for(request: HttpRequest, pk: int, *, edit: bool = False) -> Evidence:
    row = Evidence.objects.select_related("factor").filter(pk=pk).first()
    if row is None:
        raise Http404("No such evidence link.")
    try:
        row.factor.incident = incident_for(request, row.factor.incident_id, edit=edit)
    except Http404:
        raise Http404("No such evidence link.") from None
    return row


def thread_incident(request: HttpRequest, pk: int) -> Incident:
    """The incident of a comment thread the caller may see (404 alike otherwise)."""
    incident_id = Thread.objects.filter(pk=pk).values_list("incident_id", flat=True).first()
    if incident_id is None:
        raise Http404("No such comment thread.")
    try:
        return incident_for(request, incident_id)
    except Http404:
        raise Http404("No such comment thread.") from None


# Path parameters that name an object, and how to find it for the caller.
_FINDERS = {
    "incident_id": lambda request, pk, edit: incident_for(request, pk, edit=edit),
    "event_id": lambda request, pk, edit: incident_part(
        request, TimelineEvent.objects.all(), pk, label="timeline event", edit=edit
    ),
    "factor_id": lambda request, pk, edit: incident_part(
        request, Factor.objects.all(), pk, label="factor", edit=edit
    ),
    "lesson_id": lambda request, pk, edit: incident_part(
        request, Lesson.objects.all(), pk, label="lesson", edit=edit
    ),
    "item_id": lambda request, pk, edit: incident_part(
        request, ActionItem.objects.all(), pk, label="action item", edit=edit
    ),
    "evidence_id": lambda request, pk, edit: evidence_for(request, pk, edit=edit),
    # Anyone who sees the incident may comment; the service decides who resolves.
    "thread_id": lambda request, pk, edit: thread_incident(request, pk),
    "team_slug": lambda request, slug, edit: _directory_row(request, Team, slug, edit),
    "service_slug": lambda request, slug, edit: _directory_row(request, Service, slug, edit),
}
_READER_WRITES = frozenset({"threads", "comments", "decision"})
# Collections where POST creates something, and who may do that.
_CREATORS = {
    "incidents": access.can_create,
    "teams": access.is_admin,
    "services": access.is_admin,
}


def _directory_row(
    request: HttpRequest, model: type[Team] | type[Service], slug: str, edit: bool
) -> None:
    if model is Team and "/members" in request.path:
        _team_members_row(request, slug, edit)
        return
    if not model.objects.filter(slug=slug).exists():
        raise Http404(f"No such {model._meta.verbose_name}.")
    if edit and not access.is_admin(current_user(request)):
        raise PermissionDenied("Only admins may change teams and services.")


def _team_members_row(request: HttpRequest, slug: str, edit: bool) -> None:
    """A team's members are changed by its admins too (an unknown team is the
    endpoint's 422, as on the command line)."""
    team = Team.objects.filter(slug=slug).first()
    user = current_user(request)
    if team is not None and edit and (user is None or not access.can_manage_team(user, team)):
        raise PermissionDenied("Only site admins and this team's admins may do this.")


def authorize_path(request: HttpRequest) -> None:
    """Raise the 404 or 403 the endpoint itself would raise.

    Ninja validates the body before the endpoint runs, so without this an outsider sending
    a malformed body to a restricted incident would get a 422 instead of its 404, and a
    viewer would learn which fields are wrong instead of that they may not write.
    """
    match = request.resolver_match
    kwargs = match.kwargs if match is not None else {}
    collection = request.path.rstrip("/").rsplit("/", 1)[-1]
    # Writes that readers may make too (a comment, a reviewer's decision): the service
    # decides who, so the incident is only required to be visible.
    edit = request.method not in SAFE_METHODS and collection not in _READER_WRITES
    for name, value in kwargs.items():
        finder = _FINDERS.get(name)
        if finder is not None:
            finder(request, value, edit)
    creator = _CREATORS.get(collection) if not kwargs and request.method == "POST" else None
    if creator is not None and not creator(current_user(request)):
        raise PermissionDenied("Your role may not create this.")
