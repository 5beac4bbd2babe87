"""The administration home (with links to the settings pages other apps own), the
severities, and the log of administration changes."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kintsugi.administration import selectors
from kintsugi.administration.audit import admin_changes
from kintsugi.administration.views.common import administrators, site_admins
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
