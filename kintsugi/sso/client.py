"""The OpenID Connect client (Authlib), built from the settings.

One client per configuration, kept for the process: it caches the provider's discovery
document and signing keys (fetched again when an unknown key id appears). Built lazily so
that tests, which point the settings at a provider started on a random port, get theirs.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings

NAME = "kintsugi"
_clients: dict[tuple[str, ...], Any] = {}


def client() -> Any:
    """Authlib's Django OpenID client for the configured provider (PKCE S256, state and
    nonce kept in the session by Authlib and checked on the way back)."""
    key = (
        settings.SSO_DISCOVERY_URL,
        settings.SSO_CLIENT_ID,
        settings.SSO_CLIENT_SECRET,
        settings.SSO_SCOPES,
    )
    if key not in _clients:
        oauth = OAuth()
        _clients[key] = oauth.register(
            NAME,
            client_id=settings.SSO_CLIENT_ID,
            client_secret=settings.SSO_CLIENT_SECRET,
            server_metadata_url=settings.SSO_DISCOVERY_URL,
            client_kwargs={
                "scope": settings.SSO_SCOPES,
                "code_challenge_method": "S256",
                "timeout": settings.SSO_TIMEOUT_SECONDS,
            },
        )
    return _clients[key]


def end_session_endpoint() -> str | None:
    """Where the provider signs people out (RP-initiated logout), if it says."""
    endpoint = client().load_server_metadata().get("end_session_endpoint")
    return endpoint if isinstance(endpoint, str) and endpoint else None
