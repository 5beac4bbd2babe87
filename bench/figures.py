"""The two figures every bench line prints, and the fresh database a standalone bench uses."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import statistics
import time
from pathlib import Path
from typing import Any


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of timings in milliseconds."""
    ordered = sorted(samples)
    rank = min(len(ordered), round(0.95 * len(ordered)))
    return statistics.median(ordered), ordered[max(rank, 1) - 1]


class CpuClock:
    """CPU seconds spent on a request: this process's, plus on PostgreSQL those of the
    server process serving its connection when the server runs on this machine.

    On a machine shared with other work, wall time measures the queue for the cores as
    much as the page; CPU time does not. SQLite runs inside this process, so
    ``time.process_time`` covers it; a PostgreSQL backend is another process, read through
    ``clock_getcpuclockid`` (nanoseconds; Linux lets root or the same user read it). When
    the server is elsewhere ``server`` is False and the figure is this process's only.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.server = False
        self._pid = 0
        self._clock = 0
        if connection.vendor == "postgresql":
            self._follow()

    def _follow(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = int(cursor.fetchone()[0])
        if pid == self._pid:
            return
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        clock = ctypes.c_int()
        self.server = libc.clock_getcpuclockid(pid, ctypes.byref(clock)) == 0
        self._pid, self._clock = pid, clock.value

    def __call__(self) -> float:
        """CPU seconds so far (a difference of two readings is what a request cost)."""
        if not self.server:
            return time.process_time()
        return time.process_time() + time.clock_gettime(self._clock)

    def check(self) -> None:
        """Before a reading: follow the connection if Django opened a new one (a new
        server process); outside the timed part, as it asks the server."""
        if self.connection.vendor == "postgresql":
            self._follow()


def fresh_sqlite(data_dir: str, name: str) -> None:
    """A new SQLite file in ``data_dir`` for this process (so a figure does not drift with
    what an earlier run left), set up as Django's database; call before django.setup()."""
    path = Path(data_dir).resolve() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{path}",
        KINTSUGI_ENV="test",
        DJANGO_SETTINGS_MODULE="kintsugi.settings",
    )


def print_load(label: str, cpu: CpuClock) -> None:
    """The line before a bench's CPU columns: the load and whose CPU time is counted (on a
    shared machine the reader must know both to read the figures)."""
    whose = "process + server" if cpu.server else "process"
    with open("/proc/loadavg") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    print(f"[{label}] load average {load}; CPU time of the {whose}")
