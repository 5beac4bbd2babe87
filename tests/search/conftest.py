"""Post-mortems with words to find, for the search tests (on SQLite, and on PostgreSQL
when DATABASE_URL names one)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest


@pytest.fixture
def search_for():
    """``search_for(user, "text", **params)``: the hits' (kind, incident id) pairs."""
    from kintsugi.core.search_query import parse_search_query
    from kintsugi.search.filters import parse_search_filters
    from kintsugi.search.selectors import search_postmortems

    def run(user, text: str, **params):
        results = search_postmortems(
            user=user, query=parse_search_query(text), filters=parse_search_filters(params)
        )
        return results

    return run


@pytest.fixture
def written(incident, restricted_incident, owner, teammate):
    """Words in every kind of content, and a secret word only in the restricted one."""
    from kintsugi.five_whys import services as whys
    from kintsugi.postmortems import services

    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 5, tzinfo=UTC),
        kind="note",
        text="Pager fired for the pgbouncer saturation alert",
    )
    factor = services.factor_add(
        user=owner,
        incident=incident,
        title="Connection pool exhausted",
        description="The pool held 20 connections while migrations locked tables.",
    )
    services.lesson_add(
        user=owner, incident=incident, kind="went_poorly", text="Rollback took too long"
    )
    services.action_item_add(
        user=owner,
        incident=incident,
        title="Add a canary stage for schema migrations",
        owner=teammate,
        ticket_id="OPS-4242",
        factor=factor,
        due_on=date(2026, 3, 15),
    )
    services.timeline_event_add(
        user=owner,
        incident=restricted_incident,
        occurred_at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC),
        kind="note",
        text="Rotated the leaked credential zanzibar in the vault",
    )
    return {"incident": incident, "restricted": restricted_incident, "whys": whys}
