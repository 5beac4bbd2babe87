from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "kintsugi.teams"
    label = "teams"
    verbose_name = "Teams and services"
