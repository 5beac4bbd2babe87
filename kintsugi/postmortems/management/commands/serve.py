"""``kintsugi serve``: the production-grade HTTP server (gunicorn), static files by WhiteNoise."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Kintsugi over HTTP with gunicorn (static files collected at install time)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--keepalive",
            type=int,
            default=75,
            help="Seconds an idle keep-alive connection stays open (default 75).",
        )

    def handle(self, *args, host, port, workers, threads, keepalive, **options):
        if not 0 < port < 65536:
            raise CommandError(f"Port {port} is out of range.", returncode=2)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.", returncode=2)
        if not 1 <= keepalive <= 3600:
            raise CommandError("--keepalive must be 1 to 3600 seconds.", returncode=2)
        if settings.IS_PRODUCTION:
            _require_collected_static()
        from gunicorn.app.base import BaseApplication

        from kintsugi.wsgi import application

        class _App(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                # gunicorn closes an idle connection after 2 s by default; a client or proxy
                # that pauses longer then sends its next request (a save, perhaps) onto a
                # connection being closed and gets a reset (issue 20: 0.7% of requests under
                # load). Idle connections wait in the poller, not in a thread, so a long
                # keep-alive is cheap; it should outlast the proxy's own idle timeout
                # (60 s for nginx upstreams and AWS load balancers by default).
                self.cfg.set("keepalive", keepalive)
                # With JSON logs every request is one JSON line from Kintsugi itself.
                if settings.KINTSUGI_LOG_FORMAT != "json":
                    self.cfg.set("accesslog", "-")
                self.cfg.set("worker_class", "gthread")
                # gunicorn's longest request line (its default is 4094): a URL up to the
                # API's own limit reaches Django and gets the API's JSON 414 (docs/api.md).
                self.cfg.set("limit_request_line", 8190)
                self.cfg.set("child_exit", _forget_metrics_of)
                if settings.KINTSUGI_PDF_WARM_UP:
                    self.cfg.set("post_fork", _warm_up_pdf)

            def load(self):
                return application

        self.stdout.write(f"Kintsugi is serving on http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        _App().run()


MANIFEST = "staticfiles.json"  # what WhiteNoise's manifest storage writes in STATIC_ROOT
COLLECT = "kintsugi collectstatic --noinput"


def _require_collected_static() -> None:
    """Refuse to start without static files collected by this release: say what to run.

    Collecting and compressing them (27 MB) took 100-135 s, which ``serve`` once did at
    every start (issue 20); it is an install or upgrade step now (docs/deployment.md).
    A manifest older than a source file or missing one of its names is from an earlier
    release: pages would then name files that are not there, so that is refused too.
    """
    from django.apps import apps
    from django.contrib.staticfiles import finders

    ignore = apps.get_app_config("staticfiles").ignore_patterns  # as collectstatic skips
    root = Path(settings.STATIC_ROOT)
    manifest = root / MANIFEST
    try:
        collected_at = manifest.stat().st_mtime
        names = set(json.loads(manifest.read_text(encoding="utf-8")).get("paths", {}))
    except (OSError, ValueError, AttributeError):
        raise CommandError(
            f"Static files are not collected in STATIC_ROOT={str(root)!r}: run "
            f"`{COLLECT}` once after each install or upgrade, then start again.",
            returncode=2,
        ) from None
    for finder in finders.get_finders():
        for name, storage in finder.list(ignore):
            source = Path(storage.path(name))
            if name not in names or source.stat().st_mtime > collected_at:
                raise CommandError(
                    f"The static files in STATIC_ROOT={str(root)!r} are from an earlier "
                    f"release ({name} is new or changed): run `{COLLECT}`, then start again.",
                    returncode=2,
                )


def _warm_up_pdf(server: object, worker: object) -> None:
    """gunicorn's post_fork hook: start the worker's PDF renderer in the background, so
    that the first export does not wait for it (kintsugi.core.markdown.pdf_process)."""
    import threading

    from kintsugi.core.markdown.pdf_process import warm_up

    threading.Thread(target=warm_up, name="kintsugi-pdf-warm-up", daemon=True).start()


def _forget_metrics_of(server: object, worker: object) -> None:
    """gunicorn's child_exit hook: a replaced worker's live gauges must not linger in the
    shared metrics folder (its counters and histograms stay counted)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
