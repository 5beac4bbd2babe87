"""PostgreSQL reads paths and "~word" as words, as FTS5 does (``triggers.PG_DOCUMENT``).

The generated ``document`` column cannot change its expression in place: it is dropped
(its GIN index with it) and added again by ``install``, which PostgreSQL fills from
``body``. SQLite's index does not change. Going back restores the former expression.
"""

from typing import Any

from django.db import migrations

OLD_DOCUMENT = "to_tsvector('english'::regconfig, body)"


def _redo(schema_editor: Any, expression: str | None) -> None:
    from kintsugi.search import triggers

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {triggers.ENTRY} DROP COLUMN IF EXISTS document")
        if expression is None:
            triggers.install(connection)
            return
        cursor.execute(
            f"ALTER TABLE {triggers.ENTRY} ADD COLUMN document tsvector "  # noqa: S608
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        cursor.execute(
            f"CREATE INDEX search_entry_document ON {triggers.ENTRY} USING gin (document)"
        )


def forward(apps: Any, schema_editor: Any) -> None:
    _redo(schema_editor, None)


def backward(apps: Any, schema_editor: Any) -> None:
    _redo(schema_editor, OLD_DOCUMENT)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_comments")]

    operations = [migrations.RunPython(forward, backward)]
