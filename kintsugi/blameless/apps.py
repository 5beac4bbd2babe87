from django.apps import AppConfig


class BlamelessConfig(AppConfig):
    name = "kintsugi.blameless"
    label = "blameless"
    verbose_name = "Blameless language"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kintsugi.blameless import signals  # noqa: F401 - users changed: a new linter
        from kintsugi.blameless.publishing import publishing_gate
        from kintsugi.blameless.services import linter_for_organisation
        from kintsugi.five_whys.answer_language import use_linter
        from kintsugi.postmortems.services.policies import use_publishing_gate

        # The 5 Whys app sits below this one: its answers are linted with our linter.
        use_linter(linter_for_organisation)
        # Post-mortems sit below too: every publication passes our gate.
        use_publishing_gate(publishing_gate)
