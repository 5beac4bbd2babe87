"""Turning the names a client sends (team and service slugs, usernames) into rows.

An unknown name is a 422 that names the field and the missing values, so a typo in an
owner's username is reported instead of leaving the action item without an owner.
"""

from __future__ import annotations

from collections.abc import Sequence

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.teams.models import Service, Team


def _missing(wanted: set[str], found: set[str]) -> str:
    return ", ".join(repr(name) for name in sorted(wanted - found))


def _storable(names: set[str]) -> set[str]:
    """The names worth looking up: none can hold a NUL, which PostgreSQL refuses outright
    (a 500); one that does is reported as unknown like any other."""
    return {name for name in names if "\x00" not in name}


def team_by_slug(slug: str | None, *, field: str) -> Team | None:
    if slug is None:
        return None
    team = Team.objects.filter(slug=slug.strip()).first() if _storable({slug}) else None
    if team is None:
        raise ValidationProblem(f"There is no team with the slug {slug!r}.", field=field)
    return team


def services_by_slug(slugs: Sequence[str], *, field: str) -> list[Service]:
    wanted = {slug.strip() for slug in slugs if slug.strip()}
    found = {
        service.slug: service for service in Service.objects.filter(slug__in=_storable(wanted))
    }
    if len(found) != len(wanted):
        raise ValidationProblem(f"Unknown services: {_missing(wanted, set(found))}.", field=field)
    return sorted(found.values(), key=lambda service: service.name)


def user_by_username(username: str | None, *, field: str) -> User | None:
    if username is None:
        return None
    users = users_by_username([username], field=field)
    return users[0] if users else None


def users_by_username(usernames: Sequence[str], *, field: str) -> list[User]:
    wanted = {name.strip() for name in usernames if name.strip()}
    found = {
        user.username: user
        for user in User.objects.filter(username__in=_storable(wanted), is_active=True)
    }
    if len(found) != len(wanted):
        raise ValidationProblem(
            f"There is no active user named {_missing(wanted, set(found))}.", field=field
        )
    return sorted(found.values(), key=lambda user: user.username)
