"""Review comments join the index (``sources.SOURCES`` gained the ``comment`` source)."""

from django.db import migrations


def install_and_fill(apps, schema_editor):
    from kintsugi.search import triggers

    triggers.install(schema_editor.connection)
    triggers.rebuild(schema_editor.connection)


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

    operations = [migrations.RunPython(install_and_fill, drop_comment_entries)]
