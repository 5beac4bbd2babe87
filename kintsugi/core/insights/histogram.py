"""Response-time percentiles from per-month histograms rather than every incident's value.

The Insights page must read a bounded number of rows whatever the number of incidents, so
the fold keeps, per month, team, severity and audience, how many incidents fell in each
bucket of a fixed log scale and the sum of their times. A percentile is found by nearest
rank over the buckets and reported as the mean of the bucket it falls in: exact when that
bucket holds one incident (or several with the same time), otherwise within the bucket's
width (``BUCKETS_PER_DOUBLING`` buckets per doubling: a bucket spans about 9%). Sums rather
than minimum and maximum, because sums can be subtracted (the page removes the incidents
written since the fold and adds them as they are now).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from kintsugi.core.insights.figures import Summary

BUCKETS_PER_DOUBLING = 8

# (bucket, incidents, sum of their seconds)
Bin = tuple[int, int, int]


def bucket(seconds: int) -> int:
    """The bucket of a time in seconds: 0 for zero or less, then 1 + floor(8 log2 s)."""
    if seconds <= 0:
        return 0
    return 1 + math.floor(math.log2(seconds) * BUCKETS_PER_DOUBLING)


def percentile(bins: Iterable[Bin], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in 0..1) over ``bins``, as its bucket's mean."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be within 0..1, not {share}")
    ordered = sorted((b, n, total) for b, n, total in bins if n > 0)
    count = sum(n for _b, n, _t in ordered)
    if not count:
        return None
    rank = max(1, math.ceil(share * count))
    seen = 0
    for _b, n, total in ordered:
        seen += n
        if seen >= rank:
            mean = total / n
            return int(mean) if mean == int(mean) else round(mean)
    raise AssertionError("unreachable: the rank is within the count")


def summarise(bins: Iterable[Bin]) -> Summary:
    """How many incidents, median and 90th percentile, from one month's bins."""
    kept = [b for b in bins if b[1] > 0]
    return Summary(sum(n for _b, n, _t in kept), percentile(kept, 0.5), percentile(kept, 0.9))
