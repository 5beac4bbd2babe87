"""The two figures every bench line prints, and the fresh database a standalone bench uses."""

from __future__ import annotations

import os
import statistics
from pathlib import Path


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of timings in milliseconds."""
    ordered = sorted(samples)
    rank = min(len(ordered), round(0.95 * len(ordered)))
    return statistics.median(ordered), ordered[max(rank, 1) - 1]


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
