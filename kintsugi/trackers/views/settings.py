"""``/settings/trackers/``: a team's tracker connections and account mappings, for its
leads and admins (``can_manage_team``). The webhook secret is shown once, when made or
rotated (the previous one is accepted for the grace period chosen)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import grace_from_hours
from kintsugi.trackers.forms import ConnectionForm, MappingForm, RotateForm
from kintsugi.trackers.models import TrackerConnection
from kintsugi.trackers.services.connections import (
    account_map,
    connection_create,
    connections_for,
    hook_path,
    teams_managed_by,
)
from kintsugi.trackers.services.secrets import webhook_rotate


def _rotate(
    request: HttpRequest, mine: QuerySet[TrackerConnection]
) -> tuple[TrackerConnection | None, str]:
    """A new webhook secret for one of the person's connections, shown once."""
    form = RotateForm(request.POST)
    problem = "Choose one of your connections and a grace period of 0 to 720 hours."
    if form.is_valid():
        connection = mine.filter(pk=form.cleaned_data["connection"]).first()
        if connection is not None:
            hours = form.cleaned_data["grace_hours"]
            fresh = webhook_rotate(
                user=request.user,  # type: ignore[arg-type]
                connection=connection,
                grace=grace_from_hours(hours),
            )
            return fresh, ""
        problem = "There is no such connection among yours."
    return None, problem


@require_http_methods(["GET", "POST"])
def tracker_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = [(team.pk, team.name) for team in teams_managed_by(user)]  # type: ignore[arg-type]
    if not teams:
        raise PermissionDenied("Only admins and team leads set up trackers.")
    form = ConnectionForm(teams=teams)
    mapping = MappingForm()
    created = None
    status = 200
    mine = connections_for(user)  # type: ignore[arg-type]
    rotated, rotate_problem = None, ""
    if request.method == "POST" and request.POST.get("action") == "rotate":
        rotated, rotate_problem = _rotate(request, mine)
        status = 422 if rotate_problem else 200
    elif request.method == "POST" and request.POST.get("action") == "map":
        mapping = MappingForm(request.POST)
        status = 422
        if mapping.is_valid():
            data = mapping.cleaned_data
            connection = mine.filter(pk=data["connection"]).first()
            if connection is None:
                mapping.add_error(None, "There is no such connection among yours.")
            else:
                try:
                    account_map(
                        user=user,
                        connection=connection,
                        account=data["account"],
                        username=data["username"],
                    )  # type: ignore[arg-type]
                    mapping, status = MappingForm(), 200
                except ValidationProblem as error:
                    mapping.add_error(
                        error.field if error.field in mapping.fields else None, error.message
                    )
    elif request.method == "POST":
        form = ConnectionForm(request.POST, teams=teams)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            team = teams_managed_by(user).get(pk=int(data["team"]))  # type: ignore[arg-type]
            try:
                created = connection_create(
                    user=user,  # type: ignore[arg-type]
                    team=team,
                    kind=data["kind"],
                    name=data["name"],
                    project=data["project"],
                    token_env=data["token_env"],
                    token=data["token"],
                    base_url=data["api_url"],
                    web_url=data["web_url"],
                )
                form, status = ConnectionForm(teams=teams), 200
            except ValidationProblem as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
    rows = [
        (connection, settings.KINTSUGI_BASE_URL + hook_path(connection))
        for connection in mine.prefetch_related("accounts__user")
    ]
    context = {
        "form": form,
        "mapping": mapping,
        "rows": rows,
        "created": created,
        "rotated": rotated,
        "rotated_url": settings.KINTSUGI_BASE_URL + hook_path(rotated) if rotated else "",
        "rotate_problem": rotate_problem,
        "now": timezone.now(),
        "nav": "trackers",
        "created_url": settings.KINTSUGI_BASE_URL + hook_path(created) if created else "",
    }
    response = render(request, "trackers/settings.html", context, status=status)
    response["Cache-Control"] = "no-store"  # it may show a secret: never from a cache
    return response
