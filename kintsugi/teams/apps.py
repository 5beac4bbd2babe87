from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "kintsugi.teams"
    label = "teams"
    verbose_name = "Teams and services"

    def ready(self) -> None:
        from kintsugi.teams import signals  # noqa: F401 - connects the receivers
