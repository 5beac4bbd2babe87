"""The ranking window (engines.WINDOW): beyond it the newest matches are ranked, and a
narrow query still finds its match among many broad ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db


def test_a_rare_word_is_found_among_more_matches_than_the_window(owner, team, monkeypatch):
    from kintsugi.core.search_query import parse_search_query
    from kintsugi.postmortems import services
    from kintsugi.search import engines
    from kintsugi.search.filters import SearchFilters
    from kintsugi.search.selectors import search_postmortems

    monkeypatch.setattr(engines, "WINDOW", 5)
    first = services.incident_create(
        user=owner, title="Pool wombat", started_at=datetime(2026, 1, 1, tzinfo=UTC), team=team
    )
    for index in range(8):
        services.incident_create(
            user=owner, title=f"Pool {index}", started_at=datetime(2026, 2, 1, tzinfo=UTC)
        )

    def run(text: str):
        return search_postmortems(
            user=owner, query=parse_search_query(text), filters=SearchFilters()
        )

    assert [hit.incident.pk for hit in run("wombat").hits] == [first.pk]
    broad = run("pool")
    assert broad.total == 9  # counted beyond the window
    assert len(broad.hits) == 5 and first.pk not in [hit.incident.pk for hit in broad.hits]
