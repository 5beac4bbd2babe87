"""The raw SQL twin of the debt dashboard's main aggregate, timed in the same run as the page.

The issue asks the dashboard to stay within 2x of "the equivalent raw SQL aggregate": this
is the team breakdown (open, overdue, at risk, no date) over every action item, written by
hand in one statement, without the ORM, the access rules or the page around it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.db import connection

from bench.figures import median_p95

SQL = """
SELECT t.slug,
       SUM(CASE WHEN a.status IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS open,
       SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_on < %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_on >= %s
                 AND a.due_on <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status IN ('open', 'in_progress') AND a.due_on IS NULL THEN 1 ELSE 0 END)
FROM postmortems_actionitem a
JOIN postmortems_incident i ON i.id = a.incident_id
LEFT JOIN teams_team t ON t.id = i.team_id
GROUP BY t.slug
"""


def time_raw_aggregate(today: date, runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds of the raw aggregate."""
    params = [today, today, today + timedelta(days=3)]
    samples = []
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(SQL, params)
            cursor.fetchall()
        for _ in range(runs):
            begin = time.perf_counter()
            cursor.execute(SQL, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - begin) * 1000)
    return median_p95(samples)
