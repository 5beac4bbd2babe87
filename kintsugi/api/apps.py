from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kintsugi.api"
    label = "api"
    verbose_name = "REST API"
