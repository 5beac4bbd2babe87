"""Settings pages: the organisation's policy, a team's debt settings, and my channels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import Priority
from kintsugi.debt.clock import get_clock
from kintsugi.debt.forms import (
    TEAM_SETTING_FIELDS,
    PersonSettingsForm,
    PolicyFields,
    TeamSettingsForm,
)
from kintsugi.debt.selectors.policy import organisation_policy_row, policy_book
from kintsugi.debt.selectors.settings import (
    person_settings_values,
    policy_values,
    team_policy_lines,
    team_settings_view,
)
from kintsugi.debt.services import settings as settings_services
from kintsugi.debt.views.common import team_or_404
from kintsugi.postmortems import access


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """Everyone may read the policy in force; admins change the organisation's."""
    may_change = access.can_change_organisation_policy(request.user)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only admins change the organisation's policy.")
        form = PolicyFields(request.POST)
        if form.is_valid():
            try:
                settings_services.organisation_policy_save(
                    user=request.user,
                    windows=form.windows(),
                    at_risk_days=form.cleaned_data["at_risk_days"],
                )
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, "The organisation's policy is saved.")
                return redirect("debt-policy")
        status = 422
    else:
        form = PolicyFields(initial=policy_values(organisation_policy_row()))
    book = policy_book()
    context = {
        "nav": "debt",
        "debt_nav": "policy",
        "form": form,
        "is_admin": may_change,
        "priorities": list(Priority),
        "default": book.default,
        "org_lines": [(p.label, book.default.describe(p)) for p in Priority],
        "teams": team_policy_lines(book),
    }
    return render(request, "debt/policy.html", context, status=status)


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_or_404(slug)
    if not access.can_manage_team(request.user, team):
        raise PermissionDenied("Only the team's leads and admins change its debt settings.")
    stored = team_settings_view(team)
    status = 200
    if request.method == "POST":
        form = TeamSettingsForm(request.POST)
        if form.is_valid():
            try:
                settings_services.team_debt_settings_save(
                    user=request.user,
                    team=team,
                    now=get_clock().now(),
                    windows=form.windows(),
                    at_risk_days=form.cleaned_data["at_risk_days"],
                    **form.settings_values(),
                )
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, f"The debt settings of {team.name} are saved.")
                return redirect("debt-team-settings", slug=team.slug)
        status = 422
    else:
        form = TeamSettingsForm(initial=stored.values(TEAM_SETTING_FIELDS))
    context = {
        "nav": "debt",
        "debt_nav": "policy",
        "team": team,
        "form": form,
        "current": stored.settings,
        "webhook_hint": stored.webhook_hint,
    }
    return render(request, "debt/team_settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = PersonSettingsForm(request.POST)
        if form.is_valid():
            try:
                settings_services.person_settings_save(user=request.user, **form.cleaned_data)
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, "Your reminder settings are saved.")
                return redirect("debt-my-settings")
        status = 422
    else:
        form = PersonSettingsForm(initial=person_settings_values(request.user))
    context = {"nav": "debt", "debt_nav": "me", "form": form}
    return render(request, "debt/my_settings.html", context, status=status)
