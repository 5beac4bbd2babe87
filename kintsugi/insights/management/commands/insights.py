"""``kintsugi insights fold|rebuild``: keep the Insights facts (docs/insights.md).

``fold`` folds in the incidents written since the last pass, every ``--interval``
seconds until stopped, or once with ``--once`` (for cron, next to ``kintsugi worker``);
``rebuild`` recomputes every incident's facts.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kintsugi.insights import services


class Command(BaseCommand):
    help = "Fold written incidents into the Insights facts, or rebuild them all."
    stealth_options = ("stop",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=("fold", "rebuild"))
        parser.add_argument("--once", action="store_true", help="Fold once and exit.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between folds (default 60)."
        )

    def handle(
        self,
        *args: Any,
        action: str,
        once: bool,
        interval: float,
        stop: threading.Event | None = None,
        **options: Any,
    ) -> None:
        if interval <= 0:
            raise CommandError("--interval must be above 0.", returncode=2)
        if action == "rebuild":
            self.stdout.write(f"insights: {services.rebuild()}")
            return
        stop = stop or threading.Event()
        while True:
            report = services.fold()
            if once or report.incidents:
                self.stdout.write(f"insights: {report}")
            if once or stop.wait(interval):
                break
