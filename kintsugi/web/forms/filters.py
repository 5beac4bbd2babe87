"""The list page's filters: invalid values are reported and ignored, never a server error."""

from __future__ import annotations

from django.http import QueryDict

from kintsugi.core import document as limits
from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems.selectors import IncidentFilters
from kintsugi.teams.models import Service, Team


def parse_filters(
    params: QueryDict, *, teams: list[Team], services: list[Service]
) -> IncidentFilters:
    """Read the filter parameters; each bad one becomes a message and is left out."""
    filters = IncidentFilters()
    status = params.get("status", "").strip()
    if status:
        if status in {s.value for s in PostmortemStatus}:
            filters.status = status
        else:
            filters.errors.append(f"Unknown status “{status}”: that filter was ignored.")
    severity = params.get("severity", "").strip().upper()
    if severity:
        if severity in {s.value for s in Severity}:
            filters.severity = severity
        else:
            filters.errors.append(f"Unknown severity “{severity}”: that filter was ignored.")
    team = params.get("team", "").strip()
    if team:
        if team in {t.slug for t in teams}:
            filters.team = team
        else:
            filters.errors.append(f"Unknown team “{team}”: that filter was ignored.")
    service = params.get("service", "").strip()
    if service:
        if service in {s.slug for s in services}:
            filters.service = service
        else:
            filters.errors.append(f"Unknown service “{service}”: that filter was ignored.")
    query = params.get("q", "").strip()
    if len(query) > limits.MAX_TITLE:
        filters.errors.append(
            f"The search is {len(query):,} characters long; the limit is {limits.MAX_TITLE}."
        )
    else:
        filters.q = query
    return filters
