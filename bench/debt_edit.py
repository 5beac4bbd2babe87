"""The debt pages right after an edit (issue 15: the dashboard's p95 under 50 ms), in wall
time and in CPU time, run by ``bench.run`` after its pages, or alone on the data it
generated::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kintsugi_bench \\
        .venv/bin/python -m bench.debt_edit --label postgres

Before each timed request an open item of ``team-3`` moves its target date by a day
(back and forth) through raw SQL, which the tally's triggers log like any other write, so
every visit corrects the stored rows for one written incident (docs/debt.md, "The
dashboard's tally"). CPU time is ``figures.CpuClock``'s: this process, plus the
PostgreSQL server process when it runs on this machine; on a machine shared with other
work it is the steadier figure.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import timedelta

from django.test import Client

from bench.figures import CpuClock, median_p95, print_load


def edit_one_item(team: str) -> Callable[[], None]:
    """A real edit (an open item's target date moves by a day, back and forth) through
    raw SQL, which the tally's triggers see like any other write."""
    from kintsugi.postmortems.models import ActionItem

    item = (
        ActionItem.objects.filter(incident__team__slug=team, status="open")
        .exclude(due_on=None)
        .order_by("pk")
        .first()
    )
    assert item is not None and item.due_on is not None
    dates = [item.due_on, item.due_on + timedelta(days=1)]

    def edit() -> None:
        dates.reverse()
        ActionItem.objects.filter(pk=item.pk).update(due_on=dates[0])

    return edit


def time_page(
    client: Client, url: str, n: int, cpu: CpuClock, before: Callable[[], None]
) -> tuple[float, float, float, float]:
    """Wall median and p95, then CPU median and p95, in milliseconds; ``before`` runs
    outside the timed part of each request."""
    for _ in range(3):
        before()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    wall, used = [], []
    for _ in range(n):
        before()
        cpu.check()
        begin, begin_cpu = time.perf_counter(), cpu()
        client.get(url)
        wall.append((time.perf_counter() - begin) * 1000)
        used.append((cpu() - begin_cpu) * 1000)
    return (*median_p95(wall), *median_p95(used))


def time_after_edit(label: str, member: Client, n: int) -> None:
    """The lines of ``bench.run`` for the pages right after an edit, with CPU columns."""
    from django.db import connection

    edited = edit_one_item("team-3")
    cpu = CpuClock(connection)
    print_load(label, cpu)
    print(
        f"[{label}] {'debt page (as a team member)':45} {'median ms':>10} {'p95 ms':>10}"
        f"  {'CPU median':>10} {'CPU p95':>10}"
    )
    lines = [
        ("debt dashboard, right after an edit in a team", "/debt/", edited),
        ("debt dashboard, that team, right after an edit", "/debt/?team=team-3", edited),
        ("weekly review, everyone, right after an edit", "/debt/weekly-review/", edited),
        ("debt dashboard, no edit since the worker's pass", "/debt/", lambda: None),
    ]
    for name, url, before in lines:
        if before is not edited:
            _worker_pass()
        median, p95, cpu_median, cpu_p95 = time_page(member, url, n, cpu, before)
        print(
            f"[{label}] {name:45} {median:10.1f} {p95:10.1f}  {cpu_median:10.1f} {cpu_p95:10.1f}",
            flush=True,
        )


def _worker_pass() -> None:
    """What the worker does every 30 s: fold what was written into the tally (and on a
    new UTC day, or the first time, recount every team)."""
    from kintsugi.core.debt.clock import SystemClock, utc_today
    from kintsugi.debt.selectors.policy import policy_book
    from kintsugi.debt.tally.compute import refresh_all

    clock = SystemClock()
    refresh_all(today=utc_today(clock), book=policy_book(), now=clock.now())


def main() -> None:
    """Time the pages right after an edit on a database ``bench.run`` generated."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")

    django.setup()
    from django.test.utils import setup_test_environment

    from bench.generate import ADMIN, MEMBER
    from kintsugi.accounts.models import User

    parser = argparse.ArgumentParser(prog="python -m bench.debt_edit")
    parser.add_argument("--label", default="db")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    if not User.objects.filter(username=ADMIN).exists():
        raise SystemExit("No bench data here: run `make bench` (bench.run) first.")
    _worker_pass()  # the tally counted today, as the worker keeps it
    setup_test_environment()
    member = Client()
    member.force_login(User.objects.get(username=MEMBER))
    time_after_edit(args.label, member, args.requests)


if __name__ == "__main__":
    main()
