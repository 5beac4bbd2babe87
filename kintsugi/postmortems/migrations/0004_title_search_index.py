"""On PostgreSQL, a trigram index for the title search (``title__icontains``).

The lists' search is ``UPPER(title) LIKE UPPER('%words%')``: without an index, every
search reads every incident twice (the count and the page), about 6 ms each at 20,000
incidents and growing with them. pg_trgm is a trusted extension (PostgreSQL 13 and later):
the database's owner may install it. Where it cannot be installed, the search still works,
unindexed, and the migration says so rather than failing the upgrade (docs/deployment.md).
SQLite cannot index a search for words inside titles; nothing is done there.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "incident_title_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON postmortems_incident "
                "USING gin (UPPER(title::text) gin_trgm_ops)"
            )
    except DatabaseError as problem:
        sys.stderr.write(
            f"\n  Title search stays unindexed: pg_trgm could not be installed ({problem}).\n"
            "  As the database owner or a superuser: CREATE EXTENSION pg_trgm; then run\n"
            "  `kintsugi migrate postmortems 0003` and `kintsugi migrate` again.\n"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0003_restricted_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
