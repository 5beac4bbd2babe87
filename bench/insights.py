"""Insights timings (issue 16: p95 under 100 ms at 20,000 incidents and 1,000,000 events),
run by ``bench.run`` after its pages on the data it generated.

The facts are rebuilt first (what ``kintsugi insights rebuild`` does once after an
upgrade; the fold keeps them after), then each page is timed as ``bench.run`` times its
own. The generated incidents start between 2023-01 and 2025-12, so the year 2024 is a
full year of data (about a third of the incidents) and 2023-01..2025-12 is all of it.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench.figures import median_p95
from kintsugi.postmortems.models import Incident

YEAR = "start=2024-01&end=2024-12"
ALL = "start=2023-01&end=2025-12"
TARGET_MS = 100


def _time(
    client: Client, url: str, n: int, before: Callable[[], None] = lambda: None, **headers: str
) -> tuple[float, float]:
    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    samples = []
    for _ in range(n):
        before()
        begin = time.perf_counter()
        client.get(url, **headers)
        samples.append((time.perf_counter() - begin) * 1000)
    return median_p95(samples)


def time_insights(label: str, client: Client, editor: Client, auth: dict[str, str], n: int) -> None:
    begin = time.perf_counter()
    call_command("insights", "rebuild", stdout=io.StringIO())
    seconds = time.perf_counter() - begin
    print(f"[{label}] {'insights facts, every incident rebuilt':45} {seconds * 1000:10.1f}")
    with connection.cursor() as cursor:
        # Planner statistics and, on PostgreSQL, the visibility map for index-only scans of
        # the tables just written (autovacuum does this in production, after a while).
        for table in (
            "incidentfacts",
            "factservice",
            "factcategory",
            "itemfacts",
            "itemmonth",
            "monthsum",
        ):
            vacuum = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
            cursor.execute(f"{vacuum} insights_{table}")
    team = "team-3"
    pages: list[tuple[str, Client, str, dict[str, str]]] = [
        ("insights, last 12 months", client, "/insights/", {}),
        ("insights, 2024 (12 full months)", client, f"/insights/?{YEAR}", {}),
        ("insights, 2023-2025 (36 months, everything)", client, f"/insights/?{ALL}", {}),
        ("insights, 2024, one team", client, f"/insights/?{YEAR}&team={team}", {}),
        (
            "insights, 2024, one service + SEV2",
            client,
            f"/insights/?{YEAR}&service=service-7&severity=SEV2",
            {},
        ),
        ("insights, 2024, as an editor (not admin)", editor, f"/insights/?{YEAR}", {}),
        (
            "insights CSV (time to resolve), 2024",
            client,
            f"/insights/csv/time-to-resolve/?{YEAR}",
            {},
        ),
        ("API insights, 2024", client, f"/api/v1/insights?{YEAR}", auth),
        ("insights digest, 2024-06", client, "/insights/digest/2024-06/", {}),
    ]
    for name, who, url, headers in pages:
        median, p95 = _time(who, url, n, **headers)
        flag = "ok" if p95 < TARGET_MS else "SLOW"
        print(f"[{label}] {name:45} {median:10.1f} {p95:10.1f}  {flag}", flush=True)
    # The pages above are read again and again with the facts unchanged, so all but the
    # first come from the report cache (report_cache.py); the first read after a fold
    # computes the report: timed here with the cache emptied before each request.
    for name, url in (
        ("insights, 36 months, report not cached", f"/insights/?{ALL}"),
        ("insights, 2024, report not cached", f"/insights/?{YEAR}"),
    ):
        median, p95 = _time(client, url, n, before=cache.clear)
        flag = "ok" if p95 < TARGET_MS else "SLOW"
        print(f"[{label}] {name:45} {median:10.1f} {p95:10.1f}  {flag}", flush=True)
    # A page right after an edit reads the edited incident's facts live (seven queries).
    incident = Incident.objects.filter(started_at__year=2024).order_by("pk").first()
    assert incident is not None
    severities = iter(["SEV1", "SEV2"] * n * 3)

    def edit() -> None:
        Incident.objects.filter(pk=incident.pk).update(severity=next(severities))

    median, p95 = _time(client, f"/insights/?{YEAR}", n, before=edit)
    flag = "ok" if p95 < TARGET_MS else "SLOW"
    print(
        f"[{label}] {'insights, 2024, right after an edit':45} {median:10.1f} {p95:10.1f}  {flag}"
    )
    samples = []
    for _ in range(max(5, n // 4)):
        edit()
        begin = time.perf_counter()
        call_command("insights", "fold", once=True, stdout=io.StringIO())
        samples.append((time.perf_counter() - begin) * 1000)
    median, p95 = median_p95(samples)
    print(f"[{label}] {'insights fold of one edit':45} {median:10.1f} {p95:10.1f}", flush=True)
