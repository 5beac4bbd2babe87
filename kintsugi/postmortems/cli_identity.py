"""Who a command acts as.

Commands run on the server by an operator who already holds the database credentials, so
without ``--as`` they act with admin rights (an unrestricted local operator). ``--as USER``
(or KINTSUGI_USER) applies that person's access rules, for scripts that must not see more
than their user may.
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from kintsugi.accounts.models import Role, User


def resolve_actor(username: str | None) -> User:
    name = username or os.environ.get("KINTSUGI_USER", "")
    if not name:
        return User(username="local-operator", role=Role.ADMIN, is_active=True, is_superuser=True)
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {name!r}.", returncode=2)
    return user
