"""``kintsugi --as USER admin <action>``: the administration pages' actions from a terminal.

Every action acts as the named user (``--as`` or ``KINTSUGI_CLI_USER``) through the same
services as /manage/, so the same people may do the same things and every change is in the
audit log; without an identity, or as someone not allowed, it refuses (exit 2 / exit 1).
Results print as one JSON object; bad input is a one-line message (exit 2).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.accounts.models import Role, User
from kintsugi.administration.audit import admin_changes
from kintsugi.administration.services import teams as directory
from kintsugi.administration.services import users as people
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Membership, Team, TeamRole

MAX_NAME = 254


def _team(slug: str) -> Team:
    team = Team.objects.filter(slug=slug[:100]).first()
    if team is None:
        raise ValidationProblem(f"There is no team {slug[:100]!r}.")
    return team


def _person(username: str) -> User:
    person = User.objects.filter(username=username[:150]).first()
    if person is None:
        raise ValidationProblem(f"There is no user {username[:150]!r}.")
    return person


def _membership(team: Team, username: str) -> Membership:
    found = Membership.objects.select_related("team", "user").filter(
        team=team, user__username=username[:150]
    )
    membership = found.first()
    if membership is None:
        raise ValidationProblem(f"{username[:150]!r} is not in {team.name}.")
    return membership


class Command(BaseCommand):
    help = "Invite people, (de)activate them, change roles, teams, members and services; read the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_user", help="Act as this user (or KINTSUGI_CLI_USER).")
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        invite = sub.add_parser("invite", help="Invite an email address (the email is sent now).")
        invite.add_argument("email")
        invite.add_argument("--role", default=Role.VIEWER, help="viewer, editor or admin")
        invite.add_argument("--team", help="the team's slug")
        invite.add_argument("--team-role", default=TeamRole.EDITOR, help="viewer, editor or admin")
        for name in ("deactivate", "reactivate"):
            sub.add_parser(name, help=f"{name.capitalize()} an account.").add_argument("username")
        role = sub.add_parser("role", help="Set someone's organisation role.")
        role.add_argument("username")
        role.add_argument("role")
        add = sub.add_parser("member-add", help="Add someone with an account to a team.")
        add.add_argument("team")
        add.add_argument("person", help="username or email address")
        add.add_argument("--role", default=TeamRole.EDITOR)
        member_role = sub.add_parser("member-role", help="Change a member's team role.")
        member_role.add_argument("team")
        member_role.add_argument("username")
        member_role.add_argument("role")
        remove = sub.add_parser("member-remove", help="Take someone out of a team.")
        remove.add_argument("team")
        remove.add_argument("username")
        team = sub.add_parser("team-create", help="Create a team.")
        team.add_argument("name")
        team.add_argument("slug")
        service = sub.add_parser("service-create", help="Create a service.")
        service.add_argument("name")
        service.add_argument("slug")
        service.add_argument("--team", help="the owning team's slug")
        audit = sub.add_parser("audit", help="The latest administration entries (site admins).")
        audit.add_argument("--limit", type=int, default=50, help="1 to 1000")

    def handle(self, *args: Any, **options: Any) -> None:
        user = resolve_actor(options.get("as_user"))
        action = str(options["action"]).replace("-", "_")
        try:
            result = getattr(self, f"_{action}")(user, options)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from None
        self.stdout.write(json.dumps(result, indent=2))

    def _invite(self, user: User, options: dict[str, Any]) -> object:
        team = _team(options["team"]) if options.get("team") else None
        invitation, sent = people.user_invite(user=user, email=options["email"][:MAX_NAME + 1],
                                              role=options["role"], team=team,
                                              team_role=options["team_role"])  # fmt: skip
        return {"invitation": invitation.pk, "email": invitation.email, "sent": sent,
                "team": team.slug if team else None}  # fmt: skip

    def _set_active(self, user: User, username: str, active: bool) -> object:
        person = people.user_set_active(user=user, person=_person(username), active=active)
        return {"username": person.username, "active": person.is_active}

    def _deactivate(self, user: User, options: dict[str, Any]) -> object:
        return self._set_active(user, options["username"], False)

    def _reactivate(self, user: User, options: dict[str, Any]) -> object:
        return self._set_active(user, options["username"], True)

    def _role(self, user: User, options: dict[str, Any]) -> object:
        person = people.user_set_role(user=user, person=_person(options["username"]),
                                      role=options["role"])  # fmt: skip
        return {"username": person.username, "role": person.role}

    def _member_add(self, user: User, options: dict[str, Any]) -> object:
        membership = directory.member_add(user=user, team=_team(options["team"]),
                                          person=options["person"], role=options["role"])  # fmt: skip
        return {"team": membership.team.slug, "username": membership.user.username,
                "role": membership.role.value}  # fmt: skip

    def _member_role(self, user: User, options: dict[str, Any]) -> object:
        team = _team(options["team"])
        people.require_team_admin(user, team)  # before saying who is in the team
        membership = directory.member_set_role(
            user=user, membership=_membership(team, options["username"]), role=options["role"]
        )
        return {"team": team.slug, "username": membership.user.username,
                "role": membership.role.value}  # fmt: skip

    def _member_remove(self, user: User, options: dict[str, Any]) -> object:
        team = _team(options["team"])
        people.require_team_admin(user, team)
        directory.member_remove(user=user, membership=_membership(team, options["username"]))
        return {"team": team.slug, "removed": options["username"][:150]}

    def _team_create(self, user: User, options: dict[str, Any]) -> object:
        team = directory.admin_team_create(user=user, name=options["name"], slug=options["slug"])
        return {"team": team.slug, "name": team.name}

    def _service_create(self, user: User, options: dict[str, Any]) -> object:
        team = _team(options["team"]) if options.get("team") else None
        service = directory.admin_service_create(user=user, name=options["name"],
                                                 slug=options["slug"], team=team)  # fmt: skip
        return {"service": service.slug, "name": service.name, "team": team.slug if team else None}

    def _audit(self, user: User, options: dict[str, Any]) -> object:
        people.require_site_admin(user)
        limit = options["limit"]
        if not 1 <= limit <= 1000:
            raise ValidationProblem("--limit is a number from 1 to 1000.")
        return [
            {
                "at": entry.at.isoformat(),
                "actor": entry.actor_name,
                "subject": entry.incident_ref,
                "detail": entry.detail,
            }
            for entry in admin_changes()[:limit]
        ]
