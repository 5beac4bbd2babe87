from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Kintsugi: backups, health, metrics and request logging (docs/operations.md)."""

    name = "kintsugi.operations"
    label = "operations"
    verbose_name = "Operations"
