"""Settings pages: the organisation's policy, a team's debt settings, and my channels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
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
from kintsugi.debt.models import PersonDebtSettings, TeamDebtSettings, TeamDuePolicy
from kintsugi.debt.selectors.policy import organisation_policy_row, policy_book
from kintsugi.debt.services import settings as settings_services
from kintsugi.debt.views.common import team_or_404
from kintsugi.postmortems import access
from kintsugi.teams.models import Team


def _policy_initial(row: object) -> dict[str, object]:
    names = [f"window_{p.value.lower()}" for p in Priority] + ["at_risk_days"]
    return {name: getattr(row, name) for name in names}


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """Everyone may read the policy in force; admins change the organisation's."""
    row = organisation_policy_row()
    is_admin = access.is_admin(request.user)
    status = 200
    if request.method == "POST":
        if not is_admin:
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
        form = PolicyFields(initial=_policy_initial(row))
    book = policy_book()
    teams = [
        (
            team,
            [book.for_team(team.pk).describe(p) for p in Priority],
            book.for_team(team.pk).at_risk,
        )
        for team in Team.objects.order_by("name")
    ]
    context = {
        "nav": "debt",
        "debt_nav": "policy",
        "form": form,
        "is_admin": is_admin,
        "priorities": list(Priority),
        "default": book.default,
        "org_lines": [(p.label, book.default.describe(p)) for p in Priority],
        "teams": teams,
    }
    return render(request, "debt/policy.html", context, status=status)


@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_or_404(slug)
    if not settings_services.can_manage_team(request.user, team):
        raise PermissionDenied("Only the team's leads and admins change its debt settings.")
    current = TeamDebtSettings.objects.filter(team=team).first() or TeamDebtSettings(team=team)
    override = TeamDuePolicy.objects.filter(team=team).first() or TeamDuePolicy(team=team)
    status = 200
    if request.method == "POST":
        form = TeamSettingsForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    settings_services.team_policy_save(
                        user=request.user,
                        team=team,
                        windows=form.windows(),
                        at_risk_days=form.cleaned_data["at_risk_days"],
                    )
                    settings_services.team_settings_save(
                        user=request.user,
                        team=team,
                        now=get_clock().now(),
                        **form.settings_values(),
                    )
            except ValidationProblem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, f"The debt settings of {team.name} are saved.")
                return redirect("debt-team-settings", slug=team.slug)
        status = 422
    else:
        initial = {
            **_policy_initial(override),
            **{name: getattr(current, name) for name in TEAM_SETTING_FIELDS},
            "review_time": current.review_time.strftime("%H:%M"),
        }
        form = TeamSettingsForm(initial=initial)
    context = {
        "nav": "debt",
        "debt_nav": "policy",
        "team": team,
        "form": form,
        "current": current,
        "webhook_hint": _webhook_hint(current.slack_webhook_url),
    }
    return render(request, "debt/team_settings.html", context, status=status)


def _webhook_hint(url: str) -> str:
    """Enough to recognise which webhook is set, not enough to use it."""
    return f"…{url[-4:]}" if len(url) > 12 else ("set" if url else "")


@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    row = PersonDebtSettings.objects.filter(user=request.user).first() or PersonDebtSettings(
        user=request.user
    )
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
        form = PersonSettingsForm(
            initial={
                "email_enabled": row.email_enabled,
                "slack_enabled": row.slack_enabled,
                "slack_member_id": row.slack_member_id,
            }
        )
    context = {"nav": "debt", "debt_nav": "me", "form": form}
    return render(request, "debt/my_settings.html", context, status=status)
