from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_index_triggers(sender, *, using, **kwargs):  # type: ignore[no-untyped-def]
    """After every migrate: SQLite drops a table's triggers when Django rebuilds the table
    to alter it, so the index's triggers are put back (each statement is idempotent)."""
    from django.db import connections

    from kintsugi.search import triggers

    connection = connections[using]
    if triggers.ready_to_install(connection):
        triggers.install(connection)


class SearchConfig(AppConfig):
    name = "kintsugi.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_install_index_triggers, sender=self)
        # `kintsugi worker` writes the entries a migration queued, a bounded batch a pass.
        from kintsugi.debt.services.worker import add_step

        add_step("search index filled", _fill)


def _fill(now: object) -> object:
    from kintsugi.search.fill import fill_pending

    return fill_pending()
