"""Writing the audit log. Post-mortem services call :func:`audit_record` through the hook
in ``postmortems/services/policies.py``; this app's services call it directly."""

from __future__ import annotations

from collections.abc import Mapping

from kintsugi.accounts.models import User
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.models import AuditAction, AuditEntry


def audit_record(
    *,
    user: object,
    incident: Incident,
    action: str,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """One entry. ``user`` None is trusted code (import, demo, a migration), shown as "system"."""
    actor = user if isinstance(user, User) and user.pk else None
    return AuditEntry.objects.create(
        incident=incident,
        incident_ref=f"INC-{incident.pk}",
        was_restricted=incident.is_restricted,
        actor=actor,
        actor_name=actor.username if actor else "",
        action=AuditAction(action),
        detail=dict(detail or {}),
    )
