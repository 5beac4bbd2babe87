from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "kintsugi.capture"
    label = "capture"
    verbose_name = "Capture (webhook sources)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `kintsugi worker` prunes raw deliveries past KINTSUGI_CAPTURE_KEEP_DAYS.
        from kintsugi.debt.services.worker import add_step

        add_step("capture retention", _prune)


def _prune(now: object) -> object:
    from datetime import datetime

    from kintsugi.capture.services.retention import deliveries_prune

    assert isinstance(now, datetime)
    return f"{deliveries_prune(now=now)} old deliveries pruned"
