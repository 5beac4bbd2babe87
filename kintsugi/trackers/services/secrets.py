"""A connection's secrets: its token (a variable's name, or sealed) and its webhook secret.

The webhook secret is rotated like a capture source's (``kintsugi/core/rotation.py``): a new
one is made and shown once, the previous one is accepted until the end of the grace period
so the tracker can be switched over without a lost delivery. A sealed token is opened only
when a call is made (``providers.base.token_for``); ``tokens_rekey`` seals every stored token
again under the first key of ``KINTSUGI_ENCRYPTION_KEY`` (key rotation).
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import DEFAULT_GRACE, previous_still_valid, previous_valid_until
from kintsugi.core.sealing import KEY_VARIABLE, reseal, seal
from kintsugi.postmortems import access
from kintsugi.trackers.models import TrackerConnection

_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,99}")


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def token_fields(*, token_env: str = "", token: str = "") -> dict[str, str]:
    """``token_env`` and ``token_sealed`` for a connection: exactly one of the two is given."""
    token_env, token = token_env.strip(), token.strip()
    if token_env and token:
        raise ValidationProblem(
            "Give the token or the name of its environment variable, not both.", field="token"
        )
    if token:
        return {"token_env": "", "token_sealed": seal(token, os.environ.get(KEY_VARIABLE, ""))}
    if not _ENV_NAME.fullmatch(token_env):
        raise ValidationProblem(
            "Name the environment variable that holds the token (capitals, digits, _), "
            f"for example KINTSUGI_GITHUB_TOKEN; or give the token itself to keep it sealed "
            f"with {KEY_VARIABLE}.",
            field="token_env",
        )
    return {"token_env": token_env, "token_sealed": ""}


def _may_manage(user: User | None, connection: TrackerConnection) -> None:
    if user is not None and not access.can_manage_team(user, connection.team):
        raise PermissionDenied("Only the team's leads and admins change its tracker's secrets.")


def token_replace(
    *, user: User | None, connection: TrackerConnection, token_env: str = "", token: str = ""
) -> TrackerConnection:
    """Point the connection at another variable, or seal a new token (the old one is gone)."""
    _may_manage(user, connection)
    fields = token_fields(token_env=token_env, token=token)
    TrackerConnection.objects.filter(pk=connection.pk).update(**fields)
    connection.refresh_from_db()
    return connection


@transaction.atomic
def webhook_rotate(
    *, user: User | None, connection: TrackerConnection, grace: timedelta = DEFAULT_GRACE
) -> TrackerConnection:
    """A new webhook secret (on the returned connection, to show once); the previous one
    is accepted for ``grace`` (zero: refused at once)."""
    _may_manage(user, connection)
    now = timezone.now()
    until = previous_valid_until(now, grace)
    fresh = TrackerConnection.objects.select_for_update().get(pk=connection.pk)
    fresh.previous_webhook_secret = fresh.webhook_secret if until else ""
    fresh.previous_valid_until = until
    fresh.webhook_secret = new_webhook_secret()
    fresh.rotated_at = now
    fresh.save(
        update_fields=[
            "webhook_secret",
            "previous_webhook_secret",
            "previous_valid_until",
            "rotated_at",
        ]
    )
    return fresh


def webhook_secrets(connection: TrackerConnection | None) -> list[str]:
    """The secrets a delivery may be signed with now: the current, and the previous one
    until its deadline. An unknown connection has none (every check then fails)."""
    if connection is None:
        return []
    keys = [connection.webhook_secret]
    if connection.previous_webhook_secret and previous_still_valid(
        connection.previous_valid_until, timezone.now()
    ):
        keys.append(connection.previous_webhook_secret)
    return keys


def tokens_rekey() -> int:
    """Seal every stored token again with the first key; returns how many. All or none:
    a token no key opens stops the whole run, so no connection is left half-rotated."""
    keys = os.environ.get(KEY_VARIABLE, "")
    count = 0
    with transaction.atomic():
        rows = TrackerConnection.objects.select_for_update().exclude(token_sealed="")
        for connection in rows:
            TrackerConnection.objects.filter(pk=connection.pk).update(
                token_sealed=reseal(connection.token_sealed, keys)
            )
            count += 1
    return count
