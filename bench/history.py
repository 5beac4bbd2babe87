"""History timings (issue 18: the diff of two versions of a 500-event post-mortem under
100 ms), run by ``bench.run`` after its pages on the data it generated, or alone::

    DATABASE_URL=sqlite:///$PWD/bench-data/bench.sqlite3 .venv/bin/python -m bench.history
    .venv/bin/python -m bench.history --fresh bench-data   # its own 500-event post-mortem

The 500-event post-mortem's history is started afresh (its versions deleted), then two
saves each change 20 events' text through the services (one version each, as a save
of the web or the API makes). Timed: the core's diff of the two timelines alone, the diff
page and the API's diff (whole requests, as ``bench.run`` times its pages), and the
History page. The events' texts toggle a suffix, so repeated runs leave the data as found
every other run.
"""

from __future__ import annotations

import argparse
import time

from django.db import transaction
from django.test import Client

from bench.figures import median_p95

TARGET_MS = 100
SUFFIX = " (checked again)"


def _edit_twenty(user: object, incident_id: int, offset: int) -> None:
    from kintsugi.postmortems import services
    from kintsugi.postmortems.models import TimelineEvent

    rows = list(
        TimelineEvent.objects.filter(incident_id=incident_id)
        .select_related("incident")
        .order_by("occurred_at", "id")[offset : offset + 500 : 25]
    )
    with transaction.atomic():
        for event in rows:
            text = (
                event.text[: -len(SUFFIX)] if event.text.endswith(SUFFIX) else event.text + SUFFIX
            )
            services.timeline_event_update(user=user, event=event, version=event.version, text=text)


def prepare(user: object, incident_id: int) -> tuple[int, int]:
    """Versions 1 (as it is) and 3 (40 events changed in two saves); returns their numbers."""
    from kintsugi.history.models import HistoryBlob, SectionState, Version
    from kintsugi.history.services.recorder import record

    Version.objects.filter(incident_id=incident_id).delete()
    SectionState.objects.filter(incident_id=incident_id).delete()
    HistoryBlob.objects.filter(incident_id=incident_id).delete()
    record(incident_id, user=None)
    _edit_twenty(user, incident_id, 0)
    _edit_twenty(user, incident_id, 10)
    numbers = list(Version.objects.filter(incident_id=incident_id).values_list("number", flat=True))
    return min(numbers), max(numbers)


def _time(client: Client, url: str, n: int, **headers: str) -> tuple[float, float, float]:
    """Median and p95 wall ms, and the median CPU ms of this process (the shared machine's
    wall clock mostly measures its neighbours; docs/architecture.md)."""
    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    samples, cpu = [], []
    for _ in range(n):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        client.get(url, **headers)
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    median, p95 = median_p95(samples)
    return median, p95, median_p95(cpu)[0]


def time_core_diff(
    incident_id: int, first: int, last: int, n: int
) -> tuple[float, float, float, int]:
    from kintsugi.core.history.diff import section_diff
    from kintsugi.core.history.sections import TIMELINE
    from kintsugi.history import selectors
    from kintsugi.history.models import Version

    older = Version.objects.get(incident_id=incident_id, number=first)
    newer = Version.objects.get(incident_id=incident_id, number=last)
    before = selectors.section_at(older, "timeline")
    after = selectors.section_at(newer, "timeline")
    samples, cpu = [], []
    changed = 0
    for _ in range(n + 3):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        diff = section_diff(TIMELINE, before, after)
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
        changed = diff.counts["changed"]
    median, p95 = median_p95(samples[3:])
    return median, p95, median_p95(cpu[3:])[0], changed


def time_history(
    label: str, client: Client, auth: dict[str, str], n: int, *, incident_id: int | None = None
) -> None:
    """Time on ``incident_id`` (default: bench.generate's 500-event post-mortem) as the user
    ``client`` is signed in as."""
    from bench.generate import big_incident
    from kintsugi.accounts.models import User
    from kintsugi.postmortems.models import TimelineEvent

    big = incident_id if incident_id is not None else big_incident()
    events = TimelineEvent.objects.filter(incident_id=big).count()
    user = User.objects.get(pk=client.session["_auth_user_id"])
    first, last = prepare(user, big)
    median, p95, cpu, changed = time_core_diff(big, first, last, n)
    print(
        f"[{label}] history: {events} events, versions {first} -> {last}, "
        f"{changed} events changed; target p95 < {TARGET_MS} ms",
        flush=True,
    )
    print(f"[{label}] {'':45} {'median ms':>10} {'p95 ms':>10} {'CPU ms':>8}")
    flag = "ok" if p95 < TARGET_MS else "SLOW"
    what = "diff of two timelines (core alone)"
    print(f"[{label}] {what:45} {median:10.1f} {p95:10.1f} {cpu:8.1f}  {flag}")
    lines = [
        ("diff page, two versions", f"/incidents/{big}/history/diff/?from={first}&to={last}", {}),
        (
            "API diff, two versions",
            f"/api/v1/incidents/{big}/versions/{first}/diff?to={last}",
            auth,
        ),
        ("History page (versions list)", f"/incidents/{big}/history/", {}),
    ]
    for what, url, headers in lines:
        median, p95, cpu = _time(client, url, n, **headers)
        flag = "ok" if p95 < TARGET_MS else "SLOW"
        print(f"[{label}] {what:45} {median:10.1f} {p95:10.1f} {cpu:8.1f}  {flag}", flush=True)


def _own_postmortem() -> int:
    """A fresh database's one post-mortem with a 500-event timeline (``--fresh``)."""
    from datetime import UTC, datetime, timedelta

    from django.core.management import call_command

    from kintsugi.accounts.models import User
    from kintsugi.postmortems import services
    from kintsugi.teams.models import Membership, Team

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create_user("bench-member", password="x" * 20, role="editor")
    team = Team.objects.create(name="Platform", slug="platform")
    Membership.objects.create(team=team, user=user)
    start = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    incident = services.incident_create(
        user=user, title="Checkout outage", started_at=start, team=team, is_restricted=True
    )
    words = "the primary database answered slowly while the pool of connections was full"
    services.timeline_events_add(
        user=user,
        incident=incident,
        events=[
            {"occurred_at": start + timedelta(seconds=7 * n), "text": f"{n}: {words}"}
            for n in range(500)
        ],
    )
    return incident.pk


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--label", default="history")
    parser.add_argument(
        "--fresh",
        metavar="DATA_DIR",
        help="Time on a new SQLite file there, with one 500-event post-mortem, instead of "
        "the data `make bench` generated.",
    )
    args = parser.parse_args()
    if args.fresh:
        from bench.figures import fresh_sqlite

        fresh_sqlite(args.fresh, "history.sqlite3")
    import django

    django.setup()
    from bench.generate import MEMBER
    from kintsugi.accounts.models import ApiToken, User

    incident_id = _own_postmortem() if args.fresh else None
    user = User.objects.get(username="bench-member" if args.fresh else MEMBER)
    client = Client()
    client.force_login(user)
    ApiToken.objects.filter(user=user, name="bench-history").delete()
    _, raw = ApiToken.issue(user=user, name="bench-history")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    time_history(args.label, client, auth, args.requests, incident_id=incident_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
