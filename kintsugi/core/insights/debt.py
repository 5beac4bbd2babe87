"""Cost of debt: an incident that began while an action item of an earlier, related
incident was still open — the fix that might have prevented it was known and not done.

"Related" means the two incidents share an affected service. An item counts when it was
created before the later incident began and was not closed (done or won't do) by then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EarlierItem:
    """An action item of another incident, with what decides whether it was open."""

    item_id: int
    incident_id: int
    incident_started_at: datetime
    services: frozenset[int]
    created_at: datetime
    completed_at: datetime | None


def open_related_items(
    *,
    incident_id: int,
    started_at: datetime,
    services: frozenset[int],
    items: Iterable[EarlierItem],
) -> int:
    """How many items of earlier related incidents were open when this one began."""
    if not services:
        return 0
    return sum(
        1
        for item in items
        if item.incident_id != incident_id
        and item.incident_started_at < started_at
        and item.created_at <= started_at
        and (item.completed_at is None or item.completed_at > started_at)
        and item.services & services
    )
