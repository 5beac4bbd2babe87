"""The index the worker reads to find stale summaries (``summary_cache.fill_missing``),
built without blocking writes on PostgreSQL (a separate, non-atomic migration)."""

from django.db import migrations, models

from kintsugi.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("blameless", "0004_summary_generation")]

    operations = [
        AddIndexConcurrently(
            "summarycache",
            models.Index(fields=["generation", "incident"], name="summary_generation"),
        ),
    ]
