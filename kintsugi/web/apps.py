from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kintsugi.web"
    label = "web"
    verbose_name = "Web interface"

    def ready(self) -> None:
        # The blamelessness summary is stored rendered (issue 20): the blameless app sits
        # below the web app, so the renderer and the worker's fill step are handed down.
        from kintsugi.blameless.summary_cache import fill_missing, register_renderer
        from kintsugi.debt.services.worker import add_step
        from kintsugi.web.views.lint import render_summary, template_stamp

        register_renderer(template_stamp(), render_summary)
        add_step("summaries stored", lambda _now: fill_missing())
