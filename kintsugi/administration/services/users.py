"""People: invitations, accepting one, deactivating, the organisation role, API tokens.

Site admins change anyone; a team admin invites people to a team they lead, with the
organisation role ``viewer`` (their team role gives them what they may do with the team's
post-mortems), and changes nothing else about a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from kintsugi.accounts.models import ApiToken, Role, User, is_admin
from kintsugi.administration.audit import audit_admin_change
from kintsugi.administration.invitations import invitation_days, send_invitation
from kintsugi.administration.models import Invitation, new_key
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_choice, clean_text
from kintsugi.postmortems import access
from kintsugi.sso.services import Refused
from kintsugi.teams.models import Membership, Team, TeamRole

MAX_EMAIL = 254
MAX_USERNAME = 150


def require_site_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only site admins may do this.")


def require_team_admin(user: User, team: Team) -> None:
    if not access.teams_managed_by(user).filter(pk=team.pk).exists():
        raise PermissionDenied("Only site admins and this team's admins may do this.")


def clean_email(value: object) -> str:
    email = clean_text(str(value or ""), field="email", max_length=MAX_EMAIL, required=True,
                       label="email address")  # fmt: skip
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationProblem(
            f"{email[:100]!r} is not an email address.", field="email"
        ) from None
    return email


def clean_username(value: object) -> str:
    name = clean_text(str(value or ""), field="username", max_length=MAX_USERNAME, required=True)
    try:
        User.username_validator(name)
    except DjangoValidationError:
        raise ValidationProblem(
            "A username holds letters, digits and @ . + - _ only.", field="username"
        ) from None
    if User.objects.filter(username__iexact=name).exists():
        raise ValidationProblem(
            f"The username {name!r} is taken: choose another.", field="username"
        )
    return name


def _account_with(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("-is_active", "pk").first()


@transaction.atomic
def user_invite(
    *,
    user: User,
    email: object,
    role: object = Role.VIEWER,
    team: Team | None = None,
    team_role: object = TeamRole.EDITOR,
) -> tuple[Invitation, bool]:
    """A new invitation, emailed now; returns it and whether the mail server took it.

    Inviting an address again withdraws the earlier, unused invitations (their links die)."""
    if team is None:
        require_site_admin(user)
    else:
        require_team_admin(user, team)
    address = clean_email(email)
    chosen_role = Role(clean_choice(Role, str(role or "")[:50], field="role", label="role"))
    if chosen_role != Role.VIEWER and not is_admin(user):
        raise PermissionDenied("Only site admins choose an organisation role above viewer.")
    chosen_team_role = TeamRole(
        clean_choice(TeamRole, str(team_role or "")[:50], field="team_role", label="team role")
    )
    existing = _account_with(address)
    if existing is not None:
        hint = (
            " add them to the team instead." if team is not None else " change their role instead."
        )
        if not existing.is_active:
            hint = " it is deactivated: a site admin reactivates it on its page."
        raise ValidationProblem(
            f"{address} already has an account ({existing.username}):{hint}", field="email"
        )
    now = timezone.now()
    Invitation.objects.filter(email__iexact=address, accepted_at=None, withdrawn_at=None).update(
        withdrawn_at=now
    )
    invitation = Invitation.objects.create(
        email=address,
        role=chosen_role,
        team=team,
        team_role=chosen_team_role,
        invited_by=user,
    )
    sent = send_invitation(invitation)
    if sent:
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    audit_admin_change(
        user=user,
        change="user.invite",
        kind="invitation",
        name=address,
        detail={
            "role": chosen_role.value,
            "team": team.slug if team else None,
            "team_role": chosen_team_role.value if team else None,
            "sent": sent,
        },
    )
    return invitation, sent


@transaction.atomic
def invitation_withdraw(*, user: User, invitation: Invitation) -> Invitation:
    if invitation.team is None:
        require_site_admin(user)
    else:
        require_team_admin(user, invitation.team)
    if not invitation.is_open:
        raise ValidationProblem("This invitation is already used or withdrawn.", field="invitation")
    invitation.withdrawn_at = timezone.now()
    invitation.key = new_key()
    invitation.save(update_fields=["withdrawn_at", "key"])
    audit_admin_change(user=user, change="user.invite_withdraw", kind="invitation",
                       name=invitation.email)  # fmt: skip
    return invitation


def _join(invitation: Invitation, person: User) -> None:
    if invitation.team is None:
        return
    Membership.objects.update_or_create(
        team=invitation.team, user=person, defaults=Membership.flags(invitation.team_role)
    )


def _mark_accepted(invitation: Invitation, person: User) -> None:
    """Conditional, so that one link used twice at once makes one account, not two."""
    taken = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, withdrawn_at=None).update(
        accepted_at=timezone.now(), accepted_by=person
    )
    if not taken:
        raise ValidationProblem("This invitation has already been used: sign in instead.")


def _audit_accepted(invitation: Invitation, person: User, **extra: object) -> None:
    audit_admin_change(
        user=person,
        change="user.invite_accept",
        kind="user",
        name=person.username,
        detail={
            "email": invitation.email,
            "team": invitation.team.slug if invitation.team else None,
            **extra,
        },
    )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    username: object,
    password1: object,
    password2: object,
    first_name: object = "",
    last_name: object = "",
) -> User:
    """The invited person's new account, with the invitation's roles and team."""
    name = clean_username(username)
    if not isinstance(password1, str) or not password1:
        raise ValidationProblem("Choose a password.", field="password1")
    if password1 != password2:
        raise ValidationProblem("The two passwords differ.", field="password2")
    if _account_with(invitation.email) is not None:
        raise ValidationProblem(f"{invitation.email} already has an account: sign in instead.")
    names = {
        field: clean_text(str(value or ""), field=field, max_length=150)
        for field, value in (("first_name", first_name), ("last_name", last_name))
    }
    candidate = User(username=name, email=invitation.email, role=invitation.role, **names)
    try:
        validate_password(password1, candidate)
    except DjangoValidationError as error:
        raise ValidationProblem(" ".join(error.messages), field="password1") from None
    candidate.set_password(password1)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ValidationProblem(f"The username {name!r} is taken: choose another.",
                                field="username") from None  # fmt: skip
    _mark_accepted(invitation, candidate)
    _join(invitation, candidate)
    _audit_accepted(invitation, candidate)
    return candidate


@transaction.atomic
def invitation_apply(*, invitation: Invitation, user: User) -> User:
    """An invitation used by someone already signed in (single sign-on created or linked
    their account): it must be their address; it adds the team and never lowers a role."""
    if not user.email or user.email.casefold() != invitation.email.casefold():
        raise PermissionDenied(
            f"This invitation is for {invitation.email}; you are signed in as {user.username}."
        )
    _mark_accepted(invitation, user)
    _join(invitation, user)
    order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
    if order.index(Role(invitation.role)) > order.index(Role(user.role)):
        user.role = invitation.role
        user.save(update_fields=["role"])
    _audit_accepted(invitation, user)
    return user


@dataclass(frozen=True)
class InvitationAdmission:
    """An open invitation letting its address in through single sign-on when accounts are
    not created at sign-in (``KINTSUGI_SSO_CREATE_USERS`` off): the account gets the
    invitation's organisation role, its team and team role, as by the link."""

    invitation: Invitation

    @property
    def role(self) -> str:
        return str(self.invitation.role)

    def complete(self, user: User) -> None:
        try:
            _mark_accepted(self.invitation, user)
        except ValidationProblem:  # used a moment ago by another sign-in
            raise Refused(
                "This invitation has just been used. Sign in again, or ask to be invited."
            ) from None
        _join(self.invitation, user)
        _audit_accepted(self.invitation, user, through="sso")


