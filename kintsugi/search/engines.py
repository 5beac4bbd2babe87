"""The two full-text engines behind one call: ``matches(connection, query, scope, ...)``.

``scope`` is the SQL (and its parameters) of a condition on ``e.incident_id``: the access
rules and the page's filters, compiled by Django from the same querysets the list page
uses, so the database never returns a row the reader may not see, not even to count it.
"""

# The SQL below formats in only this module's constants and the scope Django compiled.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kintsugi.core.search_query import MARK_END, MARK_START, SearchQuery
from kintsugi.search.triggers import ENTRY, FTS, PG_CONFIG

SNIPPET_WORDS = 24
WINDOW = 500  # the matches ranked (see ``matches``): the hits selectors.MAX_PAGE pages reach


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: int
    kind: str
    source_id: int
    incident_id: int
    snippet: str


def matches(
    connection: Any,
    query: SearchQuery,
    scope: tuple[str, list[Any]],
    *,
    limit: int,
    offset: int = 0,
    snippets: bool = True,
    few: bool = False,
) -> list[Match]:
    """The best ``limit`` entries from ``offset``, best first (bm25 / ts_rank_cd), with
    their snippets unless ``snippets`` is False (an empty one each).

    Ranked among the newest ``WINDOW`` matching entries the reader may see, not all of
    them: a word in half the index would otherwise cost a score for each of hundreds of
    thousands of rows (200 ms at 66,000 entries on SQLite, growing with the data) where
    the window costs the same whatever the size. The window is the 500 hits the pages can
    reach; for a narrower query it holds every match, and the ranking is exact.

    ``few``: the caller counted at most ``WINDOW`` matches. PostgreSQL then takes them
    from the GIN index and sorts them, instead of reading the primary key backwards until
    ``WINDOW`` match: it estimates a word missing from its statistics at up to 0.5% of
    the rows, and for a word with one match that backward read went through every entry
    (360 ms at 1.3 million; docs/search.md). The order is the same (newest first).
    """
    scope_sql, scope_params = scope
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT id, kind, source_id, incident_id FROM ("
            f"SELECT e.id, e.kind, e.source_id, e.incident_id, bm25({FTS}) AS score "
            f"FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND {scope_sql} "
            f"ORDER BY {FTS}.rowid DESC LIMIT {WINDOW}) newest "
            f"ORDER BY score, id DESC LIMIT %s OFFSET %s"
        )
        params = [query.as_fts5(), *scope_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            found = {row[0]: "" for row in rows}
            if snippets and rows:
                # The snippets of the page's hits only (snippet() lives in an FTS query).
                marks = ", ".join(["%s"] * len(found))
                cursor.execute(
                    f"SELECT rowid, snippet({FTS}, 0, %s, %s, '…', {SNIPPET_WORDS}) "
                    f"FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({marks})",
                    [MARK_START, MARK_END, query.as_fts5(), *found],
                )
                found.update(dict(cursor.fetchall()))
        return [Match(*row, snippet=found[row[0]]) for row in rows]
    options = (
        f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_WORDS}, '
        'MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
    )
    headline = f"ts_headline('{PG_CONFIG}', body, q, %s)" if snippets else "''"
    sql = (
        f"SELECT id, kind, source_id, incident_id, {headline} FROM ("
        f"SELECT id, kind, source_id, incident_id, body, q, "
        f"ts_rank_cd(document, q) AS score FROM ("
        f"SELECT e.id, e.kind, e.source_id, e.incident_id, e.body, e.document, q "
        f"FROM {ENTRY} e, websearch_to_tsquery('{PG_CONFIG}', %s) q "
        f"WHERE e.document @@ q AND {scope_sql} "
        f"ORDER BY {'e.id + 0' if few else 'e.id'} DESC LIMIT {WINDOW}) newest "
        f"ORDER BY score DESC, id DESC LIMIT %s OFFSET %s) best ORDER BY score DESC, id DESC"
    )
    given = [options] if snippets else []
    params = [*given, query.as_websearch(), *scope_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Match(*row) for row in cursor.fetchall()]


