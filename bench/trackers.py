"""A sync of 10,000 action items to a tracker (issue 17), on SQLite, through the loopback
GitHub of the test suite (real HTTP; the fake answers as GitHub's REST API does).

Two figures. Kintsugi's own speed: ``kintsugi tracker sync`` with the pace lifted, every
item created as an issue over HTTP (the worker's code path: claim, create, reconcile).
And the documented pace kept: with GitHub's limits as shipped (60 writes a minute, 450 an
hour), the first minute makes exactly 60 issues and the command then waits for the
window rather than stopping (stopped here with ``--max-wait 0`` after the first block),
so 10,000 items take 10,000 / 450 = 22.2 hours on GitHub (GitLab: 200 a minute, 50 min).

    python -m bench.trackers [DATA_DIR] [--items 10000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time

from bench.figures import fresh_sqlite


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trackers")
    parser.add_argument("data_dir", nargs="?", default=os.environ.get("BENCH_DIR", "bench-data"))
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    fresh_sqlite(args.data_dir, "trackers.sqlite3")
    import django

    django.setup()
    from datetime import UTC, datetime

    from django.core.management import call_command

    from kintsugi.accounts.models import User
    from kintsugi.postmortems import services
    from kintsugi.postmortems.models import ActionItem
    from kintsugi.teams.models import Membership, Team
    from kintsugi.trackers.models import JobKind, SyncJob, TicketLink
    from kintsugi.trackers.providers import github
    from kintsugi.trackers.services.connections import connection_create
    from tests.trackers.fakes import TOKEN, FakeGitHub

    os.environ["KINTSUGI_BENCH_TRACKER_TOKEN"] = TOKEN  # the fake's; read at each call
    call_command("migrate", verbosity=0, interactive=False)
    lead = User.objects.create_user("lead", email="lead@example.com", password="x" * 20)
    team = Team.objects.create(name="Platform", slug="platform")
    Membership.objects.create(team=team, user=lead, is_lead=True)
    incident = services.incident_create(
        user=lead,
        title="Bench",
        started_at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
        severity="SEV2",
        team=team,
    )

    def queue(count: int, offset: int) -> None:
        items = ActionItem.objects.bulk_create(
            ActionItem(incident=incident, title=f"Action item {offset + n}", priority="P2")
            for n in range(count)
        )
        links = TicketLink.objects.bulk_create(
            TicketLink(action_item=item, connection=connection) for item in items
        )
        SyncJob.objects.bulk_create(
            SyncJob(
                link=link,
                kind=JobKind.CREATE,
                idempotency_key=f"create:{connection.pk}:{link.action_item_id}",
            )
            for link in links
        )

    def run(*options: str) -> tuple[dict[str, object], float]:
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        call_command("tracker", "sync", *options, stdout=out, stderr=err)
        return json.loads(out.getvalue()), time.perf_counter() - started

    with FakeGitHub() as fake:
        connection = connection_create(
            user=None,
            team=team,
            kind="github",
            name="bench",
            project="acme/ops",
            token_env="KINTSUGI_BENCH_TRACKER_TOKEN",
            base_url=fake.url,
            web_url=fake.web,
        )
        # The documented pace, as shipped: one minute's block, then it would wait.
        queue(200, 0)
        paced, paced_seconds = run("--max-wait", "0")
        made_in_first_minute = len(fake.issues)
        SyncJob.objects.all().delete()
        TicketLink.objects.all().delete()
        ActionItem.objects.all().delete()
        # Kintsugi's own speed, the pace lifted.
        github.GitHub.writes_per_minute = github.GitHub.writes_per_hour = 10**9
        queue(args.items, 1000)
        before = len(fake.issues)
        result, seconds = run("--batch", "500")
        made = len(fake.issues) - before
    figures = {
        "items": args.items,
        "issues_created": made,
        "failed": result["failed"],
        "seconds": round(seconds, 1),
        "items_per_second": round(made / seconds, 1),
        "github_pace_first_block": made_in_first_minute,
        "github_pace_stopped": paced.get("stopped", ""),
        "github_pace_seconds": round(paced_seconds, 1),
        "hours_at_github_pace": round(args.items / 450, 1),
        "minutes_at_gitlab_pace": round(args.items / 200, 1),
    }
    print(json.dumps(figures, indent=2))
    return 0 if made == args.items and made_in_first_minute == 60 else 1


if __name__ == "__main__":
    sys.exit(main())
