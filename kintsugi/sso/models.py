"""Which account an identity provider's person is.

An account is found by the provider's stable subject (``iss`` + ``sub``), not by email: an
address can be reused or changed at the provider, a subject cannot. The email is used once,
at the first sign-in, to link a verified address to an existing account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SsoIdentity(models.Model):
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class SsoSession(models.Model):
    """A Kintsugi session that began with a sign-in at the provider, so that the provider's
    back-channel logout (which names the person, or the provider's own session ``sid``)
    can end it. Written at the callback, removed at sign-out; rows older than a session
    can live are removed at the next sign-in."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    sid = models.CharField(max_length=255, blank=True)  # the provider's session, if it says
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["issuer", "subject"], name="sso_session_subject"),
            models.Index(fields=["issuer", "sid"], name="sso_session_sid"),
            models.Index(fields=["created_at"], name="sso_session_age"),
        ]

    def __str__(self) -> str:
        return f"session of {self.subject} at {self.issuer}"
