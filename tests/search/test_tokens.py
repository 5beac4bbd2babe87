"""Negation, prefixes and path characters read the same on SQLite and PostgreSQL.

PostgreSQL's parser reads "~word", "a~b" and "/etc/hosts" as one *file* token where FTS5
sees words; both the index and the query now split them into words (run this file with
DATABASE_URL=postgres://... too: the expected hits are the same on both)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.core.search_query import parse_search_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathy(incident, owner):
    from kintsugi.postmortems import services

    texts = [
        "Marked ~RESTRICTED in the runbook",
        "Edited /etc/hosts on gateway~blue by hand",
        r"Copied C:\deploy\zebrafish to the share",
        "Reverted upstream-proxy changes",
    ]
    for n, text in enumerate(texts):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=datetime(2026, 3, 1, 14, n, tzinfo=UTC),
            kind="note",
            text=text,
        )
    return incident


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("restricted", True),
        ("~restricted", True),
        ("~RESTRICTED runbook", True),
        ("hosts", True),
        ("/etc/hosts", True),
        ("etc/hosts", True),
        ("blue", True),
        ("gateway~blue", True),
        ("zebrafish", True),
        (r"C:\deploy\zebrafish", True),
        ("proxy", True),
        ("upstream-proxy", True),
        ("runbook -~restricted", False),
        ("runbook -restricted", False),
        ("hand -/etc/hosts", False),
        ("hand -hosts", False),
        ("hand -~nothing", True),
    ],
)
def test_the_same_text_is_found_the_same_way_on_both_databases(
    pathy, owner, search_for, query, found
):
    hits = search_for(owner, query).hits
    assert bool(hits) is found, (query, [h.kind for h in hits])


def test_path_characters_never_reach_postgresql_as_joiners():
    query = parse_search_query("~restricted a/b -~x")
    assert query.as_websearch() == "restricted a b -x"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script> quokka sighted",
        "Pasted </div> from the page, then quokka",
        "a/b and </span> quokka </p>",
    ],
)
def test_a_closing_tag_keeps_the_words_after_it(incident, owner, search_for, text):
    """A "/" that closes a tag stays: read as "< span>", PostgreSQL's parser took it for
    the start of a tag and dropped every word up to the next ">" (a quoted HTML snippet
    emptied the incident's whole index entry)."""
    from kintsugi.postmortems import services

    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 30, tzinfo=UTC),
        kind="note",
        text=text,
    )
    assert search_for(owner, "quokka").hits
