"""Finding the team, person or membership an administration action names.

Shared by the command line and the API, which both take names (a team's slug, a
username) rather than ids; an unknown name is a bad request, said in one line, and names
are cut to their column's length before they are looked up.
"""

from __future__ import annotations

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.teams.models import Membership, Team

SLUG_LENGTH = 100
USERNAME_LENGTH = 150


def team_named(slug: str) -> Team:
    team = Team.objects.filter(slug=slug[:SLUG_LENGTH]).first()
    if team is None:
        raise ValidationProblem(f"There is no team {slug[:SLUG_LENGTH]!r}.", field="team")
    return team


def user_named(username: str) -> User:
    person = User.objects.filter(username=username[:USERNAME_LENGTH]).first()
    if person is None:
        raise ValidationProblem(
            f"There is no user {username[:USERNAME_LENGTH]!r}.", field="username"
        )
    return person


def membership_of(team: Team, username: str) -> Membership:
    found = Membership.objects.select_related("team", "user").filter(
        team=team, user__username=username[:USERNAME_LENGTH]
    )
    membership = found.first()
    if membership is None:
        raise ValidationProblem(
            f"{username[:USERNAME_LENGTH]!r} is not in {team.name}.", field="username"
        )
    return membership
