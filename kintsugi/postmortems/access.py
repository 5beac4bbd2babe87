"""The one place that decides who may see and edit an incident.

Every page, API endpoint, search, export and command asks this module; nothing else filters
incidents by permission. Rules:

- anonymous or inactive users see nothing;
- admins (role ``admin`` or superusers) see and edit everything;
- an unrestricted incident is visible to every signed-in user and editable by editors;
- a restricted incident is visible only to its members, its authors, its creator and the
  members of its team (and admins); editors among them may edit it.
"""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kintsugi.accounts.models import Role, User
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Membership


def is_admin(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == Role.ADMIN))


def is_signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _involvement(user_id: int) -> Q:
    members = Incident.members.through.objects.filter(incident_id=OuterRef("pk"), user_id=user_id)
    authors = Incident.authors.through.objects.filter(incident_id=OuterRef("pk"), user_id=user_id)
    team = Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user_id)
    return Q(created_by_id=user_id) | Exists(members) | Exists(authors) | Exists(team)


def visible_to_non_admin(user_id: int) -> Q:
    """The incidents a signed-in person who is not an admin may see."""
    return Q(is_restricted=False) | _involvement(user_id)


class Sight(Enum):
    """How much of the incidents a person sees: the one decision every reader follows."""

    NOTHING = "nothing"  # signed out or deactivated
    EVERYTHING = "everything"  # admins
    INVOLVED = "involved"  # ``visible_to_non_admin(user.pk)``


def sight(user: User) -> Sight:
    if not is_signed_in(user):
        return Sight.NOTHING
    return Sight.EVERYTHING if is_admin(user) else Sight.INVOLVED


def visible_incidents(user: User, queryset: QuerySet[Incident] | None = None) -> QuerySet[Incident]:
    queryset = Incident.objects.all() if queryset is None else queryset
    seen = sight(user)
    if seen is Sight.NOTHING:
        return queryset.none()
    if seen is Sight.EVERYTHING:
        return queryset
    return queryset.filter(visible_to_non_admin(user.pk))


def hidden_incidents(user: User) -> QuerySet[Incident]:
    """The restricted incidents ``user`` may not see: the complement of ``visible_incidents``
    among restricted ones (usually a short list; everyone sees unrestricted incidents)."""
    restricted = Incident.objects.filter(is_restricted=True)
    if not is_signed_in(user):
        return Incident.objects.all()
    if is_admin(user):
        return Incident.objects.none()
    return restricted.exclude(pk__in=visible_incidents(user, restricted).values("pk"))


def visible_through(user: User, relation: str) -> Q:
    """``visible_incidents`` as a condition on rows that point at an incident through
    ``relation`` (``"incident"`` for action items).

    Spelt as "not one of the incidents hidden from this person" rather than ``IN (every
    visible incident)``: the short hidden list is computed once and the database walks
    the rows' own indexes (the oldest open items: 1 ms instead of 180 ms on 200,000).
    """
    if not is_signed_in(user):
        return Q(pk__in=[])
    if is_admin(user):
        return Q()
    return ~Q(**{f"{relation}__in": hidden_incidents(user).values("pk")})


def can_view(user: User, incident: Incident) -> bool:
    if not is_signed_in(user):
        return False
    if is_admin(user) or not incident.is_restricted:
        return True
    return visible_incidents(user, Incident.objects.filter(pk=incident.pk)).exists()


def can_edit(user: User, incident: Incident) -> bool:
    return can_view(user, incident) and edits_what_they_see(user)


def edits_what_they_see(user: User) -> bool:
    """Whether the user's role lets them edit the incidents they may see: ``can_edit``
    for an incident ``get_incident`` has just returned, without asking again whether a
    restricted one is visible."""
    return is_signed_in(user) and (is_admin(user) or user.role == Role.EDITOR)


def can_create(user: User) -> bool:
    return edits_what_they_see(user)


def incident_key(pk: object) -> int:
    """The id in a URL or command, or 404: an incident that cannot exist is not found."""
    try:
        return int(str(pk))
    except ValueError:
        raise Http404("No such incident.") from None


def get_incident(
    user: User, pk: object, *, edit: bool = False, queryset: QuerySet[Incident] | None = None
) -> Incident:
    """The incident if the user may see it (404 otherwise: its existence is not revealed);
    PermissionDenied if they may see but not edit it and ``edit`` is asked."""
    incident = visible_incidents(user, queryset).filter(pk=incident_key(pk)).first()
    if incident is None:
        raise Http404("No such incident.")
    if edit and not can_edit(user, incident):
        raise PermissionDenied("You may view this incident but not edit it.")
    return incident
