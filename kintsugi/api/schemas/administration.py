"""Bodies and answers of the administration operations (the /manage/ pages' actions)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from kintsugi.api.schemas.common import InputSchema


class InvitationIn(InputSchema):
    email: str = Field(max_length=254)
    role: str = Field("viewer", max_length=20, description="viewer, editor or admin")
    team: str | None = Field(None, max_length=100, description="Team slug to join.")
    team_role: str = Field("editor", max_length=20, description="viewer, editor or admin")


class InvitationOut(Schema):
    invitation: int
    email: str
    sent: bool  # False when the mail server refused: the invitation stands, resend it
    team: str | None


class AccountOut(Schema):
    username: str
    active: bool
    role: str


class RoleIn(InputSchema):
    role: str = Field(max_length=20, description="viewer, editor or admin")


class MemberIn(InputSchema):
    person: str = Field(max_length=254, description="Username or email address.")
    role: str = Field("editor", max_length=20, description="viewer, editor or admin")


class MemberOut(Schema):
    team: str
    username: str
    role: str


class AuditEntryOut(Schema):
    at: datetime
    actor: str
    subject: str
    detail: dict[str, object]
