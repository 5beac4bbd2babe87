"""``/settings/trackers/``: a team's tracker connections and account mappings, for its
leads and admins (``can_manage_team``). The webhook secret is shown once, when made."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kintsugi.core.errors import ValidationProblem
from kintsugi.trackers.forms import ConnectionForm, MappingForm
from kintsugi.trackers.services.connections import (
    account_map,
    connection_create,
    connections_for,
    hook_path,
    teams_managed_by,
)


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
    if request.method == "POST" and request.POST.get("action") == "map":
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
        "created_url": settings.KINTSUGI_BASE_URL + hook_path(created) if created else "",
    }
    response = render(request, "trackers/settings.html", context, status=status)
    response["Cache-Control"] = "no-store"  # it may show a secret: never from a cache
    return response
