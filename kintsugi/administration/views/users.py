"""People: the list, one person, inviting, and the changes a site admin makes to someone."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.accounts.models import ApiToken, Role
from kintsugi.administration import selectors
from kintsugi.administration.forms import InviteForm
from kintsugi.administration.models import Invitation
from kintsugi.administration.services import users as people
from kintsugi.administration.views.common import administrators, show_problem, site_admins
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.teams.models import Team


@site_admins
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.MAX_QUERY]
    page = selectors.user_page(query=query, page=request.GET.get("page", "1")[:10])
    return render(
        request,
        "administration/users.html",
        {
            "nav": "admin",
            "page": page,
            "query": query,
            "invitations": selectors.open_invitations(),
        },
    )


def _invite_form(
    request: HttpRequest, data: object = None, initial: dict | None = None
) -> InviteForm:
    teams = [(t.slug, t.name) for t in access.teams_managed_by(request.user).order_by("name")]  # type: ignore[arg-type]
    return InviteForm(
        data,
        initial=initial or {},
        teams=teams,
        site_admin=access.is_admin(request.user),  # type: ignore[arg-type]
    )


@administrators
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    """Site admins invite anyone; team admins invite people into a team they lead."""
    if request.method == "GET":
        form = _invite_form(request, initial={"team": request.GET.get("team", "")[:100]})
        return render(request, "administration/invite.html", {"nav": "admin", "form": form})
    form = _invite_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        team = Team.objects.filter(slug=data["team"]).first() if data["team"] else None
        try:
            invitation, sent = people.user_invite(
                user=request.user,  # type: ignore[arg-type]
                email=data["email"],
                role=data.get("role", Role.VIEWER),
                team=team,
                team_role=data["team_role"],
            )
        except ValidationProblem as problem:
            show_problem(form, problem)
        else:
            if sent:
                messages.success(request, f"Invitation sent to {invitation.email}.")
            else:
                messages.error(
                    request,
                    f"The invitation for {invitation.email} is saved but the email could not "
                    "be sent: check the mail settings (EMAIL_HOST) and send it again.",
                )
            return redirect("admin-team", slug=team.slug) if team else redirect("admin-users")
    return render(request, "administration/invite.html", {"nav": "admin", "form": form}, status=422)


@administrators
@require_POST
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = Invitation.objects.select_related("team").filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        people.invitation_withdraw(user=request.user, invitation=invitation)  # type: ignore[arg-type]
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"The invitation for {invitation.email} is withdrawn.")
    team = invitation.team
    return redirect("admin-team", slug=team.slug) if team else redirect("admin-users")


def _person_or_404(username: str) -> selectors.Person:
    found = selectors.person(username)
    if found is None:
        raise Http404("No such user.")
    return found


@site_admins
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    found = _person_or_404(username)
    return render(
        request,
        "administration/user.html",
        {
            "nav": "admin",
            "person": found,
            "roles": Role.choices,
            "is_self": found.user.pk == request.user.pk,
        },
    )


def _back(username: str) -> HttpResponse:
    return redirect("admin-user", username=username)


@site_admins
@require_POST
def user_active(request: HttpRequest, username: str) -> HttpResponse:
    person = _person_or_404(username).user
    active = request.POST.get("active", "")[:5]
    if active not in ("0", "1"):
        messages.error(request, "Say whether the account is active (1) or not (0).")
        return _back(person.username)
    try:
        people.user_set_active(user=request.user, person=person, active=active == "1")  # type: ignore[arg-type]
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        state = "reactivated" if active == "1" else "deactivated: they can no longer sign in"
        messages.success(request, f"{person.username} is {state}.")
    return _back(person.username)


@site_admins
@require_POST
def user_role(request: HttpRequest, username: str) -> HttpResponse:
    person = _person_or_404(username).user
    try:
        people.user_set_role(user=request.user, person=person, role=request.POST.get("role", ""))  # type: ignore[arg-type]
    except ValidationProblem as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"{person.username} is now: {person.get_role_display()}.")
    return _back(person.username)


@site_admins
@require_POST
def user_token_revoke(request: HttpRequest, username: str, token_pk: int) -> HttpResponse:
    person = _person_or_404(username).user
    token = ApiToken.objects.filter(pk=token_pk, user=person).first()
    if token is None:
        raise Http404("No such API token.")
    people.user_token_revoke(user=request.user, person=person, token=token)  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” of {person.username} is revoked.")
    return _back(person.username)
