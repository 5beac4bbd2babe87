"""Teams, their members and roles, and services, changed from the administration pages.

Team and service rows are validated and saved by ``kintsugi.teams.services`` (one place
for the slug and name rules); this module decides who may ask (site admins; a team's
admins for its members and services) and writes the audit entry.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from kintsugi.accounts.models import User, is_admin
from kintsugi.administration.audit import audit_admin_change
from kintsugi.administration.services.users import require_site_admin, require_team_admin
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_choice, clean_text
from kintsugi.reviews.models import TeamReviewSettings
from kintsugi.reviews.services.workflow import team_approvals_set
from kintsugi.teams import services as directory
from kintsugi.teams.models import Membership, Service, Team, TeamRole

MAX_PERSON = 254


@transaction.atomic
def admin_team_create(*, user: User, name: object, slug: object, description: object = "") -> Team:
    require_site_admin(user)
    team = directory.team_create(user=user, name=str(name or ""), slug=str(slug or ""),
                                 description=str(description or ""))  # fmt: skip
    audit_admin_change(user=user, change="team.create", kind="team", name=team.slug,
                       detail={"name": team.name})  # fmt: skip
    return team


def _person(value: object) -> User:
    text = clean_text(str(value or ""), field="person", max_length=MAX_PERSON, required=True,
                      label="username or email address")  # fmt: skip
    found = User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text), is_active=True)
    people = list(found[:2])
    if len(people) != 1:
        raise ValidationProblem(
            f"No single active user has the username or email {text[:100]!r}: invite them instead.",
            field="person",
        )
    return people[0]


def _team_role(value: object) -> TeamRole:
    return TeamRole(clean_choice(TeamRole, str(value or "")[:50], field="role", label="team role"))


@transaction.atomic
def member_add(*, user: User, team: Team, person: object, role: object) -> Membership:
    require_team_admin(user, team)
    member = _person(person)
    chosen = _team_role(role)
    if Membership.objects.filter(team=team, user=member).exists():
        raise ValidationProblem(f"{member.username} is already in {team.name}.", field="person")
    membership = Membership.objects.create(team=team, user=member, **Membership.flags(chosen))
    audit_admin_change(user=user, change="team.member_add", kind="team", name=team.slug,
                       detail={"user": member.username, "role": chosen.value})  # fmt: skip
    return membership


def _own_membership(user: User, membership: Membership) -> None:
    """A team admin does not change their own place in the team (a site admin may): one
    click must not leave a team without anyone to administer it."""
    if membership.user_id == user.pk and not is_admin(user):
        raise PermissionDenied("Ask a site admin to change your own role in the team.")


@transaction.atomic
def member_set_role(*, user: User, membership: Membership, role: object) -> Membership:
    require_team_admin(user, membership.team)
    _own_membership(user, membership)
    chosen = _team_role(role)
    before = membership.role
    if before != chosen:
        for field, value in Membership.flags(chosen).items():
            setattr(membership, field, value)
        membership.save(update_fields=["is_lead", "read_only"])
        audit_admin_change(
            user=user,
            change="team.member_role",
            kind="team",
            name=membership.team.slug,
            detail={"user": membership.user.username, "from": before.value, "to": chosen.value},
        )
    return membership


@transaction.atomic
def member_remove(*, user: User, membership: Membership) -> None:
    require_team_admin(user, membership.team)
    _own_membership(user, membership)
    team, person = membership.team, membership.user
    membership.delete()
    audit_admin_change(user=user, change="team.member_remove", kind="team", name=team.slug,
                       detail={"user": person.username})  # fmt: skip


@transaction.atomic
def admin_service_create(
    *, user: User, name: object, slug: object, team: Team | None, description: object = ""
) -> Service:
    """Site admins create any service; a team admin one of their team's."""
    if team is None:
        require_site_admin(user)
    else:
        require_team_admin(user, team)
    service = directory.service_create(
        user=None,  # access decided above
        name=str(name or ""),
        slug=str(slug or ""),
        description=str(description or ""),
        team=team,
    )
    audit_admin_change(user=user, change="service.create", kind="service", name=service.slug,
                       detail={"name": service.name, "team": team.slug if team else None})  # fmt: skip
    return service


def require_service_admin(user: User, service: Service) -> None:
    if is_admin(user):
        return
    if service.team is None:
        raise PermissionDenied("Only site admins change a service that belongs to no team.")
    require_team_admin(user, service.team)


@transaction.atomic
def admin_service_rename(*, user: User, service: Service, name: object) -> Service:
    require_service_admin(user, service)
    before = service.name
    service = directory.service_update(user=None, service=service, name=str(name or ""))
    if service.name != before:
        audit_admin_change(user=user, change="service.rename", kind="service", name=service.slug,
                           detail={"from": before, "to": service.name})  # fmt: skip
    return service


@transaction.atomic
def admin_team_approvals(*, user: User, team: Team, approvals_needed: object) -> int:
    """How many approvals the team's post-mortems need before publishing (1 to 10), set
    by ``kintsugi.reviews``, which owns the rule; audited here."""
    require_team_admin(user, team)
    before = (
        TeamReviewSettings.objects.filter(team=team)
        .values_list("approvals_needed", flat=True)
        .first()
        or 1
    )
    row = team_approvals_set(user=user, team=team, approvals_needed=approvals_needed)
    if row.approvals_needed != before:
        audit_admin_change(user=user, change="team.approvals", kind="team", name=team.slug,
                           detail={"from": before, "to": row.approvals_needed})  # fmt: skip
    return row.approvals_needed


def _audit_update(
    user: User, kind: str, name: str, before: dict[str, object], after: dict[str, object]
) -> None:
    """One ``<kind>.update`` entry with the fields that changed, [before, after]; none
    when nothing did."""
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit_admin_change(user=user, change=f"{kind}.update", kind=kind, name=name,
                           detail=changed)  # fmt: skip


def _team_fields(team: Team) -> dict[str, object]:
    return {"name": team.name, "slug": team.slug, "description": team.description}


def _service_fields(service: Service) -> dict[str, object]:
    team = service.team
    return {"name": service.name, "slug": service.slug, "description": service.description,
            "team": team.slug if team else None}  # fmt: skip


@transaction.atomic
def admin_team_update(*, user: User, team: Team, **fields: object) -> Team:
    """A site admin's change to a team's name, slug or description (the API's PATCH)."""
    require_site_admin(user)
    before = _team_fields(team)
    team = directory.team_update(user=user, team=team, **fields)
    _audit_update(user, "team", team.slug, before, _team_fields(team))
    return team


@transaction.atomic
def admin_team_delete(*, user: User, team: Team) -> None:
    require_site_admin(user)
    gone = _team_fields(team)
    directory.team_delete(user=user, team=team)
    audit_admin_change(user=user, change="team.delete", kind="team", name=str(gone["slug"]),
                       detail=gone)  # fmt: skip


@transaction.atomic
def admin_service_update(*, user: User, service: Service, **fields: object) -> Service:
    """A site admin's change to a service (the API's PATCH; the page renames only)."""
    require_site_admin(user)
    before = _service_fields(service)
    service = directory.service_update(user=user, service=service, **fields)
    _audit_update(user, "service", service.slug, before, _service_fields(service))
    return service


@transaction.atomic
def admin_service_delete(*, user: User, service: Service) -> None:
    require_site_admin(user)
    gone = _service_fields(service)
    directory.service_delete(user=user, service=service)
    audit_admin_change(user=user, change="service.delete", kind="service",
                       name=str(gone["slug"]), detail=gone)  # fmt: skip
