from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "kintsugi.analysis"
    label = "analysis"
    verbose_name = "5 Whys analysis"
