"""The bench's CPU figure counts the work a request made the database do (``CpuClock``).

On SQLite the engine runs in this process; on PostgreSQL the statement runs in the server
process serving the connection, whose CPU time the clock adds when the server runs on this
machine (as in the tests and the bench).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from bench.figures import CpuClock, median_p95

HEAVY = "SELECT COUNT(*) FROM ({}) t"
SERIES = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500000) "
        "SELECT i FROM n"
    ),
    "postgresql": "SELECT generate_series(1, 3000000)",
}


def _spent(clock: CpuClock) -> tuple[float, float]:
    """CPU seconds of one heavy statement by the clock, and by this process alone."""
    clock.check()
    begin, begin_process = clock(), time.process_time()
    with connection.cursor() as cursor:
        cursor.execute(HEAVY.format(SERIES[connection.vendor]))
        cursor.fetchone()
    return clock() - begin, time.process_time() - begin_process


def test_a_statement_the_database_runs_is_counted(db):
    clock = CpuClock(connection)
    total, process = _spent(clock)
    assert total > 0.02  # the statement's work, wherever it ran
    if connection.vendor == "postgresql":
        assert clock.server
        assert total - process > 0.02  # the server process did it, not this one
    else:
        assert not clock.server
        assert total == pytest.approx(process, abs=0.005)


def test_the_clock_follows_a_new_connection(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("one process on SQLite")
    clock = CpuClock(connection)
    connection.close()  # the next statement opens a connection: another server process
    total, process = _spent(clock)
    assert total - process > 0.02


def test_median_and_p95_are_read_from_the_samples():
    samples = [float(n) for n in range(1, 41)]  # 1..40 ms
    assert median_p95(samples) == (20.5, 38.0)
