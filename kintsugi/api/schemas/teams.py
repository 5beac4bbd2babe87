"""Teams, services and users: the directory incidents refer to by slug and username."""

from __future__ import annotations

from ninja import Field, Schema

from kintsugi.api.pagination import PageParams, page_of
from kintsugi.api.schemas.common import InputSchema
from kintsugi.teams.models import Membership, Service, Team


class TeamMemberOut(Schema):
    username: str
    role: str  # viewer, editor or admin (the team admin)
    is_lead: bool  # kept for existing clients: role == "admin"

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username

    @staticmethod
    def resolve_role(obj: Membership) -> str:
        return str(obj.role.value)


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_members(obj: Team) -> list[Membership]:
        return list(obj.memberships.all())


TeamPage = page_of(TeamOut)


class TeamIn(InputSchema):
    name: str = Field(max_length=100)
    slug: str = Field(max_length=100)
    description: str = Field("", max_length=2000)


class TeamPatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    slug: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=2000)


class ServiceOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    team: str | None

    @staticmethod
    def resolve_team(obj: Service) -> str | None:
        return obj.team.slug if obj.team_id else None  # type: ignore[union-attr]


ServicePage = page_of(ServiceOut)


class ServiceQuery(PageParams):
    team: str | None = Field(None, max_length=100, description="Team slug.")


class ServiceIn(InputSchema):
    name: str = Field(max_length=100)
    slug: str = Field(max_length=100)
    description: str = Field("", max_length=2000)
    team: str | None = Field(None, description="Team slug.")


class ServicePatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    slug: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=2000)
    team: str | None = Field(None, description="Team slug; null detaches the service.")


class UserQuery(PageParams):
    q: str | None = Field(None, max_length=150, description="Part of a username or name.")


class UserOut(Schema):
    username: str
    display_name: str


UserPage = page_of(UserOut)
