"""Teams, their members and roles, and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kintsugi.administration import selectors
from kintsugi.administration.forms import TEAM_ROLES, MemberForm, ServiceForm, TeamForm
from kintsugi.administration.services import teams as directory
from kintsugi.administration.views.common import administrators, show_problem
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Service, Team


@administrators
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponse:
    """Every team for site admins (who create them here); a team admin's own teams."""
    form = TeamForm()
    status = 200
    if request.method == "POST":
        if not access.is_admin(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("Only site admins create teams.")
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team = directory.admin_team_create(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationProblem as problem:
                show_problem(form, problem)
            else:
                messages.success(request, f"The team {team.name} is created.")
                return redirect("admin-team", slug=team.slug)
        status = 422
    context = {"nav": "admin", "teams": selectors.teams_for(request.user), "form": form}  # type: ignore[arg-type]
    return render(request, "administration/teams.html", context, status=status)


@administrators
@require_GET
def my_team(request: HttpRequest) -> HttpResponse:
    """The nav's Admin link for a team admin: their team's page when they lead one team;
    otherwise (several teams, or a site admin opening it) the list of teams."""
    if not access.is_admin(request.user):  # type: ignore[arg-type]
        led = list(access.teams_managed_by(request.user).order_by("name")[:2])  # type: ignore[arg-type]
        if len(led) == 1:
            return redirect("admin-team", slug=led[0].slug)
    return team_list(request)


def _managed_team(request: HttpRequest, slug: str) -> Team:
    """The team if the reader administers it: 404 if there is none, 403 if not theirs."""
    team = Team.objects.filter(slug=slug[:100]).first()
    if team is None:
        raise Http404("No such team.")
    if not access.teams_managed_by(request.user).filter(pk=team.pk).exists():  # type: ignore[arg-type]
        raise PermissionDenied("Only site admins and this team's admins manage it.")
    return team


def _team_page(
    request: HttpRequest,
    team: Team,
    *,
    member_form: MemberForm | None = None,
    service_form: ServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "admin",
        "view": selectors.team_view(team),
        "member_form": member_form or MemberForm(),
        "service_form": service_form or _service_form(request, None, team=team),
        "team_roles": TEAM_ROLES,
    }
    return render(request, "administration/team.html", context, status=status)


@administrators
@require_http_methods(["GET"])
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _team_page(request, _managed_team(request, slug))


@administrators
@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    team = _managed_team(request, slug)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            membership = directory.member_add(user=request.user, team=team, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationProblem as problem:
            show_problem(form, problem)
        else:
            messages.success(request, f"{membership.user.username} joined {team.name}.")
            return redirect("admin-team", slug=team.slug)
    return _team_page(request, team, member_form=form, status=422)


def _membership(team: Team, username: str) -> Membership:
    if not selectors.readable(username):
        raise Http404("No such member.")
    membership = (
        Membership.objects.select_related("team", "user")
        .filter(team=team, user__username=username[:150])
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


@administrators
@require_POST
def member_role(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    team = _managed_team(request, slug)
    membership = _membership(team, username)
    try:
        directory.member_set_role(
            user=request.user, membership=membership, role=request.POST.get("role", "")
        )  # type: ignore[arg-type]
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"{username} is now {membership.role.label} in {team.name}.")
    return redirect("admin-team", slug=team.slug)


@administrators
@require_POST
def member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    team = _managed_team(request, slug)
    membership = _membership(team, username)
    directory.member_remove(user=request.user, membership=membership)  # type: ignore[arg-type]
    messages.success(request, f"{username} left {team.name}.")
    return redirect("admin-team", slug=team.slug)


def _service_form(request: HttpRequest, data: object, *, team: Team | None = None) -> ServiceForm:
    teams = [(t.slug, t.name) for t in access.teams_managed_by(request.user).order_by("name")]  # type: ignore[arg-type]
    return ServiceForm(
        data,
        initial={"team": team.slug if team else ""},
        teams=teams,
        site_admin=access.is_admin(request.user),  # type: ignore[arg-type]
    )


@administrators
@require_http_methods(["GET", "POST"])
def service_list(request: HttpRequest) -> HttpResponse:
    form = _service_form(request, None)
    status = 200
    if request.method == "POST":
        form = _service_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            team = _managed_team(request, data["team"]) if data["team"] else None
            try:
                service = directory.admin_service_create(
                    user=request.user,  # type: ignore[arg-type]
                    name=data["name"],
                    slug=data["slug"],
                    team=team,
                )
            except ValidationProblem as problem:
                show_problem(form, problem)
            else:
                messages.success(request, f"The service {service.name} is created.")
                return (
                    redirect("admin-team", slug=team.slug) if team else redirect("admin-services")
                )
        status = 422
    context = {"nav": "admin", "services": selectors.services_for(request.user), "form": form}  # type: ignore[arg-type]
    return render(request, "administration/services.html", context, status=status)


@administrators
@require_POST
def service_rename(request: HttpRequest, service_slug: str) -> HttpResponse:
    service = Service.objects.select_related("team").filter(slug=service_slug[:100]).first()
    if service is None:
        raise Http404("No such service.")
    directory.require_service_admin(request.user, service)  # type: ignore[arg-type]
    try:
        directory.admin_service_rename(
            user=request.user, service=service, name=request.POST.get("name", "")
        )  # type: ignore[arg-type]
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"The service is now called {service.name}.")
    if request.POST.get("back") == "team" and service.team is not None:
        return redirect("admin-team", slug=service.team.slug)
    return redirect("admin-services")


@administrators
@require_POST
def team_approvals(request: HttpRequest, slug: str) -> HttpResponse:
    team = _managed_team(request, slug)
    try:
        count = directory.admin_team_approvals(
            user=request.user,  # type: ignore[arg-type]
            team=team,
            approvals_needed=request.POST.get("approvals_needed", "")[:20],
        )
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"{team.name}'s post-mortems need {count} approval(s).")
    return redirect("admin-team", slug=team.slug)
