from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_tally_triggers(sender, *, using, **kwargs):  # type: ignore[no-untyped-def]
    """After every migrate: SQLite drops a table's triggers, and the indexes Django does
    not know, when Django rebuilds the table."""
    from django.db import connections

    from kintsugi.debt import action_indexes
    from kintsugi.debt.tally import triggers

    connection = connections[using]
    present = set(connection.introspection.table_names())
    needed = {triggers.LOG, triggers.ACTION, triggers.INCIDENT, triggers.SERVICES}
    if needed <= present:
        triggers.install(connection)
        action_indexes.install(connection)


class DebtConfig(AppConfig):
    name = "kintsugi.debt"
    label = "debt"
    verbose_name = "Post-mortem debt"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kintsugi.debt.selectors.policy import policy_for_team
        from kintsugi.postmortems.services.policies import use_due_policy

        post_migrate.connect(_install_tally_triggers, sender=self)
        # Action items are dated by the policy this app stores (postmortems sits below).
        use_due_policy(policy_for_team)
