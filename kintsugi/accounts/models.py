"""People, their role, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


def full_name(first_name: str | None, last_name: str | None) -> str:
    """A person's name as the app shows it ("" when they gave none; Django's
    ``get_full_name``), for rows read without building a ``User``."""
    return f"{first_name or ''} {last_name or ''}".strip()


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer (read only)"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    """A person. The role is organisation-wide; incidents may further restrict who sees them."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    # Whether they are a team admin (lead) of at least one team: a copy of what their
    # memberships say, kept by kintsugi/teams/signals.py, so that the navigation offers the
    # team admin's links from the user row every request loads anyway, without a query per
    # page. Never written by a full ``save()`` (see ``save``): a user row loaded before a
    # membership changed must not put the old value back. A database default too, so that
    # code of the previous release inserting users during an upgrade still can.
    leads_team = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ["username"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "leads_team"
            ]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return full_name(self.first_name, self.last_name) or self.username

    def __str__(self) -> str:
        return self.display_name


def is_admin(user: User) -> bool:
    """Whether the person administers the organisation (teams, settings, every incident).

    Here, below every app, so the apps that only need the role (teams) do not import
    ``postmortems.access``, which decides per incident and asks the same question.
    """
    return bool(user.is_active and (user.is_superuser or user.role == Role.ADMIN))


TOKEN_PREFIX = "kts_"  # noqa: S105 - a marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for scripts. Only the hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:12],
            token_hash=hash_token(raw),
            expires_at=expires_at,
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class SignInFailure(models.Model):
    """One failed password sign-in, kept for the throttle window (kintsugi/accounts/throttle.py).

    In the database, not in process memory, so that every app server behind the load balancer
    counts the same failures. ``account`` is a hash of the case-folded username as typed: a
    password typed into the username box must not be stored, and a 10,000-character name must
    not bloat the index. Empty when no username was given (the address still counts).
    """

    account = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "at"], name="signin_failure_account"),
            models.Index(fields=["address", "at"], name="signin_failure_address"),
        ]

    def __str__(self) -> str:
        return f"{self.address} at {self.at:%Y-%m-%d %H:%M:%S}"


class PasswordResetRequest(models.Model):
    """One request for a password reset email, kept for the window that limits them
    (kintsugi/accounts/reset_throttle.py).

    Counted per address typed (``account``, hashed as for ``SignInFailure``: the address may
    name nobody, and is not stored as typed) and per client address, whether or not an
    account has that email: the limits must not tell which addresses exist.
    """

    account = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "at"], name="reset_request_account"),
            models.Index(fields=["address", "at"], name="reset_request_address"),
        ]

    def __str__(self) -> str:
        return f"{self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
