"""Teams: everyone reads them (to file and filter incidents), admins change them (through
the administration services, so every change is in the audit log)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from kintsugi.administration.services import teams as admin_directory
from kintsugi.api.auth import current_user
from kintsugi.api.pagination import PageParams, paginate
from kintsugi.api.patches import changed_fields
from kintsugi.api.schemas.common import ERRORS
from kintsugi.api.schemas.teams import TeamIn, TeamOut, TeamPage, TeamPatch
from kintsugi.teams import services
from kintsugi.teams.models import Membership, Team

router = Router(tags=["teams"])


def _rows() -> QuerySet[Team]:
    members = Membership.objects.select_related("user").order_by("user__username")
    return Team.objects.prefetch_related(Prefetch("memberships", members))


def _team(slug: str) -> Team:
    team = _rows().filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


@router.get("/teams", response={200: TeamPage, **ERRORS})
def list_teams(request: HttpRequest, params: Query[PageParams]) -> dict[str, object]:
    return paginate(request, _rows(), params)


@router.get("/teams/{team_slug}", response={200: TeamOut, **ERRORS})
def get_team(request: HttpRequest, team_slug: str) -> Team:
    return _team(team_slug)


@router.post("/teams", response={201: TeamOut, **ERRORS})
def create_team(request: HttpRequest, payload: TeamIn) -> Status:
    user = current_user(request)
    services.require_admin(user)
    team = admin_directory.admin_team_create(user=user, **changed_fields(payload))  # type: ignore[arg-type]
    return Status(201, _team(team.slug))


@router.patch("/teams/{team_slug}", response={200: TeamOut, **ERRORS})
def update_team(request: HttpRequest, team_slug: str, payload: TeamPatch) -> Team:
    """Teams carry no version: they change rarely, and only admins change them."""
    user = current_user(request)
    team = _team(team_slug)
    services.require_admin(user)
    team = admin_directory.admin_team_update(user=user, team=team, **changed_fields(payload))  # type: ignore[arg-type]
    return _team(team.slug)


@router.delete("/teams/{team_slug}", response={204: None, **ERRORS})
def delete_team(request: HttpRequest, team_slug: str) -> Status:
    user = current_user(request)
    team = _team(team_slug)
    services.require_admin(user)
    admin_directory.admin_team_delete(user=user, team=team)  # type: ignore[arg-type]
    return Status(204, None)
