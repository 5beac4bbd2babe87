"""Building action snapshots for the debt tests: every field defaulted, override what matters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.vocabulary import ActionStatus, Priority

_next_id = iter(range(1, 1_000_000))


def at(day: date, hour: int = 12) -> datetime:
    """Noon UTC on ``day``: a moment whose UTC date is unambiguous."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def item(**fields: Any) -> ActionSnapshot:
    created = fields.pop("created_on", date(2026, 11, 2))
    due = fields.get("due_on", date(2026, 11, 16))
    defaults: dict[str, Any] = {
        "id": next(_next_id),
        "title": "Cap the connection pool per worker",
        "priority": Priority.P1,
        "status": ActionStatus.OPEN,
        "created_at": at(created),
        "policy_due_on": due or date(2026, 11, 16),
        "incident_id": 7,
        "due_on": due,
        "owner": "alice",
        "ticket_id": "OPS-1",
        "team": "Platform",
    }
    closed_on = fields.pop("closed_on", None)
    if closed_on is not None:
        defaults["closed_at"] = at(closed_on)
    defaults.update(fields)
    return ActionSnapshot(**defaults)
