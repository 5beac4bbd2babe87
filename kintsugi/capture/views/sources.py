"""The sources settings page: list, add, rotate. Admins see every source; a team's leads
see and manage their team's (the rule of kintsugi/debt/views/settings.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kintsugi.capture.forms import RotateForm, SourceForm
from kintsugi.capture.selectors import source_rows
from kintsugi.capture.services.sources import (
    IssuedSecret,
    may_manage_any,
    source_create,
    source_rotate,
    sources_for,
)
from kintsugi.core.errors import ValidationProblem


@require_http_methods(["GET", "POST"])
def source_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_manage_any(user):  # type: ignore[arg-type]
        raise PermissionDenied("Only admins and team leads manage sources.")
    form = SourceForm()
    issued: IssuedSecret | None = None
    problem = ""
    status = 200
    if request.method == "POST" and request.POST.get("action") == "rotate":
        rotate = RotateForm(request.POST)
        if not rotate.is_valid():
            problem, status = "Choose a source to rotate.", 422
        else:
            source = sources_for(user).filter(pk=rotate.cleaned_data["source"]).first()  # type: ignore[arg-type]
            if source is None:
                problem, status = "There is no such source among yours.", 404
            else:
                try:
                    issued = source_rotate(
                        user=user,  # type: ignore[arg-type]
                        source=source,
                        signing_secret=rotate.cleaned_data["signing_secret"],
                    )
                except ValidationProblem as error:
                    problem, status = error.message, 422
    elif request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            try:
                issued = source_create(user=user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationProblem as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 422
            else:
                form = SourceForm()
        else:
            status = 422
    context = {
        "nav": "sources",
        "form": form,
        "rows": source_rows(user),  # type: ignore[arg-type]
        "issued": issued.as_json() if issued else None,
        "problem": problem,
    }
    response = render(request, "capture/sources.html", context, status=status)
    response["Cache-Control"] = "no-store"  # it may show a secret: never from a cache
    return response
