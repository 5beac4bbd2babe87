"""The triggers that keep the search index (``SearchEntry`` and its full-text part) true
to the source tables, for SQLite and PostgreSQL, generated from ``sources.SOURCES``.

Triggers rather than Django signals for the reason ``kintsugi/debt/tally/triggers.py``
gives: updates, bulk loads and raw SQL all change the text, and an index that missed one
would find what is no longer written (or hide what is). Each statement is idempotent and
the set is reinstalled after every ``migrate``.
"""

# Only this module's constant table and column names are formatted into the SQL.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from kintsugi.search.sources import SOURCES, Source

ENTRY = "search_searchentry"
FTS = "search_fts"
# The FTS5 tokenizer and the PostgreSQL text search configuration: both stem English and
# fold case; FTS5 also folds accents ("café" finds "cafe").
FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"
PG_CONFIG = "english"
# PostgreSQL's parser reads "~word", "a~b", "/etc/hosts" and "C:\\dir" as single *file*
# tokens ("~restricted", "/etc/hosts"), where FTS5 sees the words: a search for "hosts" or
# "restricted" then found the text on SQLite and not on PostgreSQL. The document is read
# with those path characters as spaces, as FTS5 reads them (the query side drops them too:
# kintsugi/core/search_query.py). A "/" right after "<" is kept: it closes a tag
# ("</script>"), which the parser skips whole; as "< script>" the parser took it for the
# start of a tag and dropped every word up to the next ">", so a body that quoted HTML
# lost the words after it from the index.
PG_DOCUMENT = (
    f"to_tsvector('{PG_CONFIG}'::regconfig, regexp_replace(body, '(?<!<)[~/\\\\]', ' ', 'g'))"
)


def _sqlite_body(source: Source, row: str) -> str:
    return " || char(10) || ".join(f"COALESCE({row}.\"{c}\", '')" for c in source.text_columns)


def _changed(source: Source, distinct: str) -> str:
    columns = (*source.text_columns, source.incident_column)
    return " OR ".join(f'OLD."{c}" {distinct} NEW."{c}"' for c in columns)


def _upsert(source: Source, body: str) -> str:
    return (
        f"INSERT INTO {ENTRY} (kind, source_id, incident_id, body) "
        f"VALUES ('{source.kind}', NEW.id, {source.incident_sql('NEW')}, {body}) "
        "ON CONFLICT (kind, source_id) DO UPDATE "
        "SET incident_id = excluded.incident_id, body = excluded.body;"
    )


def _delete(source: Source) -> str:
    return f"DELETE FROM {ENTRY} WHERE kind = '{source.kind}' AND source_id = OLD.id;"


def _sqlite() -> list[str]:
    sql = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(body, content='{ENTRY}', "
        f"content_rowid='id', tokenize='{FTS5_TOKENIZE}')",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON {ENTRY} "
        f"BEGIN INSERT INTO {FTS} (rowid, body) VALUES (NEW.id, NEW.body); END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON {ENTRY} "
        f"BEGIN INSERT INTO {FTS} ({FTS}, rowid, body) VALUES ('delete', OLD.id, OLD.body); END",
        f"CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON {ENTRY} "
        f"BEGIN INSERT INTO {FTS} ({FTS}, rowid, body) VALUES ('delete', OLD.id, OLD.body); "
        f"INSERT INTO {FTS} (rowid, body) VALUES (NEW.id, NEW.body); END",
    ]
    for source in SOURCES:
        name = f"search_index_{source.kind}"
        upsert = _upsert(source, _sqlite_body(source, "NEW"))
        sql += [
            f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {source.table} "
            f"BEGIN {upsert} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE ON {source.table} "
            f"WHEN {_changed(source, 'IS NOT')} BEGIN {upsert} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {source.table} "
            f"BEGIN {_delete(source)} END",
        ]
    return sql


