"""``kintsugi insights fold|rebuild|digest``: keep the Insights facts, send the digest.

``fold`` folds in the incidents written since the last pass, every ``--interval``
seconds until stopped, or once with ``--once`` (for cron, next to ``kintsugi worker``);
``rebuild`` recomputes every incident's facts; ``digest`` queues the monthly digest of
``--month`` (default: last month) for every team, or ``--team``, by email and Slack
(``kintsugi worker`` sends it). See docs/insights.md.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.insights.months import add_months, month_of, parse_month
from kintsugi.debt.clock import get_clock
from kintsugi.insights import services
from kintsugi.insights.deliveries import enqueue_monthly_digest
from kintsugi.teams.models import Team


class Command(BaseCommand):
    help = "Fold written incidents into the Insights facts, rebuild them, or queue the digest."
    stealth_options = ("stop",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=("fold", "rebuild", "digest"))
        parser.add_argument("--once", action="store_true", help="Fold once and exit.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between folds (default 60)."
        )
        parser.add_argument("--month", default="", help="digest: YYYY-MM (default: last month).")
        parser.add_argument("--team", default="", help="digest: one team's slug (default: all).")

    def handle(
        self,
        *args: Any,
        action: str,
        once: bool,
        interval: float,
        month: str,
        team: str,
        stop: threading.Event | None = None,
        **options: Any,
    ) -> None:
        if interval <= 0:
            raise CommandError("--interval must be above 0.", returncode=2)
        if action == "rebuild":
            self.stdout.write(f"insights: {services.rebuild()}")
        elif action == "digest":
            self._digest(month, team)
        else:
            self._fold(once, interval, stop or threading.Event())

    def _fold(self, once: bool, interval: float, stop: threading.Event) -> None:
        while True:
            report = services.fold()
            if once or report.incidents:
                self.stdout.write(f"insights: {report}")
            if once or stop.wait(interval):
                break

    def _digest(self, month: str, team: str) -> None:
        # The app's clock, as the worker that sends the deliveries reads it (a queued
        # delivery is due from ``now``; the wall clock here made it late for a test clock).
        now = get_clock().now()
        try:
            first = parse_month(month) if month else add_months(month_of(now), -1)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        teams = Team.objects.order_by("name")
        if team:
            teams = teams.filter(slug=team[:100])
            if not teams.exists():
                raise CommandError(f"No team with the slug “{team[:100]}”.", returncode=2)
        queued = sum(
            enqueue_monthly_digest(
                team=t, month=first, now=now, base_url=settings.KINTSUGI_BASE_URL
            )
            for t in teams
        )
        self.stdout.write(f"insights: digest of {first:%Y-%m}: {queued} deliveries queued")
