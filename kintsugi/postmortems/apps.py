from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _refresh_planner_statistics(sender, *, using, plan=None, **kwargs):  # type: ignore[no-untyped-def]
    """SQLite rebuilds a table to alter it and loses its planner statistics; without them
    it picks the status index over the per-incident one and a 5 ms query takes 500 ms on
    200,000 action items. ANALYZE after a migration that changed something puts them back.
    PostgreSQL's autovacuum keeps its own statistics."""
    from django.db import connections

    connection = connections[using]
    if plan and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _fast_timestamps(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    """On PostgreSQL connections only: the loader extends the PostgreSQL driver's, which a
    SQLite installation need not load."""
    if connection.vendor == "postgresql":
        from kintsugi.django_internals import use_fast_timestamps

        use_fast_timestamps(sender, connection, **kwargs)


class PostmortemsConfig(AppConfig):
    name = "kintsugi.postmortems"
    label = "postmortems"
    verbose_name = "Post-mortems"

    def ready(self) -> None:
        post_migrate.connect(_refresh_planner_statistics, sender=self)
        connection_created.connect(_fast_timestamps, dispatch_uid="kintsugi-fast-timestamps")
