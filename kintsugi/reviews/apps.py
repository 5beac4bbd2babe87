from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kintsugi.reviews"
    label = "reviews"
    verbose_name = "Reviews, comments and audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Post-mortems sit below this app: their services report publish, restrict, access
        # and delete through the recorder handed down here (postmortems/services/policies.py).
        from kintsugi.postmortems.services.policies import use_audit_log
        from kintsugi.reviews.services.audit import audit_record

        use_audit_log(audit_record)
