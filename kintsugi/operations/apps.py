from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Kintsugi: backups, health, metrics and request logging (docs/operations.md)."""

    name = "kintsugi.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        # `kintsugi worker` records a heartbeat after every pass; debt may not import the
        # apps above it, so the step is handed down here (docs/architecture.md).
        from kintsugi.debt.services.worker import add_step
        from kintsugi.operations.heartbeat import beat

        add_step("heartbeat", beat)
