"""Every change made on the administration pages goes to the project's audit log.

The log is ``kintsugi.reviews``' ``AuditEntry``: one place to read who did what. An
administration entry names no incident; ``incident_ref`` names what changed
("user:alice", "team:sre", "service:web"), ``detail["change"]`` what was done
("user.deactivate"), and the rest of ``detail`` the values before and after.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from kintsugi.accounts.models import User
from kintsugi.reviews.models import AuditAction, AuditEntry

REF_LENGTH = 32  # AuditEntry.incident_ref


def subject(kind: str, name: str) -> str:
    """ "user:alice", cut to what the column holds (the detail keeps the whole name)."""
    return f"{kind}:{name}"[:REF_LENGTH]


def audit_admin_change(
    *,
    user: User | None,
    change: str,
    kind: str,
    name: str,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """One entry; ``user`` None is trusted code (an invitation accepted by its link)."""
    actor = user if isinstance(user, User) and user.pk else None
    return AuditEntry.objects.create(
        incident=None,
        incident_ref=subject(kind, name),
        was_restricted=False,
        actor=actor,
        actor_name=actor.username if actor else "",
        action=AuditAction.ADMINISTRATION,
        detail={"change": change, kind: name, **dict(detail or {})},
    )


def admin_changes() -> QuerySet[AuditEntry]:
    """The administration entries, newest first (the audit page pages through them)."""
    return AuditEntry.objects.filter(action=AuditAction.ADMINISTRATION).select_related("actor")
