"""Personal API tokens: issue one, list a person's own, find one of them, revoke one.

The token page and ``kintsugi create-api-token`` both issue through here, so a token is
made, named and revoked the same way whoever asks. Only the hash is stored (models.py); the
secret is returned once, to be shown once.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kintsugi.accounts.models import ApiToken, User
from kintsugi.core.errors import ValidationProblem

MAX_NAME = 100  # ApiToken.name's length


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first: nobody lists another person's tokens."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_own(*, user: User, pk: int) -> ApiToken | None:
    """One of the person's own tokens by its id; another person's token is None, as one
    that does not exist, so that nobody learns which ids are taken."""
    return ApiToken.objects.filter(pk=pk, user=user).first()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which exists only in this return value."""
    label = (name or "").strip()
    if not label or len(label) > MAX_NAME:
        raise ValidationProblem(f"The token name must be 1 to {MAX_NAME} characters.", field="name")
    if not user.is_active:
        raise ValidationProblem("A deactivated user cannot get an API token.", field="user")
    if expires_at is not None and timezone.is_naive(expires_at):
        raise ValidationProblem("The expiry time needs a timezone.", field="expires_at")
    return ApiToken.issue(user=user, name=label, expires_at=expires_at)


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the person's own tokens; revoking it again changes nothing.

    The update is conditional, so two revocations at once keep the first time.
    """
    if token.user_id != user.pk:
        raise PermissionDenied("You may revoke only your own API tokens.")
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
    return token
