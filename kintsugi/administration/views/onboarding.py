"""Accepting an invitation, and the first-run guide.

The invitation link is open (the person has no account yet): it names one invitation,
signed, so it can do nothing else. With single sign-on only, it sends the person to the
identity provider and back; signed in, an invitation for their address adds them to its
team. Accepting leads to the first-run guide, once, and on to the team's post-mortems.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from kintsugi.administration.forms import SignUpForm
from kintsugi.administration.invitations import LinkProblem, invitation_from_token
from kintsugi.administration.models import Invitation
from kintsugi.administration.services import users as people
from kintsugi.administration.views.common import show_problem
from kintsugi.core.errors import ValidationProblem
from kintsugi.teams.models import Membership, Team

BACKEND = "kintsugi.accounts.backends.UserBackend"


def _suggested_username(email: str) -> str:
    local = email.split("@", 1)[0]
    return "".join(c for c in local if c.isalnum() or c in "._-+")[:150]


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token)
    except LinkProblem as problem:
        if problem.used_by is not None and problem.used_by == request.user.pk:
            # Used by this very person: single sign-on admitted them with it on the way
            # here (the link sent them to the provider and back).
            return redirect("welcome")
        context = {"message": problem.message}
        return render(
            request, "administration/invitation_invalid.html", context, status=problem.status
        )
    if request.user.is_authenticated:
        try:
            people.invitation_apply(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        except PermissionDenied as refused:
            context = {"message": str(refused)}
            return render(request, "administration/invitation_invalid.html", context, status=403)
        except ValidationProblem as problem:  # used a moment ago, in another tab
            context = {"message": problem.message}
            return render(request, "administration/invitation_invalid.html", context, status=410)
        return redirect("welcome")
    if settings.SSO_ONLY:
        return redirect(f"{reverse('sso-login')}?{urlencode({'next': request.path})}")
    form = SignUpForm(
        request.POST if request.method == "POST" else None,
        initial={"username": _suggested_username(invitation.email)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person = people.invitation_accept(invitation=invitation, **form.cleaned_data)
            except ValidationProblem as problem:
                show_problem(form, problem)
            else:
                login(request, person, backend=BACKEND)
                return redirect("welcome")
        status = 422
    context = {
        "invitation": invitation,
        "form": form,
        "sso_enabled": settings.SSO_ENABLED,
        "sso_label": settings.SSO_LABEL,
        "sso_url": f"{reverse('sso-login')}?{urlencode({'next': request.path})}",
    }
    response = render(request, "administration/invitation_accept.html", context, status=status)
    response["Cache-Control"] = "no-store"
    # The link is a secret until used: never sent to another site (same-origin, not
    # no-referrer, which makes the browser post the form with "Origin: null", refused by CSRF).
    response["Referrer-Policy"] = "same-origin"
    return response


def team_list_url(user_id: int) -> str:
    """The post-mortem list of the team the person was invited to (else their first
    team; else every post-mortem)."""
    base = reverse(settings.LOGIN_REDIRECT_URL)
    invitation = (
        Invitation.objects.filter(accepted_by_id=user_id, team__isnull=False)
        .select_related("team")
        .order_by("-accepted_at")
        .first()
    )
    team = invitation.team if invitation is not None else None
    if team is None:
        membership = Membership.objects.filter(user_id=user_id).select_related("team").first()
        team = membership.team if membership is not None else None
    return f"{base}?{urlencode({'team': team.slug})}" if team is not None else base


@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    """The first-run guide: where an accepted invitation lands, once; it stays reachable
    as a short guide, and its button goes on to the team's post-mortems."""
    led = (
        Team.objects.filter(memberships__user_id=request.user.pk, memberships__is_lead=True)
        .order_by("name")
        .first()
    )
    context = {"target": team_list_url(request.user.pk), "led_team": led}
    return render(request, "administration/welcome.html", context)
