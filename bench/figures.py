"""The two figures every bench line prints."""

from __future__ import annotations

import statistics


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of timings in milliseconds."""
    ordered = sorted(samples)
    rank = min(len(ordered), round(0.95 * len(ordered)))
    return statistics.median(ordered), ordered[max(rank, 1) - 1]