def _postgresql() -> list[str]:
    sql = [
        f"ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS "
        f"({PG_DOCUMENT}) STORED",
        f"CREATE INDEX IF NOT EXISTS search_entry_document ON {ENTRY} USING gin (document)",
    ]
    for source in SOURCES:
        name = f"search_index_{source.kind}"
        body = "concat_ws(E'\\n', " + ", ".join(f'NEW."{c}"' for c in source.text_columns) + ")"
        sql += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' THEN {_delete(source)} RETURN OLD; END IF; "
            f"{_upsert(source, body)} RETURN NEW; END $$",
            f"DROP TRIGGER IF EXISTS {name}_write ON {source.table}",
            f"CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON {source.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            f"DROP TRIGGER IF EXISTS {name}_update ON {source.table}",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {source.table} FOR EACH ROW "
            f"WHEN ({_changed(source, 'IS DISTINCT FROM')}) EXECUTE FUNCTION {name}()",
        ]
    return sql


def statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite()
    if vendor == "postgresql":
        return _postgresql()
    raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {vendor}.")


def ready_to_install(connection: Any) -> bool:
    present = set(connection.introspection.table_names())
    return {ENTRY, *(s.table for s in SOURCES)} <= present


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor):
            cursor.execute(statement)


def rebuild(connection: Any) -> int:
    """Write the index afresh from the sources (after install, or to repair it); returns
    the number of entries. The FTS part follows through its own triggers (SQLite) or the
    generated column (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRY}")
        for source in SOURCES:
            if connection.vendor == "sqlite":
                body = _sqlite_body(source, source.table)
            else:
                body = "concat_ws(E'\\n', " + ", ".join(f'"{c}"' for c in source.text_columns) + ")"
            cursor.execute(
                f"INSERT INTO {ENTRY} (kind, source_id, incident_id, body) "
                f"SELECT '{source.kind}', id, {source.incident_sql(source.table)}, {body} "
                f"FROM {source.table}"
            )
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
        cursor.execute(f"SELECT COUNT(*) FROM {ENTRY}")
        return int(cursor.fetchone()[0])


def fill_range(
    connection: Any, source: Source, after_id: int, batch: int, *, rewrite: bool = False
) -> int | None:
    """Index the next ``batch`` rows of ``source`` after ``after_id`` (those without an
    entry; every one with ``rewrite``) in the caller's transaction; returns the last id
    done, None when no row is left. Bounded: one index range scan of the source and
    ``batch`` upserts, so writers wait for at most one batch (issue 20: a whole-table
    rebuild inside a migration held the index table for 105 s at 20,000 incidents)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id) FROM (SELECT id FROM {source.table} WHERE id > %s "
            "ORDER BY id LIMIT %s) AS next_rows",
            [after_id, batch],
        )
        found = cursor.fetchone()
        upper = found[0] if found else None
        if upper is None:
            return None
        if connection.vendor == "sqlite":
            body = _sqlite_body(source, source.table)
        else:
            body = "concat_ws(E'\\n', " + ", ".join(f'"{c}"' for c in source.text_columns) + ")"
        conflict = (
            "DO UPDATE SET incident_id = excluded.incident_id, body = excluded.body"
            if rewrite
            else "DO NOTHING"
        )
        # PostgreSQL: the batch's source rows are key-share locked until the batch commits,
        # so a concurrent DELETE waits and its trigger then removes the entry written here
        # (without the lock it found nothing to remove and the entry outlived its row).
        # Text updates are not blocked: their trigger's upsert follows this one. SQLite has
        # one writer at a time, so no such race.
        lock = f" FOR KEY SHARE OF {source.table}" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"INSERT INTO {ENTRY} (kind, source_id, incident_id, body) "
            f"SELECT '{source.kind}', id, {source.incident_sql(source.table)}, {body} "
            f"FROM {source.table} WHERE id > %s AND id <= %s{lock} "
            f"ON CONFLICT (kind, source_id) {conflict}",
            [after_id, upper],
        )
        return int(upper)


def uninstall(connection: Any) -> None:
    """Drop the triggers (and the FTS table): what unapplying the first migration needs
    before the index table goes, so that writes to the sources keep working."""
    with connection.cursor() as cursor:
        for source in SOURCES:
            name = f"search_index_{source.kind}"
            if connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
            else:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
