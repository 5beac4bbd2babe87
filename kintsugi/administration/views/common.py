"""What every administration view shares: who may open it, and showing a refused input."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access

View = Callable[..., HttpResponse]


def administrators(view: View) -> View:
    """Site admins and team admins; anyone else gets 403 before anything is read."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_administer(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only site admins and team admins may open this page.")
        return view(request, *args, **kwargs)

    return wrapper


def site_admins(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_admin(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only site admins may open this page.")
        return view(request, *args, **kwargs)

    return wrapper


def show_problem(form: forms.Form, problem: ValidationProblem) -> None:
    """Put a service's refusal next to the field it names (or above the form)."""
    field = problem.field if problem.field in form.fields else None
    form.add_error(field, problem.message)
