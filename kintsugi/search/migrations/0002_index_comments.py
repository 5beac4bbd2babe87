"""Review comments join the index (``sources.SOURCES`` gained the ``comment`` source).

Installs the triggers only: every comment written from now on is indexed. The comments
written before are indexed online afterwards, in batches (``0004_index_fill`` queues them
for the worker and ``kintsugi search-index --fill``). This migration used to rebuild the
whole index in its own transaction (105 s at 20,000 incidents on PostgreSQL, with writes
to every post-mortem table waiting, since their triggers write the index); databases that
ran that version have their comments indexed already, and the queued fill finds nothing
to add there.
"""

from django.db import migrations


def install(apps, schema_editor):
    from kintsugi.search import triggers

    triggers.install(schema_editor.connection)


def drop_comment_entries(apps, schema_editor):
    """Going back: the comment triggers go and their entries with them (the other
    sources' triggers are reinstalled by the next migrate as they are)."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS search_index_comment_{event}")
        else:
            cursor.execute("DROP FUNCTION IF EXISTS search_index_comment() CASCADE")
        cursor.execute("DELETE FROM search_searchentry WHERE kind = 'comment'")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_index"),
        ("reviews", "0002_audit_backfill"),
    ]

    operations = [migrations.RunPython(install, drop_comment_entries)]
