"""Reads for the administration pages, each a fixed number of queries whatever the number
of people, teams or services (the tests count them with 3 and 30)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from kintsugi.accounts.models import ApiToken, User
from kintsugi.administration.models import Invitation
from kintsugi.postmortems import access
from kintsugi.reviews.models import TeamReviewSettings
from kintsugi.teams.models import Membership, Service, Team

PAGE_SIZE = 25
MAX_QUERY = 100


def page_number(value: object) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return 1
    return min(max(number, 1), 100_000)


def user_page(*, query: str = "", page: object = 1) -> Page:
    """People matching ``query`` (username, name or email), 25 a page, each with their
    teams and the number of their active API tokens (3 queries: count, rows, teams)."""
    people = User.objects.order_by("username")
    # Control characters match no name, and PostgreSQL refuses a NUL in a parameter.
    text = "".join(c for c in query[:MAX_QUERY] if c >= " ").strip()
    if text:
        people = people.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    people = people.annotate(
        active_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at=None))
    ).prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("team").order_by("team__name")
        )
    )
    return Paginator(people, PAGE_SIZE).get_page(page_number(page))


def open_invitations(*, teams: QuerySet[Team] | None = None) -> list[Invitation]:
    """Invitations not yet used or withdrawn, newest first (the latest 100)."""
    rows = Invitation.objects.filter(accepted_at=None, withdrawn_at=None)
    if teams is not None:
        rows = rows.filter(team__in=teams)
    return list(rows.select_related("team", "invited_by")[:100])


@dataclass(frozen=True)
class Person:
    user: User
    memberships: list[Membership]
    tokens: list[ApiToken]


def readable(text: str) -> bool:
    """No control characters: such a name exists nowhere, and PostgreSQL refuses a NUL."""
    return all(c >= " " for c in text)


def person(username: str) -> Person | None:
    if not readable(username):
        return None
    user = User.objects.filter(username=username[:150]).first()
    if user is None:
        return None
    memberships = list(
        Membership.objects.filter(user=user).select_related("team").order_by("team__name")
    )
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at")[:200])
    return Person(user, memberships, tokens)


def teams_for(user: User) -> list[Team]:
    """The teams ``user`` administers, with their counts of members and services."""
    return list(
        access.teams_managed_by(user)
        .annotate(
            member_count=Count("memberships", distinct=True),
            service_count=Count("services", distinct=True),
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class TeamView:
    team: Team
    memberships: list[Membership]
    services: list[Service]
    invitations: list[Invitation]
    approvals_needed: int


def team_view(team: Team) -> TeamView:
    memberships = list(
        Membership.objects.filter(team=team).select_related("user").order_by("user__username")
    )
    services = list(Service.objects.filter(team=team).order_by("name"))
    approvals = (
        TeamReviewSettings.objects.filter(team=team)
        .values_list("approvals_needed", flat=True)
        .first()
    )
    invitations = open_invitations(teams=Team.objects.filter(pk=team.pk))
    return TeamView(team, memberships, services, invitations, approvals or 1)


def services_for(user: User) -> list[Service]:
    """Every service for site admins; a team admin's teams' services for them."""
    rows = Service.objects.select_related("team").order_by("name")
    if not access.is_admin(user):
        rows = rows.filter(team__in=access.teams_managed_by(user))
    return list(rows)
