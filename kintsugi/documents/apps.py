from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """No models: the ``demo``, ``export`` and ``import`` commands and their use cases."""

    name = "kintsugi.documents"
    label = "documents"
    verbose_name = "Whole post-mortem documents"
