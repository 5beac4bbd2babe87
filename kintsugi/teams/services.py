"""Writes to the directory of teams and services; only admins change it.

Incidents refer to teams and services by slug (in the API and in Markdown front matter),
so a slug must be a valid, unused slug: a clash is a clear error, not a database crash.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.db import transaction

from kintsugi.accounts.models import User, is_admin
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text
from kintsugi.teams.models import Service, Team

MAX_NAME = 100
MAX_DESCRIPTION = 2000


def require_admin(user: User | None) -> None:
    if user is not None and not is_admin(user):
        raise PermissionDenied("Only admins may change teams and services.")


def _clean(
    model: type[Team] | type[Service], data: dict[str, Any], pk: int | None
) -> dict[str, Any]:
    label = model._meta.verbose_name
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = clean_text(
            data["name"], field="name", max_length=MAX_NAME, required=True, label=f"{label} name"
        )
        clash = model.objects.filter(name__iexact=clean["name"]).exclude(pk=pk)
        if clash.exists():
            raise ValidationProblem(f"A {label} named {clean['name']!r} exists.", field="name")
    if "slug" in data:
        slug = clean_text(data["slug"], field="slug", max_length=MAX_NAME, required=True)
        try:
            validate_slug(slug)
        except DjangoValidationError:
            raise ValidationProblem(
                "A slug holds letters, digits, hyphens and underscores only.", field="slug"
            ) from None
        if model.objects.filter(slug=slug).exclude(pk=pk).exists():
            raise ValidationProblem(f"The slug {slug!r} is already used.", field="slug")
        clean["slug"] = slug
    if "description" in data:
        clean["description"] = clean_text(
            data["description"], field="description", max_length=MAX_DESCRIPTION
        )
    if "team" in data:
        team = data["team"]
        if team is not None and not isinstance(team, Team):
            raise ValidationProblem("Unknown team.", field="team")
        clean["team"] = team
    return clean


@transaction.atomic
def team_create(*, user: User | None, name: str, slug: str, description: str = "") -> Team:
    require_admin(user)
    clean = _clean(Team, {"name": name, "slug": slug, "description": description}, None)
    return Team.objects.create(**clean)


@transaction.atomic
def team_update(*, user: User | None, team: Team, **fields: Any) -> Team:
    require_admin(user)
    for name, value in _clean(Team, fields, team.pk).items():
        setattr(team, name, value)
    team.save()
    return team


@transaction.atomic
def team_delete(*, user: User | None, team: Team) -> None:
    """Incidents and services of the team stay, without a team."""
    require_admin(user)
    team.delete()


@transaction.atomic
def service_create(
    *, user: User | None, name: str, slug: str, description: str = "", team: Team | None = None
) -> Service:
    require_admin(user)
    data = {"name": name, "slug": slug, "description": description, "team": team}
    return Service.objects.create(**_clean(Service, data, None))


@transaction.atomic
def service_update(*, user: User | None, service: Service, **fields: Any) -> Service:
    require_admin(user)
    for name, value in _clean(Service, fields, service.pk).items():
        setattr(service, name, value)
    service.save()
    return service


@transaction.atomic
def service_delete(*, user: User | None, service: Service) -> None:
    """Incidents that affected the service simply no longer list it."""
    require_admin(user)
    service.delete()
