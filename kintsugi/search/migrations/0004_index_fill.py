"""The queue of sources whose entries are written online (``search/fill.py``), and the
review comments written before ``0002_index_comments`` queued on it (only when there are
any: a new database has nothing to fill)."""

from django.db import migrations, models

QUEUE_COMMENTS = (
    "INSERT INTO search_indexfill (kind, after_id, rewrite, queued_at) "
    "SELECT 'comment', 0, false, CURRENT_TIMESTAMP "
    "WHERE EXISTS (SELECT 1 FROM reviews_comment)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_pg_path_tokens"),
        ("reviews", "0002_audit_backfill"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexFill",
            fields=[
                ("kind", models.CharField(max_length=16, primary_key=True, serialize=False)),
                ("after_id", models.BigIntegerField(default=0)),
                ("rewrite", models.BooleanField(default=False)),
                ("queued_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunSQL(QUEUE_COMMENTS, migrations.RunSQL.noop),
    ]
