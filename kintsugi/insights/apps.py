from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_fact_triggers(sender, *, using, **kwargs):  # type: ignore[no-untyped-def]
    """After every migrate: SQLite drops a table's triggers when Django rebuilds it."""
    from django.db import connections

    from kintsugi.insights import triggers

    connection = connections[using]
    present = set(connection.introspection.table_names())
    if set(triggers.TABLES) | {triggers.LOG} <= present:
        triggers.install(connection)


class InsightsConfig(AppConfig):
    name = "kintsugi.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_install_fact_triggers, sender=self)
        # `kintsugi worker` folds written incidents into the facts on every pass.
        from kintsugi.debt.services.worker import add_step

        add_step("insights", _fold)
        # ... and queues last month's digest on the first pass of a month.
        add_step("insights digest", _digest)


def _fold(now: object) -> object:
    from kintsugi.insights import services

    return services.fold()


def _digest(now: object) -> object:
    from datetime import datetime

    from django.conf import settings

    from kintsugi.insights.deliveries import queue_last_months_digest

    assert isinstance(now, datetime)
    queued = queue_last_months_digest(now=now, base_url=settings.KINTSUGI_BASE_URL)
    return f"{queued} digest deliveries queued"
