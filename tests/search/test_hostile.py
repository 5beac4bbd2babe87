"""Hostile and odd queries: a clear message or plain words, never a database error."""

from __future__ import annotations

import pytest

from kintsugi.core.search_query import (
    MAX_QUERY_CHARS,
    SearchQueryError,
    highlight_segments,
    parse_search_query,
)

HOSTILE = [
    '"',
    '"unbalanced',
    "NEAR(a b)",
    "body:secret",
    "a* ^b",
    "(((",
    "'; DROP TABLE search_searchentry; --",
    "a & b | !c <-> d",
    "OR AND NOT",
    "x OR",
    "-a b",
    "ﬁle café 東京",
    "\x00\x01 nul",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.django_db
def test_it_never_errors_on_hostile_input(text, written, owner, search_for):
    try:
        query = parse_search_query(text)
    except SearchQueryError as error:
        assert str(error)
        return
    search_for(owner, query.as_websearch())  # runs on the real engine


def test_it_refuses_oversized_queries_with_a_reason():
    with pytest.raises(SearchQueryError, match="limit is 200"):
        parse_search_query("a" * (MAX_QUERY_CHARS + 1))


def test_it_refuses_too_many_terms():
    with pytest.raises(SearchQueryError, match="limit is 12"):
        parse_search_query(" ".join(f"w{i}" for i in range(13)))


@pytest.mark.parametrize("text", ["", "   ", "-only", "!!! ???", "OR"])
def test_it_asks_for_a_word(text):
    with pytest.raises(SearchQueryError, match="at least one word"):
        parse_search_query(text)


def test_it_keeps_phrases_exclusions_and_or():
    query = parse_search_query('-flaky "connection pool" OR pgbouncer')
    assert query.as_fts5() == '"connection pool" OR "pgbouncer" NOT "flaky"'
    assert query.as_websearch() == '"connection pool" or pgbouncer -flaky'


def test_operators_become_words():
    # A token's words stay together as a phrase ("db-01" is "db 01").
    assert parse_search_query("NEAR(a b) col:x").as_fts5() == '"near a" AND "b" AND "col x"'


def test_markers_split_into_escaped_segments():
    text = "a \ue000<b>\ue001 c \ue001 stray"
    assert highlight_segments(text) == [
        ("a ", False),
        ("<b>", True),
        (" c ", False),
        (" stray", False),
    ]
