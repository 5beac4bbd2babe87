"""Generate (once) and time the pages and API endpoints on the database in DATABASE_URL.

Pages and API calls are timed as ``bench-member``, an ordinary editor in the team of the
500-event post-mortem (which is restricted), because that is what most people see and
what reads the access rules; a few lines time the same page as the admin for comparison.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.debt_edit import edit_one_item, time_after_edit  # noqa: E402
from bench.debt_sql import time_raw_aggregate  # noqa: E402
from bench.figures import median_p95  # noqa: E402
from bench.generate import ADMIN, MEMBER, big_incident, generate, today  # noqa: E402
from kintsugi.accounts.models import ApiToken, User  # noqa: E402
from kintsugi.postmortems.models import ActionItem, Incident, TimelineEvent  # noqa: E402


def _ensure_database() -> None:
    if connection.vendor != "postgresql":
        return
    import psycopg

    settings = connection.settings_dict
    name = settings["NAME"]
    admin = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _time(
    client: Client, url: str, n: int, before: Callable[[], None] = lambda: None, **headers: str
) -> tuple[float, float, int]:
    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    samples = []
    for _ in range(n):
        before()
        begin = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - begin) * 1000)
    return (*median_p95(samples), len(response.content))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="db")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    _ensure_database()
    connection.close()
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        # Fresh planner statistics, whatever ran before; on PostgreSQL also the visibility
        # map, without which counting from an index still reads the table (autovacuum
        # does this in production, but may be off or behind after a bulk load).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    expected = max(10, int(20_000 * args.scale))
    generated = User.objects.filter(username=ADMIN).exists()
    if generated and (
        Incident.objects.count() != expected or not User.objects.filter(username=MEMBER).exists()
    ):
        print(f"[{args.label}] data of another scale or version found; regenerating", flush=True)
        call_command("flush", verbosity=0, interactive=False)
        generated = False
    if not generated:
        print(f"[{args.label}] generating data (scale {args.scale}) ...", flush=True)
        generate(args.scale)
    big = big_incident()
    # As a server process does once the app is loaded: importing kintsugi.wsgi freezes
    # the objects made so far (settle_startup_objects).
    import kintsugi.wsgi  # noqa: F401

    setup_test_environment()
    admin_user = User.objects.get(username=ADMIN)
    admin = Client()
    admin.force_login(admin_user)
    user = User.objects.get(username=MEMBER)  # what an ordinary member sees (run.py's doc)
    client = Client()
    client.force_login(user)
    ApiToken.objects.filter(user=user, name="bench").delete()
    _, raw = ApiToken.issue(user=user, name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    counts = {
        "incidents": Incident.objects.count(),
        "action items": ActionItem.objects.count(),
        "timeline events": TimelineEvent.objects.count(),
    }
    events_big = TimelineEvent.objects.filter(incident_id=big).count()
    print(
        f"[{args.label}] {', '.join(f'{v:,} {k}' for k, v in counts.items())}; "
        f"detail page incident has {events_big} events",
        flush=True,
    )
    # The worker keeps the debt tally beside the server (docs/debt.md): its first pass of
    # the day counts every team, before any page is timed.
    call_command("debt_tally", rebuild=True, stdout=io.StringIO())
    hx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        # (label, url, headers, target p95 in ms: 50 for issue 2, 100 for the debt pages)
        ("list page", "/", {}, 50),
        ("list page, filtered + search", "/?severity=SEV2&status=published&q=cache", {}, 50),
        ("list page, page 200", "/?page=200", {}, 50),
        (f"post-mortem page ({events_big} events)", f"/incidents/{big}/", {}, 50),
        # Loaded into the page's debt box once it is shown (hx-trigger="load").
        ("post-mortem recurrence (after the page)", f"/debt/incidents/{big}/recurrence/", hx, 50),
        ("API incidents list", "/api/v1/incidents", auth, 50),
        ("API incidents list, filtered", "/api/v1/incidents?severity=SEV1&limit=50", auth, 50),
        ("API timeline events", f"/api/v1/incidents/{big}/timeline-events?limit=200", auth, 50),
        ("API action items", f"/api/v1/incidents/{big}/action-items", auth, 50),
        ("API teams", "/api/v1/teams", auth, 50),
        ("API services", "/api/v1/services", auth, 50),
        ("debt dashboard", "/debt/", {}, 100),
        ("debt dashboard, one team", "/debt/?team=team-3", {}, 100),
        ("weekly review, one team", "/debt/weekly-review/?team=team-3", {}, 100),
        ("weekly review, everyone", "/debt/weekly-review/", {}, 100),
    ]
    # The same pages as the admin, for comparison (an admin's queries skip access rules).
    pages += [
        (f"{label}, as the admin", url, {**headers, "admin": "1"}, target)
        for label, url, headers, target in pages
        if label.startswith(("list page", "post-mortem page", "debt dashboard"))
        and "page 200" not in label
    ]
    print(
        f"[{args.label}] {'page (as a team member unless said)':45} {'median ms':>10} "
        f"{'p95 ms':>10}  target p95 < 50 ms (debt pages < 100 ms, issue 5)"
    )
    for label, url, headers, target in pages:
        reader = admin if headers.pop("admin", None) else client
        try:
            median, p95, _size = _time(reader, url, args.requests, **headers)
        except AssertionError as error:
            print(f"[{args.label}] {label:45} failed: {error}")
            continue
        flag = "ok" if p95 < target else "SLOW"
        print(f"[{args.label}] {label:45} {median:10.1f} {p95:10.1f}  {flag}", flush=True)
    # The dashboard reads a tally kept per team (docs/debt.md): time a visit right after an
    # edit too, when the edited team is recomputed first, and a full recompute (the first
    # visit of a day if the worker has not run).
    # An editor sees every unrestricted incident and only the restricted ones they are
    # involved in: the dashboard adds those incidents' rows one by one. ``user1`` is in
    # no team, unlike the member the pages above were timed as.
    editor = Client()
    editor.force_login(User.objects.get(username="user1"))
    median, p95, _size = _time(editor, "/debt/", args.requests)
    label = "debt dashboard, as an editor in no team"
    print(f"[{args.label}] {label:45} {median:10.1f} {p95:10.1f}", flush=True)
    # Right after an edit, in wall and CPU time (bench/debt_edit.py, which runs alone too).
    time_after_edit(args.label, client, args.requests)
    edited = edit_one_item("team-3")
    # What the pages no longer pay, the worker does: its pass after one edit.
    median, p95 = _time_worker_pass(edited, max(5, args.requests // 4))
    label = "worker pass folding one edit in (the tally)"
    print(f"[{args.label}] {label:45} {median:10.1f} {p95:10.1f}", flush=True)
    begin = time.perf_counter()
    call_command("debt_tally", rebuild=True, stdout=io.StringIO())
    seconds = time.perf_counter() - begin
    print(f"[{args.label}] {'debt tally, every team recomputed':45} {seconds * 1000:10.1f}")
    # Writes pay for the tally's triggers and the debt indexes: time a save as the web
    # and the API do it (services, optimistic concurrency, policy recomputed).
    median, p95 = _time_saves(user, big, args.requests)
    print(f"[{args.label}] {'action item saved (service)':45} {median:10.1f} {p95:10.1f}")
    # The debt pages are judged against the raw SQL of their main aggregate (issue 5).
    median, p95 = time_raw_aggregate(today(), args.requests)
    print(f"[{args.label}] {'raw SQL aggregate (debt, by team)':45} {median:10.1f} {p95:10.1f}")
    __import__("bench.insights").insights.time_insights(
        args.label, admin, editor, auth, args.requests
    )
    __import__("bench.search").search.time_search(args.label, client, admin, auth, args.requests)
    __import__("bench.history").history.time_history(args.label, client, auth, args.requests)


def _time_saves(user: User, incident: int, n: int) -> tuple[float, float]:
    """Median and p95 ms of ``action_item_update`` changing an item's priority (P2/P3),
    which also recomputes the policy's date and fires the tally's triggers."""
    from kintsugi.postmortems import services

    item = ActionItem.objects.filter(incident_id=incident).order_by("pk").first()
    assert item is not None
    samples = []
    for i in range(n + 3):
        item = ActionItem.objects.select_related("incident").get(pk=item.pk)
        begin = time.perf_counter()
        services.action_item_update(
            user=user, item=item, version=item.version, priority="P2" if i % 2 else "P3"
        )
        samples.append((time.perf_counter() - begin) * 1000)
    return median_p95(samples[3:])


def _time_worker_pass(edit: Callable[[], None], n: int) -> tuple[float, float]:
    from kintsugi.core.debt.clock import SystemClock, utc_today
    from kintsugi.debt.selectors.policy import policy_book
    from kintsugi.debt.tally.compute import refresh_all

    clock = SystemClock()
    samples = []
    for _ in range(n):
        edit()
        begin = time.perf_counter()
        refresh_all(today=utc_today(clock), book=policy_book(), now=clock.now())
        samples.append((time.perf_counter() - begin) * 1000)
    return median_p95(samples)


if __name__ == "__main__":
    main()
