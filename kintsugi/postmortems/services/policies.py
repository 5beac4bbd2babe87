"""Rules this app obeys but does not own, handed down by the apps that own them.

Post-mortems are the lower layer: the apps above import this one, never the reverse. Two
rules that every write of a post-mortem must obey belong to apps above it:

- the publishing gate (``kintsugi.blameless.publishing``): in ``block`` mode, refuse to
  publish a post-mortem with blameful text or a why-chain that stops at a person;
- the due-date policy (``kintsugi.debt``, stored per team): what target date an action
  item of each priority gets;
- the audit log (``kintsugi.reviews``): who published, restricted, deleted an incident or
  changed who may see it;
- the change log (``kintsugi.history``): every write is noted (who, which incident) so the
  post-mortem's history can keep a version of what changed once the write commits.

Each owner hands its rule over when Django starts (its ``AppConfig.ready``), so the web
form, the API, the importer and the demo all obey the same rule. A rule that was never
handed over is an error, never a silent default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kintsugi.core.debt.policy import DuePolicy

if TYPE_CHECKING:
    from kintsugi.postmortems.models import Incident

PublishingGate = Callable[..., object]  # (*, incident, changes) -> verdict; raises to refuse
TeamPolicy = Callable[[int | None], DuePolicy]
AuditLog = Callable[..., object]  # (*, user, incident, action, detail) -> entry
ChangeLog = Callable[..., object]  # (*, user, incident) -> None: a write to it is under way

_gate: PublishingGate | None = None
_team_policy: TeamPolicy | None = None
_audit: AuditLog | None = None
_change_log: ChangeLog | None = None


def use_publishing_gate(gate: PublishingGate) -> None:
    """Check every publication with ``gate(incident=..., changes=...)``."""
    global _gate
    _gate = gate


def use_due_policy(policy_for_team: TeamPolicy) -> None:
    """Date action items with ``policy_for_team(team_id)`` (``None``: no team)."""
    global _team_policy
    _team_policy = policy_for_team


def use_audit_log(record: AuditLog) -> None:
    """Record audited changes with ``record(user=..., incident=..., action=..., detail=...)``."""
    global _audit
    _audit = record


def use_change_log(record: ChangeLog) -> None:
    """Note every write with ``record(user=..., incident=...)`` (before the write, in its
    transaction: the recorder keeps a version only if the write commits)."""
    global _change_log
    _change_log = record


def note_change(*, user: object, incident: Incident) -> None:
    """Tell the history that ``user`` is changing ``incident`` in this transaction."""
    if _change_log is None:
        raise RuntimeError(_missing("change log", "kintsugi.history"))
    _change_log(user=user, incident=incident)


def audit(
    *, user: object, incident: Incident, action: str, detail: Mapping[str, object] | None = None
) -> None:
    """Write one audit entry (in the caller's transaction: no entry without the change)."""
    if _audit is None:
        raise RuntimeError(_missing("audit log", "kintsugi.reviews"))
    _audit(user=user, incident=incident, action=action, detail=dict(detail or {}))


def check_publishing(*, incident: Incident, changes: Mapping[str, object]) -> None:
    """Raise ``ValidationProblem`` on ``status`` when the organisation refuses to publish."""
    if _gate is None:
        raise RuntimeError(_missing("publishing gate", "kintsugi.blameless"))
    _gate(incident=incident, changes=changes)


def due_policy(incident: Incident) -> DuePolicy:
    """The due-date policy of the incident's team (the organisation's when it has none)."""
    if _team_policy is None:
        raise RuntimeError(_missing("due-date policy", "kintsugi.debt"))
    return _team_policy(incident.team_id)


def _missing(rule: str, app: str) -> str:
    return f"No {rule}: {app} hands it over when Django starts; is it in INSTALLED_APPS?"
