"""The administration home (with links to the settings pages other apps own), the
severities, and the log of administration changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from kintsugi.administration import selectors
from kintsugi.administration.audit import admin_changes
from kintsugi.administration.forms import LanguageForm
from kintsugi.administration.services.language import FIELDS, admin_language_update
from kintsugi.administration.views.common import administrators, show_problem, site_admins
from kintsugi.blameless.services import language_settings
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import Severity
from kintsugi.postmortems import access

AUDIT_PAGE = 50


@administrators
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "nav": "admin",
        "site_admin": access.is_admin(request.user),  # type: ignore[arg-type]
        "teams": selectors.teams_for(request.user),  # type: ignore[arg-type]
        "sso_enabled": settings.SSO_ENABLED,
        "sso_only": settings.SSO_ONLY,
    }
    return render(request, "administration/home.html", context)


@administrators
@require_GET
def severities(request: HttpRequest) -> HttpResponse:
    """Read only: the severities are part of the Markdown format, the API and the import
    (``kintsugi/core/vocabulary.py``), so changing them is a release, not a setting."""
    rows = [(s.value, s.label, s.definition) for s in Severity]
    return render(request, "administration/severities.html", {"nav": "admin", "severities": rows})


@site_admins
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    number = selectors.page_number(request.GET.get("page", "1")[:10])
    page = Paginator(admin_changes(), AUDIT_PAGE).get_page(number)
    return render(request, "administration/audit.html", {"nav": "admin", "page": page})


@site_admins
@require_http_methods(["GET", "POST"])
def language(request: HttpRequest) -> HttpResponse:
    """The blameless-language and 5 Whys settings (the 5 Whys answers are checked with the
    same linter): rules on and off, the organisation's vocabulary, the publishing mode."""
    row = language_settings()
    status = 200
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            try:
                admin_language_update(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationProblem as problem:
                show_problem(form, problem)
            else:
                messages.success(request, "The language settings are saved.")
                return redirect("admin-language")
        status = 422
    else:
        form = LanguageForm(initial={name: getattr(row, name) for name in FIELDS})
    context = {"nav": "admin", "form": form, "updated_at": row.updated_at}
    return render(request, "administration/language.html", context, status=status)
