"""The search's filters: the list page's (team, service, severity, status) plus dates and
"has open action items", read from request parameters by the page and the API alike.

Every bad value becomes a message and is left out (the page says it ignored it, the API
refuses the request); nothing here raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from kintsugi.accounts.models import User
from kintsugi.core.vocabulary import ActionStatus, PostmortemStatus, Severity
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.postmortems.selectors import IncidentFilters, incident_list
from kintsugi.teams.models import Service, Team

CLOSED = (ActionStatus.DONE, ActionStatus.WONT_DO)
YES = {"1", "true", "yes", "on"}


@dataclass
class SearchFilters:
    incident: IncidentFilters = field(default_factory=IncidentFilters)
    started_from: date | None = None
    started_to: date | None = None
    open_actions: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        f = self.incident
        chosen = (f.status, f.severity, f.team, f.service, self.started_from, self.started_to)
        return any(chosen) or self.open_actions


def _date(params: Mapping[str, str], name: str, errors: list[str]) -> date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"“{value[:20]}” is not a date (YYYY-MM-DD) for “{name}”.")
        return None


def parse_search_filters(params: Mapping[str, str]) -> SearchFilters:
    """Read the filters (one query each for the team and service slugs, if given)."""
    found = SearchFilters()
    choices = {
        "status": lambda v: v in {s.value for s in PostmortemStatus},
        "severity": lambda v: v in {s.value for s in Severity},
        "team": lambda v: Team.objects.filter(slug=v).exists(),
        "service": lambda v: Service.objects.filter(slug=v).exists(),
    }
    for name, allowed in choices.items():
        value = (params.get(name) or "").strip()[:100]
        if name == "severity":
            value = value.upper()
        if not value:
            continue
        if allowed(value):
            setattr(found.incident, name, value)
        else:
            found.errors.append(f"Unknown {name} “{value[:40]}”.")
    found.started_from = _date(params, "from", found.errors)
    found.started_to = _date(params, "to", found.errors)
    found.open_actions = (params.get("open_actions") or "").strip().lower() in YES
    return found


def filtered_incidents(*, user: User, filters: SearchFilters) -> QuerySet[Incident]:
    """The incidents the filters keep, among those ``user`` may see (the list page's
    selector, so the two pages never disagree)."""
    queryset = incident_list(user=user, filters=filters.incident).order_by()
    if filters.started_from:
        queryset = queryset.filter(started_at__date__gte=filters.started_from)
    if filters.started_to:
        queryset = queryset.filter(started_at__date__lte=filters.started_to)
    if filters.open_actions:
        open_items = ActionItem.objects.filter(incident_id=OuterRef("pk")).exclude(
            status__in=CLOSED
        )
        queryset = queryset.filter(Exists(open_items))
    return queryset
