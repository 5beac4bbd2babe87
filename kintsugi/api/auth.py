"""Who is calling: a personal API token (scripts) or the browser session (the web app).

A request that presents a bearer token is judged by that token alone: a wrong, revoked or
expired token is refused with 401 even if a session cookie rides along, so a script never
silently acts as whoever last signed in on that machine.

Session requests must carry the CSRF token on unsafe methods: the browser attaches the
cookie to any request, including one forged by another site. Token requests need no CSRF
token because a browser never adds an ``Authorization`` header by itself.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kintsugi.accounts.models import TOKEN_PREFIX, ApiToken, User, hash_token
from kintsugi.api.errors import ApiError
from kintsugi.postmortems import access

# Recording every use would turn every read into a write; a minute is precise enough to
# tell an operator whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kts_...``: looked up by its SHA-256 hash, never stored raw."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        raw = token.strip()
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > _MAX_TOKEN_LENGTH:
            raise ApiError(401, "That is not a Kintsugi API token (they start with kts_).")
        row = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
        if row is None or not row.is_active or not row.user.is_active:
            raise ApiError(401, "This API token is unknown, revoked or expired.")
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session, with Django's CSRF check on unsafe methods.

    Ninja's own cookie auth checks CSRF before it knows whether anyone is signed in, which
    answers an anonymous POST with 403; we authenticate first so that it gets 401.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not access.is_signed_in(user):
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's "
                "value, or use an API token.",
                code="csrf_failed",
            )
        return user  # type: ignore[return-value]


api_auth = [TokenAuth(), SessionAuth()]


def current_user(request: HttpRequest) -> User:
    """The authenticated user; every endpoint requires one, so this never returns None."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
