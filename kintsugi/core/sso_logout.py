"""Which sessions a back-channel logout token ends (OpenID Connect Back-Channel Logout 1.0).

When someone signs out at the identity provider (or is signed out by an administrator
there), the provider POSTs a signed *logout token* to every client they were signed in to.
The signature is checked by the caller against the provider's published keys; this module
checks what the claims must say (section 2.6 of the specification): the issuer and the
audience are ours, the token is recent, it carries the back-channel logout event, it names
a subject or a provider session (or both), and it has no ``nonce`` (so an ID token cannot
be replayed as a logout token).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

EVENT = "http://schemas.openid.net/event/backchannel-logout"
# How old a logout token may be: providers send it at once; clocks differ a little.
MAX_AGE_SECONDS = 300
CLOCK_SKEW_SECONDS = 60
_MAX_ID = 255  # as SsoIdentity.subject


class LogoutTokenError(ValueError):
    """The token cannot end any session; the message says why (for the provider's logs)."""


@dataclass(frozen=True)
class LogoutTarget:
    """Every session of ``subject``, or only the provider session ``session_id``."""

    subject: str | None
    session_id: str | None


def _identifier(claims: Mapping[str, object], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > _MAX_ID:
        raise LogoutTokenError(f"the {name} claim is not an identifier")
    return value


def logout_target(
    claims: Mapping[str, object], *, issuer: str, client_id: str, now: float
) -> LogoutTarget:
    if claims.get("iss") != issuer:
        raise LogoutTokenError("the logout token comes from another issuer")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or client_id not in audiences:
        raise LogoutTokenError("the logout token is meant for another client")
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        raise LogoutTokenError("the logout token has no issue time")
    if issued > now + CLOCK_SKEW_SECONDS or issued < now - MAX_AGE_SECONDS:
        raise LogoutTokenError("the logout token is too old, or from the future")
    expires = claims.get("exp")
    expired = isinstance(expires, int | float) and expires < now - CLOCK_SKEW_SECONDS
    if expired and not isinstance(expires, bool):
        raise LogoutTokenError("the logout token has expired")
    events = claims.get("events")
    if not isinstance(events, Mapping) or not isinstance(events.get(EVENT), Mapping):
        raise LogoutTokenError("the token carries no back-channel logout event")
    if "nonce" in claims:
        raise LogoutTokenError("a logout token carries no nonce (is this an ID token?)")
    if not isinstance(claims.get("jti"), str):
        raise LogoutTokenError("the logout token has no identifier (jti)")
    subject, session_id = _identifier(claims, "sub"), _identifier(claims, "sid")
    if subject is None and session_id is None:
        raise LogoutTokenError("the logout token names neither a subject nor a session")
    return LogoutTarget(subject, session_id)
