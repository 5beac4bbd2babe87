"""Reading the review forms' input: names of people and teams, bounded before any query."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.teams.models import Team

MAX_NAMES = 50
_SPLIT = re.compile(r"[\s,;]+")


def names(values: Iterable[str], *, field: str) -> list[str]:
    """Usernames or team slugs as typed (comma, space or one per field; "@" optional)."""
    found: list[str] = []
    for value in values:
        if len(value) > 5000:
            raise ValidationProblem("That list of names is too long.", field=field)
        for part in _SPLIT.split(value):
            name = part.strip().lstrip("@")
            if name and name not in found:
                found.append(name)
    if len(found) > MAX_NAMES:
        raise ValidationProblem(f"Name at most {MAX_NAMES} at once.", field=field)
    for name in found:
        if len(name) > 150:
            raise ValidationProblem("A name is at most 150 characters long.", field=field)
    return found


def users_named(usernames: list[str]) -> list[User]:
    people = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}
    unknown = [name for name in usernames if name not in people]
    if unknown:
        shown = ", ".join(repr(n[:40]) for n in unknown[:5])
        raise ValidationProblem(f"There is no active user named {shown}.", field="reviewers")
    return [people[name] for name in usernames]


def teams_named(slugs: list[str]) -> list[Team]:
    teams = {t.slug: t for t in Team.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in teams]
    if unknown:
        shown = ", ".join(repr(s[:40]) for s in unknown[:5])
        raise ValidationProblem(f"There is no team {shown}.", field="teams")
    return [teams[slug] for slug in slugs]
