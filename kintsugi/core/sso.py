"""What single sign-on decides from an identity provider's claims, without Django.

The provider says who someone is (``sub``, ``email``) and which groups they are in; the
install says, in two environment variables, what those groups mean here:

- ``KINTSUGI_SSO_GROUP_ROLES``: ``group=role`` pairs (``kintsugi-admins=admin``), the
  organisation-wide role (viewer, editor, admin). The strongest matching role wins.
- ``KINTSUGI_SSO_GROUP_TEAMS``: ``group=team-slug[:role]`` pairs, the teams a person
  belongs to and their team role (viewer, editor, admin; ``member`` is editor and ``lead``
  admin; editor when none is given). The strongest role a person's groups give wins.

Pairs are separated by commas, or by new lines when there is more than one line (then a
group name may hold commas, as LDAP-style names do: ``cn=sre,ou=groups=editor``). Group names are matched exactly, as the provider
spells them (Entra ID sends object ids, Okta and Keycloak names). A malformed mapping is a
configuration error at start-up, never a silent "no groups".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ROLES = ("viewer", "editor", "admin")  # weakest first
TEAM_ROLE_ALIASES = {"member": "editor", "lead": "admin"}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")
USERNAME_MAX = 150


class MappingError(ValueError):
    """A mapping that cannot be read; the message names the pair and what is wrong."""


def _pairs(text: str, name: str) -> list[tuple[str, str]]:
    pairs = []
    for raw in text.splitlines() if "\n" in text.strip() else text.split(","):
        item = raw.strip()
        if not item:
            continue
        group, sep, value = item.rpartition("=")
        if not sep or not group.strip() or not value.strip():
            raise MappingError(f"{name}: {item!r} is not group=value")
        pairs.append((group.strip(), value.strip()))
    return pairs


def parse_group_roles(text: str) -> dict[str, str]:
    """``KINTSUGI_SSO_GROUP_ROLES`` as ``{group: role}``."""
    roles: dict[str, str] = {}
    for group, role in _pairs(text, "KINTSUGI_SSO_GROUP_ROLES"):
        if role not in ROLES:
            raise MappingError(
                f"KINTSUGI_SSO_GROUP_ROLES: {role!r} (for {group!r}) is not one of {', '.join(ROLES)}"
            )
        roles[group] = role
    return roles


def parse_group_teams(text: str) -> dict[str, list[tuple[str, str]]]:
    """``KINTSUGI_SSO_GROUP_TEAMS`` as ``{group: [(team slug, viewer|editor|admin), ...]}``."""
    teams: dict[str, list[tuple[str, str]]] = {}
    for group, value in _pairs(text, "KINTSUGI_SSO_GROUP_TEAMS"):
        slug, _, team_role = value.partition(":")
        team_role = TEAM_ROLE_ALIASES.get(team_role, team_role or "editor")
        if not _SLUG.match(slug):
            raise MappingError(f"KINTSUGI_SSO_GROUP_TEAMS: {slug!r} (for {group!r}) is not a slug")
        if team_role not in ROLES:
            raise MappingError(
                f"KINTSUGI_SSO_GROUP_TEAMS: {team_role!r} (for {group!r}) is not one of "
                "viewer, editor, admin (or member, lead)"
            )
        teams.setdefault(group, []).append((slug, team_role))
    return teams


def groups_claim(claims: Mapping[str, object], name: str) -> list[str]:
    """The groups a provider sent under ``name``: a list of strings, or one string (some
    providers send a single group so), anything else counts as none."""
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


@dataclass(frozen=True)
class Placement:
    """Where someone's groups put them: a role (None when no group names one) and
    ``{team slug: team role}`` for the teams their groups give."""

    role: str | None
    teams: dict[str, str] = field(default_factory=dict)
    managed_teams: frozenset[str] = frozenset()


def place(
    groups: Iterable[str],
    roles: Mapping[str, str],
    teams: Mapping[str, list[tuple[str, str]]],
) -> Placement:
    """The role and teams ``groups`` give. A team the mapping names but none of the groups
    gives is in ``managed_teams`` and not in ``teams``: the person is to leave it."""
    mine = set(groups)
    granted = [roles[group] for group in mine if group in roles]
    role = max(granted, key=ROLES.index) if granted else None
    placed: dict[str, str] = {}
    for group, targets in teams.items():
        if group not in mine:
            continue
        for slug, team_role in targets:
            placed[slug] = max(placed.get(slug, "viewer"), team_role, key=ROLES.index)
    managed = frozenset(slug for targets in teams.values() for slug, _ in targets)
    return Placement(role=role, teams=placed, managed_teams=managed)


def username_base(claims: Mapping[str, object]) -> str:
    """A username to start from: the provider's ``preferred_username``, else the email's
    local part, else ``sub``; cut to the characters and length Django accepts."""
    for key in ("preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if key == "email":
                text = text.split("@", 1)[0]
            cleaned = _USERNAME_UNSAFE.sub("", text)[: USERNAME_MAX - 8]
            if cleaned:
                return cleaned
    return "sso-user"


def verified_email(claims: Mapping[str, object], *, require_verified: bool) -> str | None:
    """The email to match an existing account by, or None. Only a verified address may
    sign in as the account that has it: otherwise anyone who can put an address in their
    provider profile could take over that person's account."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        return None
    # Entra ID sends no email_verified; its optional claim xms_edov says the same thing.
    verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
    if require_verified and not verified:
        return None
    return email.strip()


def domain_allowed(email: str | None, domains: Iterable[str]) -> bool:
    """Whether ``email`` is at one of ``domains`` (any address when none is listed). A
    provider open to the world (Google) vouches for anyone's address: this limits SSO to
    the organisation's own."""
    allowed = {domain.strip().lower().lstrip("@") for domain in domains if domain.strip()}
    if not allowed:
        return True
    if not email or "@" not in email:
        return False
    return email.rsplit("@", 1)[1].lower() in allowed
