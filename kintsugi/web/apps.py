from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kintsugi.web"
    label = "web"
    verbose_name = "Web interface"
