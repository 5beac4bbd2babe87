from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "kintsugi.history"
    label = "history"
    verbose_name = "History of post-mortems"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Post-mortems sit below this app: every write there tells the recorder handed
        # down here, which keeps a version once the write commits (recorder.py).
        from kintsugi.history.services.recorder import note_change
        from kintsugi.postmortems.services.policies import use_change_log

        use_change_log(note_change)
