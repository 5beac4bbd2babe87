from django.apps import AppConfig


class TrackersConfig(AppConfig):
    name = "kintsugi.trackers"
    label = "trackers"
    verbose_name = "Trackers (Jira, GitHub, GitLab)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `kintsugi worker` drains the sync outbox on every pass; debt may not import the
        # apps above it, so the step is handed down here (docs/architecture.md).
        from kintsugi.debt.services.worker import add_step

        add_step("trackers", _drain)


def _drain(now: object) -> object:
    from kintsugi.trackers.services import sync

    return sync.jobs_run_due()