def sso_admission(email: str) -> InvitationAdmission | None:
    """The newest open invitation for ``email`` (a verified address, from the provider)
    younger than ``KINTSUGI_INVITATION_DAYS``, as its link would be; else None."""
    if not isinstance(email, str) or not email or len(email) > MAX_EMAIL:
        return None
    since = timezone.now() - timedelta(days=invitation_days())
    invitation = (
        Invitation.objects.select_related("team")
        .filter(email__iexact=email, accepted_at=None, withdrawn_at=None, created_at__gte=since)
        .order_by("-created_at", "-id")
        .first()
    )
    return InvitationAdmission(invitation) if invitation is not None else None


@transaction.atomic
def user_set_active(*, user: User, person: User, active: bool) -> User:
    """Deactivating signs the person out everywhere (a deactivated account's sessions and
    API tokens stop working) and keeps everything they wrote."""
    require_site_admin(user)
    if person.pk == user.pk and not active:
        raise ValidationProblem("You cannot deactivate your own account.", field="active")
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        audit_admin_change(
            user=user,
            change="user.reactivate" if active else "user.deactivate",
            kind="user",
            name=person.username,
        )
    return person


@transaction.atomic
def user_set_role(*, user: User, person: User, role: object) -> User:
    """The organisation role: viewer, editor, or admin (a site admin)."""
    require_site_admin(user)
    chosen = Role(clean_choice(Role, str(role or "")[:50], field="role", label="role"))
    if person.pk == user.pk and chosen != Role.ADMIN:
        raise ValidationProblem("You cannot take away your own admin role.", field="role")
    before = person.role
    if before != chosen:
        person.role = chosen
        person.save(update_fields=["role"])
        audit_admin_change(
            user=user,
            change="user.role",
            kind="user",
            name=person.username,
            detail={"from": before, "to": chosen.value},
        )
    return person


@transaction.atomic
def user_token_revoke(*, user: User, person: User, token: ApiToken) -> ApiToken:
    require_site_admin(user)
    if token.user_id != person.pk:
        raise PermissionDenied("That token is not this person's.")
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        audit_admin_change(
            user=user,
            change="user.token_revoke",
            kind="user",
            name=person.username,
            detail={"token": token.name, "prefix": token.prefix},
        )
    return token
