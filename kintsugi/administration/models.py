"""Invitations: an email address asked to join, with the roles it will get.

The link in the email carries the invitation's id and a random key, signed and dated
(``invitations.py``): the key lets a withdrawn or re-sent invitation kill the links sent
before, the signature keeps anyone from forging one, and the date makes it expire. The
row stays after it is used: it says who joined through it, and into which team.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.accounts.models import Role
from kintsugi.teams.models import Team, TeamRole


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    team_role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.EDITOR)
    key = models.CharField(max_length=64, default=new_key)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["accepted_by"], name="invitation_accepted_by")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None
