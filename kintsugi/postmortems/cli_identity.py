"""Who a command acts as.

A command that reads or changes incident data acts as a named person: ``--as USERNAME``
(or ``kintsugi --as USERNAME <command>``), else the ``KINTSUGI_CLI_USER`` variable (or its
older name ``KINTSUGI_USER``). That person's access rules apply exactly as in the browser
and the API: restricted incidents they are not involved in stay hidden, a viewer cannot
import. There is no implicit administrator: a command without an identity refuses to run,
so that a script, a cron job or a shell left open cannot read more than someone chose.
To act with every right, name an admin.

The commands that only keep the system running (``worker``, ``source work``, ``tracker
sync``, ``weekly-review --send``, ``insights fold``, ``migrate``, ``serve``...) take no
identity: they read what they must to do their work and print no incident.
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError

from kintsugi.accounts.models import User

ENV_NAMES = ("KINTSUGI_CLI_USER", "KINTSUGI_USER")
NO_IDENTITY = (
    "This command reads or changes incident data, so it acts as a named user: pass "
    "--as USERNAME or set KINTSUGI_CLI_USER. That user's access rules apply "
    "(name an admin to see everything)."
)


def configured_username(username: str | None) -> str:
    """The name given with ``--as``, else in the environment ("" when none)."""
    if username:
        return username.strip()
    for name in ENV_NAMES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return ""


def resolve_actor(username: str | None) -> User:
    """The active user the command acts as, or a one-line refusal (exit 2)."""
    name = configured_username(username)
    if not name:
        raise CommandError(NO_IDENTITY, returncode=2)
    if len(name) > 150:
        raise CommandError("--as: a username has at most 150 characters.", returncode=2)
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {name!r}.", returncode=2)
    return user