def counted_matches(
    connection: Any,
    query: SearchQuery,
    scope: tuple[str, list[Any]],
    *,
    cap: int,
    limit: int,
    offset: int = 0,
) -> tuple[int, list[Match]]:
    """``count(cap=cap)`` and ``matches(...)`` of one page, with the same results.

    On SQLite in one statement: the newest ``cap`` matches in scope (``WINDOW`` if more)
    are read once (a materialised ``WITH``), then counted up to ``cap``, and the newest
    ``WINDOW`` of them ranked. Two statements read them twice, and a filtered scope
    (``e.incident_id IN (...)``) is a list SQLite builds per statement by reading every
    incident: a common word with the "open action items" filter spent 24 ms counting and
    34 ms ranking on the bench data (20,000 incidents), most of it building the same list
    twice. The scores are computed for up to ``cap`` rows instead of ``WINDOW``
    (docs/search.md, "Measured on SQLite"). On PostgreSQL, ``count`` then ``matches``
    (its ``few`` path needs the count first).
    """
    if connection.vendor != "sqlite":
        total = count(connection, query, scope, cap=cap)
        found = matches(connection, query, scope, limit=limit, offset=offset, few=total <= WINDOW)
        return total, found
    scope_sql, scope_params = scope
    sql = (
        f"WITH hits AS MATERIALIZED ("
        f"SELECT e.id, e.kind, e.source_id, e.incident_id, bm25({FTS}) AS score "
        f"FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid "
        f"WHERE {FTS} MATCH %s AND {scope_sql} "
        f"ORDER BY {FTS}.rowid DESC LIMIT %s) "
        f"SELECT 0, COUNT(*), '', 0, 0 FROM (SELECT 1 FROM hits LIMIT %s) capped UNION ALL "
        f"SELECT * FROM (SELECT ROW_NUMBER() OVER (ORDER BY score, id DESC), "
        f"id, kind, source_id, incident_id FROM ("
        f"SELECT * FROM hits ORDER BY id DESC LIMIT {WINDOW}) newest "
        f"ORDER BY score, id DESC LIMIT %s OFFSET %s)"
    )
    params = [query.as_fts5(), *scope_params, max(cap, WINDOW), cap, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall())  # the count's row (0) first, then the page in order
        total = int(rows[0][1])
        page = [tuple(row[1:]) for row in rows[1:]]
        found = {row[0]: "" for row in page}
        if found:
            marks = ", ".join(["%s"] * len(found))
            cursor.execute(
                f"SELECT rowid, snippet({FTS}, 0, %s, %s, '…', {SNIPPET_WORDS}) "
                f"FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({marks})",
                [MARK_START, MARK_END, query.as_fts5(), *found],
            )
            found.update(dict(cursor.fetchall()))
    return total, [Match(*row, snippet=found[row[0]]) for row in page]


def count(connection: Any, query: SearchQuery, scope: tuple[str, list[Any]], *, cap: int) -> int:
    """How many entries match, counted up to ``cap`` (a page says "1,000+" beyond)."""
    scope_sql, scope_params = scope
    if connection.vendor == "sqlite":
        inner = (
            f"SELECT 1 FROM {FTS} JOIN {ENTRY} e ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND {scope_sql} LIMIT %s"
        )
        params = [query.as_fts5(), *scope_params, cap]
    else:
        inner = (
            f"SELECT 1 FROM {ENTRY} e, websearch_to_tsquery('{PG_CONFIG}', %s) q "
            f"WHERE e.document @@ q AND {scope_sql} LIMIT %s"
        )
        params = [query.as_websearch(), *scope_params, cap]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({inner}) capped", params)
        return int(cursor.fetchone()[0])
