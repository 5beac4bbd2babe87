"""Benchmark: the blamelessness summary fragment, rendered against sent as stored (issue 20).

Usage::

    python -m bench.summary_fragment [--events 500] [--flagged 100] [--runs 15]

On a fresh SQLite file: one post-mortem with ``--events`` timeline events of which
``--flagged`` are blameful, then ``GET /incidents/<id>/lint/`` as its team member, timed in
three states: nothing stored (lint and render, nothing written), findings stored without
the fragment (what every load cost before the fragment was stored: render only), and the
fragment stored (read and send). Prints median and p95 in ms, wall and CPU (on a shared
machine the wall clock also measures the neighbours). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

from bench.figures import fresh_sqlite, median_p95


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.summary_fragment")
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--flagged", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data-dir", default="bench-data")
    args = parser.parse_args()
    fresh_sqlite(args.data_dir, "summary_fragment.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from kintsugi.accounts.models import User
    from kintsugi.blameless.models import SummaryCache
    from kintsugi.blameless.summary_cache import summary_store
    from kintsugi.postmortems.models import Incident, TimelineEvent
    from kintsugi.teams.models import Membership, Team

    call_command("migrate", verbosity=0, interactive=False)
    setup_test_environment()
    user = User.objects.create_user("bench-reader", password="x")
    team = Team.objects.create(name="SRE", slug="sre")
    Membership.objects.create(user=user, team=team)
    t0 = datetime(2026, 3, 1, 14, tzinfo=UTC)
    incident = Incident.objects.create(title="Checkout outage", team=team, started_at=t0)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            incident=incident,
            occurred_at=t0 + timedelta(minutes=n),
            text=(
                f"Step {n}: the on-call engineer carelessly restarted the pool."
                if n < args.flagged
                else f"Step {n}: the pool was resized to 40 connections."
            ),
        )
        for n in range(args.events)
    )
    client = Client()
    client.force_login(user)
    url = reverse("incident-lint", args=[incident.pk])

    def timed(prepare) -> tuple[tuple[float, float], tuple[float, float]]:
        wall, cpu = [], []
        for _ in range(args.runs):
            prepare()
            w, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - w) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert response.status_code == 200
        return median_p95(wall), median_p95(cpu)

    client.get(url)  # warm the linter and templates
    rows = SummaryCache.objects.filter(incident=incident)
    states = {
        "nothing stored (lint + render)": lambda: rows.delete(),
        "findings stored, fragment not (render)": lambda: (
            summary_store(incident),
            rows.update(fragment=""),
        ),
        "fragment stored (read and send)": lambda: summary_store(incident),
    }
    print(f"{args.events} events, {args.flagged} flagged, {args.runs} runs, ms median / p95")
    for label, prepare in states.items():
        (wm, wp), (cm, cp) = timed(prepare)
        print(f"  {label:42} wall {wm:7.1f} / {wp:7.1f}   cpu {cm:7.1f} / {cp:7.1f}")


if __name__ == "__main__":
    main()
