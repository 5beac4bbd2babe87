from django.apps import AppConfig


class BlamelessConfig(AppConfig):
    name = "kintsugi.blameless"
    label = "blameless"
    verbose_name = "Blameless language"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Users are people the checker must know: a change to them invalidates the linter.
        from kintsugi.blameless import signals  # noqa: F401
