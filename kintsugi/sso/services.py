"""Turning a signed-in identity into a Kintsugi account, its role and its teams.

Called once the ID token has been checked (signature, issuer, audience, expiry, nonce):
the claims here are the provider's word. The decisions are kintsugi/core/sso.py's; this
module reads and writes the rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import Role, User
from kintsugi.core import sso as rules
from kintsugi.sso.models import SsoIdentity
from kintsugi.teams.models import Membership, Team

log = logging.getLogger(__name__)


class Refused(Exception):
    """The provider vouched for someone who may not sign in here; the message says why,
    in words the person can act on."""


class Admission(Protocol):
    """What lets a person in when accounts are not created at sign-in: an open invitation
    (kintsugi/administration, above this app, registers the lookup). ``role`` is the new
    account's organisation role; ``complete`` records the use (teams, audit) once the
    account exists, in the same transaction."""

    role: str

    def complete(self, user: User) -> None: ...


_admissions: list[Callable[[str], Admission | None]] = []


def register_admission(lookup: Callable[[str], Admission | None]) -> None:
    """``lookup(email)`` returns the admission for that verified address, or None."""
    if lookup not in _admissions:
        _admissions.append(lookup)


def _admission_for(email: str) -> Admission | None:
    for lookup in _admissions:
        found = lookup(email)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class SignIn:
    user: User
    created: bool


@transaction.atomic
def sign_in(issuer: str, claims: Mapping[str, object]) -> SignIn:
    """The account for these claims: the one linked to ``iss``/``sub``, else the one with
    the same verified email (linked now), else a new one if the install allows it
    (``KINTSUGI_SSO_CREATE_USERS``) or an open invitation for that email admits them."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise Refused("The identity provider sent no usable subject (sub).")
    identity = (
        SsoIdentity.objects.select_related("user")
        .filter(issuer=issuer[:255], subject=subject)
        .first()
    )
    email = rules.verified_email(claims, require_verified=settings.SSO_REQUIRE_VERIFIED_EMAIL)
    if not rules.domain_allowed(email, settings.SSO_ALLOWED_DOMAINS):
        raise Refused(
            "This identity provider account is not one of the organisation's "
            "(its verified email address is not at an allowed domain)."
        )
    created = False
    if identity is None:
        user, created = _match_or_create(claims, email)
        identity = SsoIdentity.objects.create(issuer=issuer[:255], subject=subject, user=user)
    user = identity.user
    if not user.is_active:
        raise Refused("This account is deactivated. Ask an administrator to reactivate it.")
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    _apply_groups(user, claims)
    return SignIn(user=user, created=created)


def _match_or_create(claims: Mapping[str, object], email: str | None) -> tuple[User, bool]:
    if email is None:
        raise Refused(
            "The identity provider did not send a verified email address, so this sign-in "
            "cannot be matched to an account. Ask an administrator."
        )
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise Refused("Several accounts have this email address; an administrator must link one.")
    if matches:
        return matches[0], False
    admission = None
    if not settings.SSO_CREATE_USERS:
        admission = _admission_for(email)
        if admission is None:
            raise Refused("There is no account for this email address. Ask to be invited.")
    user = User(
        username=_free_username(rules.username_base(claims)),
        email=email,
        role=admission.role if admission is not None else settings.SSO_DEFAULT_ROLE,
    )
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        first, _, last = name.strip().partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
    user.set_unusable_password()
    user.save()
    if admission is not None:
        admission.complete(user)
    log.info("sso: created account %s on first sign-in", user.username)
    return user, True


def _free_username(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no one has (one query)."""
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base.lower() not in taken:
        return base
    number = 2
    while f"{base}-{number}".lower() in taken:
        number += 1
    return f"{base}-{number}"


def _apply_groups(user: User, claims: Mapping[str, object]) -> None:
    """Role and teams from the groups claim, at every sign-in, so that a change at the
    provider reaches Kintsugi the next time the person signs in. Only what the mappings
    name is managed: a team they do not name keeps the members it has here."""
    groups = rules.groups_claim(claims, settings.SSO_GROUPS_CLAIM)
    placement = rules.place(groups, settings.SSO_GROUP_ROLES, settings.SSO_GROUP_TEAMS)
    if settings.SSO_GROUP_ROLES and not user.is_superuser:
        role = placement.role or settings.SSO_DEFAULT_ROLE
        if user.role != role:
            log.info("sso: %s's role %s -> %s from groups", user.username, user.role, role)
            user.role = Role(role)
            user.save(update_fields=["role"])
    if not placement.managed_teams:
        return
    teams = {team.slug: team for team in Team.objects.filter(slug__in=placement.managed_teams)}
    for slug in placement.managed_teams - teams.keys():
        log.warning("sso: KINTSUGI_SSO_GROUP_TEAMS names team %r, which does not exist", slug)
    current = {m.team_id: m for m in Membership.objects.filter(user=user, team__in=teams.values())}
    for slug, team in teams.items():
        membership = current.get(team.pk)
        if slug not in placement.teams:
            if membership is not None:
                membership.delete()
            continue
        flags = Membership.flags(placement.teams[slug])
        if membership is None:
            Membership.objects.create(team=team, user=user, **flags)
        elif membership.role != placement.teams[slug]:
            membership.is_lead, membership.read_only = flags["is_lead"], flags["read_only"]
            membership.save(update_fields=["is_lead", "read_only"])
