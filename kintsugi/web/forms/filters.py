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
    # Each choice filter: its parameter (and IncidentFilters field), and the values it takes.
    choices = (
        ("status", {s.value for s in PostmortemStatus}),
        ("severity", {s.value for s in Severity}),
        ("team", {t.slug for t in teams}),
        ("service", {s.slug for s in services}),
    )
    for name, allowed in choices:
        value = params.get(name, "").strip()
        if name == "severity":
            value = value.upper()  # "sev1" is SEV1
        if not value:
            continue
        if value in allowed:
            setattr(filters, name, value)
        else:
            filters.errors.append(f"Unknown {name} “{value}”: that filter was ignored.")
    query = params.get("q", "").strip()
    if len(query) > limits.MAX_TITLE:
        filters.errors.append(
            f"The search is {len(query):,} characters long; the limit is {limits.MAX_TITLE}."
        )
    else:
        filters.q = query
    return filters
