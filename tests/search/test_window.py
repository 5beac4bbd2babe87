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


def test_the_index_path_for_few_matches_finds_the_same_hits_in_the_same_order(owner, team):
    """``few=True`` (PostgreSQL reads the GIN index, then sorts) must give exactly what the
    newest-first window gives, on both databases."""
    from django.db import connection

    from kintsugi.core.search_query import parse_search_query
    from kintsugi.postmortems import services
    from kintsugi.search import engines
    from kintsugi.search.filters import SearchFilters
    from kintsugi.search.selectors import search_scope

    for index in range(6):
        services.incident_create(
            user=owner,
            title=f"Pool wombat {index}" if index % 2 else f"Pool {index}",
            summary="wombat wombat" if index == 4 else "",
            started_at=datetime(2026, 2, 1, tzinfo=UTC),
            team=team,
        )
    scope = search_scope(user=owner, filters=SearchFilters())
    for text in ("wombat", "pool", "pool -wombat", '"pool wombat"'):
        query = parse_search_query(text)
        default = engines.matches(connection, query, scope, limit=20)
        indexed = engines.matches(connection, query, scope, limit=20, few=True)
        assert default == indexed, text
        assert default  # each query matches something


@pytest.mark.parametrize("filtered", [False, True])
def test_the_page_counted_with_its_hits_is_what_counting_then_ranking_gives(
    owner, team, monkeypatch, filtered
):
    """``engines.counted_matches`` (one statement on SQLite) against ``count`` then
    ``matches``: the same total and hits in the same order on every page, past the window
    and past the last hit too."""
    from django.db import connection

    from kintsugi.core.search_query import parse_search_query
    from kintsugi.postmortems import services
    from kintsugi.search import engines
    from kintsugi.search.filters import SearchFilters
    from kintsugi.search.selectors import search_scope

    monkeypatch.setattr(engines, "WINDOW", 6)
    for index in range(14):
        words = " ".join(["pool"] * (1 + index % 4))  # scores differ, and tie
        services.incident_create(
            user=owner,
            title=f"Pool {index} {words}",
            started_at=datetime(2026, 1, 1 + index, tzinfo=UTC),
            team=team if index % 3 else None,
        )
    filters = SearchFilters(open_actions=False)
    if filtered:
        from kintsugi.postmortems.selectors import IncidentFilters

        filters = SearchFilters(incident=IncidentFilters(team=team.slug))
    scope = search_scope(user=owner, filters=filters)
    query = parse_search_query("pool")
    pages = []
    for cap in (5, 100):
        for offset in (0, 4, 8, 30):
            total = engines.count(connection, query, scope, cap=cap)
            expected = engines.matches(
                connection, query, scope, limit=4, offset=offset, few=total <= engines.WINDOW
            )
            got = engines.counted_matches(connection, query, scope, cap=cap, limit=4, offset=offset)
            assert got == (total, expected)
            pages.append(got)
    assert {total for total, _hits in pages} == ({5, 9} if filtered else {5, 14})
    assert any(hits for _total, hits in pages) and any(not hits for _total, hits in pages)
