"""The administration home (with links to the settings pages other apps own), the
severities, and the log of administration changes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kintsugi.administration import selectors
from kintsugi.administration.audit import admin_changes
from kintsugi.administration.forms import LanguageForm, SeverityForm
from kintsugi.administration.services.language import FIELDS, admin_language_update
from kintsugi.administration.services.severities import severity_reset, severity_update
from kintsugi.administration.views.common import administrators, show_problem, site_admins
from kintsugi.blameless.services import language_settings
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.teams.severities import severity_texts

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
    """The levels are fixed (the Markdown format, the API and the import share them:
    ``kintsugi/core/vocabulary.py``); their names and definitions are the organisation's,
    edited here by site admins and shown to team admins."""
    return _severities_page(request)


def _severities_page(
    request: HttpRequest, *, failed: tuple[str, SeverityForm] | None = None
) -> HttpResponse:
    editable = access.is_admin(request.user)  # type: ignore[arg-type]
    rows = []
    for text in severity_texts().values():
        form = None
        if editable:
            form = (
                failed[1]
                if failed and failed[0] == text.level
                else SeverityForm(
                    initial={"name": text.name, "definition": text.definition},
                    auto_id=f"id_{text.level.lower()}_%s",
                )
            )
        rows.append({"text": text, "form": form})
    context = {"nav": "admin", "severities": rows, "editable": editable}
    return render(request, "administration/severities.html", context, status=422 if failed else 200)


@site_admins
@require_POST
def severity_edit(request: HttpRequest, level: str) -> HttpResponse:
    """Save a level's words, or reset them to the vocabulary's default ("reset" posted)."""
    form = SeverityForm(request.POST, auto_id=f"id_{level.lower()[:8]}_%s")
    try:
        if request.POST.get("reset"):
            text = severity_reset(user=request.user, level=level)  # type: ignore[arg-type]
            messages.success(request, f"{text.level} is back to its default words.")
            return redirect("admin-severities")
        if form.is_valid():
            text = severity_update(user=request.user, level=level, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"{text.level} is saved.")
            return redirect("admin-severities")
    except ValidationProblem as problem:
        if problem.field == "level":
            raise Http404(problem.message) from None
        show_problem(form, problem)
    return _severities_page(request, failed=(level.upper()[:8], form))


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
