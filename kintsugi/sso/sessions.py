"""Ending the sessions a provider's back-channel logout names.

The logout token is a JWT signed with one of the provider's published keys: checked here
with the keys the OpenID client already caches (fetched again once when the token names a
key we have not seen: the provider rotated its keys). Its claims are checked by
``kintsugi.core.sso_logout``. A replayed token only ends sessions that were already
ended, so tokens are not remembered.
"""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from kintsugi.core.sso_logout import LogoutTarget, LogoutTokenError, logout_target
from kintsugi.sso import client as oidc
from kintsugi.sso.models import SsoSession

# Algorithms a provider signs with; never "none", never a symmetric one keyed by a secret
# the provider shares with every client.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


def remember(*, issuer: str, subject: str, sid: str, session_key: str) -> None:
    """Note a session begun at the provider (and forget those too old to be alive)."""
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    SsoSession.objects.filter(created_at__lt=too_old).delete()
    SsoSession.objects.update_or_create(
        session_key=session_key,
        defaults={"issuer": issuer, "subject": subject, "sid": sid[:255]},
    )


def forget(session_key: str | None) -> None:
    if session_key:
        SsoSession.objects.filter(session_key=session_key).delete()


def verified_logout(token: str) -> tuple[str, LogoutTarget]:
    """The issuer and what the token asks to end; ``LogoutTokenError`` if it may not."""
    app = oidc.client()
    metadata = app.load_server_metadata()
    issuer = str(metadata.get("issuer", ""))
    for refresh in (False, True):
        try:
            keys = KeySet.import_key_set(app.fetch_jwk_set(force=refresh))
            token_claims = jwt.decode(token, keys, algorithms=ALGORITHMS).claims
            break
        except (JoseError, ValueError, TypeError) as error:
            if refresh:
                raise LogoutTokenError(
                    f"the logout token's signature is not valid: {error}"
                ) from None
    target = logout_target(
        token_claims, issuer=issuer, client_id=settings.SSO_CLIENT_ID, now=time.time()
    )
    return issuer, target


def end_sessions(issuer: str, target: LogoutTarget) -> int:
    """End every Kintsugi session the target names; how many there were."""
    rows = SsoSession.objects.filter(issuer=issuer)
    if target.session_id is not None:
        rows = rows.filter(sid=target.session_id)
    if target.subject is not None:
        rows = rows.filter(subject=target.subject)
    keys = list(rows.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)
