"""Permission guards shared by the services (the decision itself lives in access.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services.policies import note_change


def require_edit(user: User | None, incident: Incident) -> None:
    """Services called by trusted code (import, demo) pass ``user=None``.

    Every write to a post-mortem asks this first, so it is also where the write is noted
    for the post-mortem's history (kintsugi.history keeps a version once it commits).
    """
    if user is not None and not access.can_edit(user, incident):
        raise PermissionDenied("You may not edit this incident.")
    note_change(user=user, incident=incident)


def user_by_username(username: str | None, *, field: str, label: str) -> User | None:
    name = (username or "").strip()
    if not name:
        return None
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise ValidationProblem(
            f"There is no active user named {name!r} to be the {label}.", field=field
        )
    return user
