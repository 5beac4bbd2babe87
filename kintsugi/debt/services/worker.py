"""One pass of the background work: scheduled reviews, reminders, due deliveries, and
the dashboard's tally of every team changed since the last pass (pages never count it:
they read it, corrected for what was written since, or the live aggregate until today's
first pass).

``kintsugi worker`` repeats it; ``kintsugi worker --once`` (cron, tests) runs it once.
Every step claims its work in the database, so passes may overlap across processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from kintsugi.core.debt.clock import Clock, utc_today
from kintsugi.debt.delivery import Transport
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.services.deliveries import deliver_due
from kintsugi.debt.services.reminders import enqueue_due_reminders
from kintsugi.debt.services.weekly_review import schedule_weekly_reviews
from kintsugi.debt.tally.compute import refresh_all

# A step of an app above debt (Insights folds its facts): the app hands it over in its
# AppConfig.ready(), because debt may not import the apps above it (docs/architecture.md).
Step = Callable[[datetime], object]
_STEPS: dict[str, Step] = {}


def add_step(name: str, step: Step) -> None:
    """Run ``step(now)`` at the end of every pass; what it returns is reported by name."""
    _STEPS[name] = step


@dataclass
class PassReport:
    reviews: int = 0
    reminders: int = 0
    sent: int = 0
    failed: int = 0
    tallies: int = 0
    steps: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        done = "".join(f", {name}: {outcome}" for name, outcome in self.steps.items())
        return (
            f"{self.reviews} review(s) due, {self.reminders} reminder delivery(ies) queued, "
            f"{self.sent} sent, {self.failed} failed (will retry), "
            f"{self.tallies} team tally(ies) recomputed{done}"
        )


def run_pass(
    *,
    clock: Clock,
    transports: Mapping[str, Transport] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch: int = 100,
) -> PassReport:
    base_url = settings.KINTSUGI_BASE_URL
    report = PassReport()
    now = clock.now()
    report.reviews = schedule_weekly_reviews(now=now, today=utc_today(clock), base_url=base_url)
    if should_stop():
        return report
    report.reminders = enqueue_due_reminders(today=utc_today(clock), now=now, base_url=base_url)
    if should_stop():
        return report
    delivered = deliver_due(
        now=clock.now, limit=batch, transports=transports, should_stop=should_stop
    )
    report.sent, report.failed = delivered.sent, delivered.failed
    if should_stop():
        return report
    report.tallies = len(refresh_all(today=utc_today(clock), book=policy_book(), now=clock.now()))
    for name, step in _STEPS.items():
        if should_stop():
            break
        report.steps[name] = str(step(clock.now()))
    return report
