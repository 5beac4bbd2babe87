"""Sources: create one, rotate its secret, decide who may manage it.

A secret is returned once, by the call that makes it; only its SHA-256 is kept for the
bearer kinds. Rotation keeps the previous secret valid for a grace period so a sender can be
switched over without losing deliveries (PagerDuty itself signs with both secrets while
its subscription's secret rotates).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.capture.models import Source, SourceKind
from kintsugi.core.capture.severity import DEFAULT_LABEL, DEFAULT_MAP, clean_severity_map
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import DEFAULT_GRACE, previous_valid_until
from kintsugi.core.validation import clean_text
from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Team

BEARER_KINDS = (SourceKind.ALERTMANAGER, SourceKind.GENERIC, SourceKind.CSV)
MIN_SIGNING_SECRET = 16


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    return "ks_" + secrets.token_urlsafe(32)


def source_url(source: Source) -> str:
    path = reverse("capture-hook", kwargs={"kind": source.kind, "source_id": source.pk})
    return settings.KINTSUGI_BASE_URL + path


@dataclass(frozen=True)
class IssuedSecret:
    """A source and the secret just made for it (``None`` for PagerDuty: its secret is
    PagerDuty's, given to us, never made here)."""

    source: Source
    secret: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.source.kind,
            "name": self.source.name,
            "url": source_url(self.source),
            "secret": self.secret,
        }


def can_manage(user: User, team: Team | None) -> bool:
    """Admins manage every source; a team's leads manage their team's sources."""
    if not access.is_signed_in(user):
        return False
    if access.is_admin(user):
        return True
    return team is not None and access.can_manage_team(user, team)


def may_manage_any(user: User) -> bool:
    return access.is_admin(user) or (
        access.is_signed_in(user)
        and Membership.objects.filter(user_id=user.pk, is_lead=True).exists()
    )


def sources_for(user: User) -> QuerySet[Source]:
    """The sources a person manages (and so may see listed)."""
    rows = Source.objects.select_related("team").order_by("name")
    if access.is_admin(user):
        return rows
    led = Membership.objects.filter(user_id=user.pk, is_lead=True).values("team_id")
    return rows.filter(team_id__in=led)


def _clean_signing_secret(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) < MIN_SIGNING_SECRET or len(text) > 200 or any(c.isspace() for c in text):
        raise ValidationProblem(
            f"PagerDuty's signing secret is {MIN_SIGNING_SECRET} to 200 characters without "
            "spaces (copy it from the webhook subscription).",
            field="signing_secret",
        )
    return text


@transaction.atomic
def source_create(
    *,
    user: User | None,
    kind: str,
    name: str,
    team: Team | None = None,
    severity_label: str = DEFAULT_LABEL,
    severity_map: dict[str, str] | None = None,
    signing_secret: str | None = None,
) -> IssuedSecret:
    if user is not None and not can_manage(user, team):
        raise PermissionDenied("Only admins, or a team's leads for their team, add sources.")
    if kind not in SourceKind.values:
        raise ValidationProblem(
            f"Unknown source kind {kind!r}; use one of: {', '.join(SourceKind.values)}.",
            field="kind",
        )
    label = clean_text(name, field="name", max_length=100, required=True, label="source name")
    if not all(c.isalnum() or c in "-_." for c in label):
        raise ValidationProblem(
            "A source name uses letters, digits, '-', '_' and '.' only.", field="name"
        )
    source = Source(
        kind=kind,
        name=label,
        team=team,
        created_by=user if user is not None and user.pk else None,
        severity_label=clean_text(
            severity_label, field="severity_label", max_length=100, required=True
        ),
        severity_map=clean_severity_map(severity_map if severity_map is not None else DEFAULT_MAP),
    )
    secret: str | None = None
    if kind == SourceKind.PAGERDUTY:
        if signing_secret:
            source.signing_secret = _clean_signing_secret(signing_secret)
    else:
        secret = _new_secret()
        source.secret_hash = hash_secret(secret)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise ValidationProblem(f"A source named {label!r} exists already.", field="name") from None
    return IssuedSecret(source, secret)


@transaction.atomic
def source_rotate(
    *,
    user: User | None,
    source: Source,
    signing_secret: str | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> IssuedSecret:
    """A new secret; the old one stays valid for ``grace`` (zero: revoked at once)."""
    if user is not None and not can_manage(user, source.team):
        raise PermissionDenied("Only admins, or the team's leads, rotate this source's secret.")
    now = timezone.now()
    until = previous_valid_until(now, grace)  # the rule shared with tracker webhooks
    fresh = Source.objects.select_for_update().get(pk=source.pk)
    fresh.previous_valid_until = until
    fresh.rotated_at = now
    secret: str | None = None
    if fresh.kind == SourceKind.PAGERDUTY:
        fresh.previous_signing_secret = fresh.signing_secret if grace else ""
        fresh.signing_secret = _clean_signing_secret(signing_secret)
        fields = ["signing_secret", "previous_signing_secret"]
    else:
        fresh.previous_secret_hash = fresh.secret_hash if grace else ""
        secret = _new_secret()
        fresh.secret_hash = hash_secret(secret)
        fields = ["secret_hash", "previous_secret_hash"]
    fresh.save(update_fields=[*fields, "previous_valid_until", "rotated_at"])
    return IssuedSecret(fresh, secret)
