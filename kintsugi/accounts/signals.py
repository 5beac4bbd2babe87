"""A new password revokes the user's API tokens.

Whoever changed it (the person, an admin, ``kintsugi changepassword``) may be shutting out
someone who learnt the old one; a token that person made must stop working too. Hooked on
``post_save`` because every path ends in ``set_password()`` then ``save()``: ``set_password``
leaves the new password in ``_password`` until the save completes. Django's own re-hashing of
an unchanged password at sign-in clears ``_password`` before saving, so it revokes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from kintsugi.accounts.models import ApiToken, User


@receiver(post_save, sender=User, dispatch_uid="kintsugi-revoke-tokens-on-password-change")
def revoke_tokens_on_password_change(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    if created or getattr(instance, "_password", None) is None:
        return
    ApiToken.objects.filter(user=instance, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
