from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "kintsugi.administration"
    label = "administration"
    verbose_name = "Administration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """An open invitation admits its address through single sign-on (issue 19)."""
        from kintsugi.administration.services.users import sso_admission
        from kintsugi.sso.services import register_admission

        register_admission(sso_admission)
