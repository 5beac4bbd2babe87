from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kintsugi.accounts"
    label = "accounts"
    verbose_name = "People and API tokens"

    def ready(self) -> None:
        from kintsugi.accounts import signals  # noqa: F401 - connects the receivers
