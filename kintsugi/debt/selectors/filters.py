"""One filter definition for the debt pages: the dashboard, its item lists and the review.

Filters arrive as query parameters (team, service and owner by slug or username, ``~none``
for "no team" / "no service" / "unassigned"), so every number on the dashboard is a link
whose target lists exactly the items behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict

from kintsugi.accounts.models import User
from kintsugi.core.debt.states import DebtState
from kintsugi.core.vocabulary import Severity
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Incident

NONE = "~none"  # not a valid slug or username, so it never names a real one
STATES = ("open", "closed", *(state.value for state in DebtState))
STATE_LABELS = {"open": "Open", "closed": "Closed", **{s.value: s.label for s in DebtState}}


@dataclass(frozen=True)
class DebtFilters:
    team: str = ""
    service: str = ""
    severity: str = ""
    owner: str = ""
    state: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: QueryDict) -> DebtFilters:
        """Read the filters; an unknown value is dropped with a message, not a crash."""
        errors = []
        values: dict[str, str] = {}
        for name in ("team", "service", "owner"):
            values[name] = query.get(name, "").strip()[:150]
        severity = query.get("severity", "").strip().upper()
        if severity and severity not in Severity.__members__:
            errors.append(f"Unknown severity {severity!r}; showing every severity.")
            severity = ""
        state = query.get("state", "").strip()
        if state and state not in STATES:
            errors.append(f"Unknown state {state!r}; showing every state.")
            state = ""
        return cls(severity=severity, state=state, errors=tuple(errors), **values)

    def with_(self, **changes: str) -> DebtFilters:
        return replace(self, **changes)

    def query_string(self, **changes: str) -> str:
        chosen = replace(self, **changes) if changes else self
        pairs = {
            name: getattr(chosen, name)
            for name in ("team", "service", "severity", "owner", "state")
            if getattr(chosen, name)
        }
        return urlencode(pairs)

    @property
    def is_filtered(self) -> bool:
        return any((self.team, self.service, self.severity, self.owner))

    def as_dict(self) -> dict[str, Any]:
        return {"team": self.team, "service": self.service, "severity": self.severity}


def visible_items(user: User) -> QuerySet[ActionItem]:
    """Items of the incidents ``user`` may see (access.py decides; nothing else here)."""
    return ActionItem.objects.filter(access.visible_through(user, "incident"))


def apply_filters(items: QuerySet[ActionItem], filters: DebtFilters) -> QuerySet[ActionItem]:
    """Team, service, severity and owner; the state is applied by the caller (it needs a day)."""
    if filters.team == NONE:
        items = items.filter(incident__team__isnull=True)
    elif filters.team:
        items = items.filter(incident__team__slug=filters.team)
    if filters.service:
        through = Incident.services.through.objects
        if filters.service == NONE:
            items = items.exclude(incident_id__in=through.values("incident_id"))
        else:
            items = items.filter(
                incident_id__in=through.filter(service__slug=filters.service).values("incident_id")
            )
    if filters.severity:
        items = items.filter(incident__severity=filters.severity)
    if filters.owner == NONE:
        items = items.filter(owner__isnull=True)
    elif filters.owner:
        items = items.filter(Q(owner__username=filters.owner))
    return items
