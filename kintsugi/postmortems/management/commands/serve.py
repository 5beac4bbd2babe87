"""``kintsugi serve``: the production-grade HTTP server (gunicorn), static files by WhiteNoise."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Kintsugi over HTTP with gunicorn (collects static files first in production)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        if not 0 < port < 65536:
            raise CommandError(f"Port {port} is out of range.", returncode=2)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.", returncode=2)
        if settings.IS_PRODUCTION:
            try:
                call_command("collectstatic", interactive=False, verbosity=0)
            except OSError as error:
                # The settings and the database were checked before (kintsugi/cli.py); a
                # STATIC_ROOT it may not write is the one start-up problem left to catch.
                raise CommandError(
                    f"STATIC_ROOT={str(settings.STATIC_ROOT)!r} cannot be written "
                    f"({error.strerror}); point it at a folder Kintsugi may write to.",
                    returncode=2,
                ) from None
        from gunicorn.app.base import BaseApplication

        from kintsugi.wsgi import application

        class _App(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("accesslog", "-")
                self.cfg.set("worker_class", "gthread")
                # gunicorn's longest request line (its default is 4094): a URL up to the
                # API's own limit reaches Django and gets the API's JSON 414 (docs/api.md).
                self.cfg.set("limit_request_line", 8190)
                if settings.KINTSUGI_PDF_WARM_UP:
                    self.cfg.set("post_fork", _warm_up_pdf)

            def load(self):
                return application

        self.stdout.write(f"Kintsugi is serving on http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        _App().run()


def _warm_up_pdf(server: object, worker: object) -> None:
    """gunicorn's post_fork hook: start the worker's PDF renderer in the background, so
    that the first export does not wait for it (kintsugi.core.markdown.pdf_process)."""
    import threading

    from kintsugi.core.markdown.pdf_process import warm_up

    threading.Thread(target=warm_up, name="kintsugi-pdf-warm-up", daemon=True).start()
