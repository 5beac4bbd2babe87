from django.apps import AppConfig


class DebtConfig(AppConfig):
    name = "kintsugi.debt"
    label = "debt"
    verbose_name = "Post-mortem debt"
    default_auto_field = "django.db.models.BigAutoField"
