from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "kintsugi.capture"
    label = "capture"
    verbose_name = "Capture (webhook sources)"
    default_auto_field = "django.db.models.BigAutoField"
