"""``kintsugi worker``: reminders, scheduled weekly reviews and deliveries, without a broker.

Runs a pass (see ``kintsugi.debt.services.worker``) every ``--interval`` seconds until
SIGTERM or SIGINT; the current delivery is finished first and the exit status is 0.
``--once`` runs a single pass, for cron. Several workers may run at once: every piece of
work is claimed in the database.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from kintsugi.core.debt.clock import Clock, SystemClock
from kintsugi.debt.services.worker import run_pass


class Command(BaseCommand):
    # Tests hand in a ManualClock (and a stop event) through call_command.
    stealth_options = ("clock", "stop")
    help = "Send due reminders, scheduled weekly reviews and pending deliveries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (default 30)."
        )
        parser.add_argument(
            "--batch", type=int, default=100, help="Deliveries sent per pass at most."
        )

    def handle(
        self,
        *args: Any,
        once: bool,
        interval: float,
        batch: int,
        clock: Clock | None = None,
        stop: threading.Event | None = None,
        **options: Any,
    ) -> None:
        if interval <= 0 or batch < 1:
            raise CommandError("--interval must be above 0 and --batch at least 1.", returncode=2)
        clock = clock or SystemClock()
        stop = stop or threading.Event()
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGTERM, signal.SIGINT):
                signal.signal(number, lambda *_: stop.set())
        verbose = options.get("verbosity", 1) >= 1
        if verbose and not once:
            # Printed once the signal handlers are in place: a supervisor (or a test) may
            # send SIGTERM from here on and the worker will finish its pass and exit 0.
            self.stdout.write("worker: started")
            self.stdout.flush()
        while True:
            _refresh_connections()
            report = run_pass(clock=clock, should_stop=stop.is_set, batch=batch)
            if verbose and (
                once or report.reviews or report.reminders or report.sent or report.failed
            ):
                self.stdout.write(f"worker: {report}")
            if once or stop.wait(interval):
                break
        _refresh_connections()
        if verbose and not once:
            self.stdout.write("worker: stopped")


def _refresh_connections() -> None:
    """Drop stale connections between passes (a database restart must not kill the loop).

    Skipped inside a transaction, where the caller (a test, a wrapping command) owns it.
    """
    if not connection.in_atomic_block:
        close_old_connections()
