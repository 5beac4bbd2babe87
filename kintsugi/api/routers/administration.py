"""The administration pages' actions for scripts: invitations, accounts, organisation
roles, team members and the audit log.

Each operation calls the service the page calls (``kintsugi.administration.services``),
so the same people may do the same things (site admins; a team's admins for its members)
and every change is in the audit log. Names (a username, a team's slug) that match
nothing are a 422 after the access check, so a person without the right learns nothing
about who exists.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field as QueryField
from ninja import Query, Router, Schema, Status

from kintsugi.accounts.models import User
from kintsugi.administration.audit import admin_changes
from kintsugi.administration.lookups import membership_of, team_named, user_named
from kintsugi.administration.services import teams as directory
from kintsugi.administration.services import users as people
from kintsugi.api.auth import current_user
from kintsugi.api.schemas.administration import (
    AccountOut,
    AuditEntryOut,
    InvitationIn,
    InvitationOut,
    MemberIn,
    MemberOut,
    RoleIn,
)
from kintsugi.api.schemas.common import ERRORS
from kintsugi.teams.models import Membership

router = Router(tags=["administration"])


def _actor(request: HttpRequest) -> User:
    user = current_user(request)
    assert user is not None  # the API's authentication ran first
    return user


def _account(person: User) -> dict[str, object]:
    return {"username": person.username, "active": person.is_active, "role": person.role}


def _member(membership: Membership) -> dict[str, object]:
    return {"team": membership.team.slug, "username": membership.user.username,
            "role": membership.role.value}  # fmt: skip


@router.post("/admin/invitations", response={201: InvitationOut, **ERRORS})
def invite_user(request: HttpRequest, payload: InvitationIn) -> Status:
    """Invite an email address (the email is sent now; a site admin, or a team's admin
    into their team)."""
    user = _actor(request)
    if payload.team is None:
        people.require_site_admin(user)
    team = team_named(payload.team) if payload.team is not None else None
    invitation, sent = people.user_invite(user=user, email=payload.email, role=payload.role,
                                          team=team, team_role=payload.team_role)  # fmt: skip
    answer = {"invitation": invitation.pk, "email": invitation.email, "sent": sent,
              "team": team.slug if team else None}  # fmt: skip
    return Status(201, answer)


def _set_active(request: HttpRequest, username: str, active: bool) -> dict[str, object]:
    user = _actor(request)
    people.require_site_admin(user)
    person = people.user_set_active(user=user, person=user_named(username), active=active)
    return _account(person)


@router.post("/admin/users/{username}/deactivate", response={200: AccountOut, **ERRORS})
def deactivate_user(request: HttpRequest, username: str) -> dict[str, object]:
    """Sign the person out everywhere and refuse their sign-ins and tokens (site admins)."""
    return _set_active(request, username, False)


@router.post("/admin/users/{username}/reactivate", response={200: AccountOut, **ERRORS})
def reactivate_user(request: HttpRequest, username: str) -> dict[str, object]:
    return _set_active(request, username, True)


@router.put("/admin/users/{username}/role", response={200: AccountOut, **ERRORS})
def set_user_role(request: HttpRequest, username: str, payload: RoleIn) -> dict[str, object]:
    """The organisation role: viewer, editor or admin (site admins)."""
    user = _actor(request)
    people.require_site_admin(user)
    person = people.user_set_role(user=user, person=user_named(username), role=payload.role)
    return _account(person)


@router.post("/teams/{team_slug}/members", response={201: MemberOut, **ERRORS})
def add_team_member(request: HttpRequest, team_slug: str, payload: MemberIn) -> Status:
    """Add someone who has an account (by username or email) to a team."""
    user = _actor(request)
    team = team_named(team_slug)
    people.require_team_admin(user, team)
    membership = directory.member_add(user=user, team=team, person=payload.person,
                                      role=payload.role)  # fmt: skip
    return Status(201, _member(membership))


@router.patch("/teams/{team_slug}/members/{username}", response={200: MemberOut, **ERRORS})
def set_team_member_role(
    request: HttpRequest, team_slug: str, username: str, payload: RoleIn
) -> dict[str, object]:
    user = _actor(request)
    team = team_named(team_slug)
    people.require_team_admin(user, team)  # before saying who is in the team
    membership = directory.member_set_role(
        user=user, membership=membership_of(team, username), role=payload.role
    )
    return _member(membership)


@router.delete("/teams/{team_slug}/members/{username}", response={204: None, **ERRORS})
def remove_team_member(request: HttpRequest, team_slug: str, username: str) -> Status:
    user = _actor(request)
    team = team_named(team_slug)
    people.require_team_admin(user, team)
    directory.member_remove(user=user, membership=membership_of(team, username))
    return Status(204, None)


class AuditQuery(Schema):
    limit: int = QueryField(50, ge=1, le=1000, description="Newest entries first, 1 to 1000.")


@router.get("/admin/audit", response={200: list[AuditEntryOut], **ERRORS})
def list_admin_audit(request: HttpRequest, params: Query[AuditQuery]) -> list[dict[str, object]]:
    """The latest administration entries (site admins)."""
    people.require_site_admin(_actor(request))
    return [
        {
            "at": entry.at,
            "actor": entry.actor_name,
            "subject": entry.incident_ref,
            "detail": dict(entry.detail or {}),
        }  # fmt: skip
        for entry in admin_changes()[: params.limit]
    ]
