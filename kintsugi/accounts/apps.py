from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kintsugi.accounts"
    label = "accounts"
    verbose_name = "People and API tokens"
