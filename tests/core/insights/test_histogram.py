"""Percentiles from histograms: exact when a bucket holds one time, within a bucket's
width otherwise, and the same as the exact nearest rank on random data within that width."""

from __future__ import annotations

import random

import pytest

from kintsugi.core.insights import figures, histogram
from kintsugi.core.insights.histogram import bucket


def _bins(values: list[int]) -> list[histogram.Bin]:
    found: dict[int, list[int]] = {}
    for v in values:
        found.setdefault(bucket(v), []).append(v)
    return [(b, len(vs), sum(vs)) for b, vs in found.items()]


def test_buckets_grow_on_a_log_scale():
    assert bucket(0) == 0 and bucket(-30) == 0
    assert bucket(1) == 1
    assert bucket(2) == 1 + histogram.BUCKETS_PER_DOUBLING
    assert bucket(1200) < bucket(1400) < bucket(4800)
    assert bucket(1000) == bucket(1001)


def test_one_time_per_bucket_gives_the_exact_nearest_rank():
    values = [300, 600, 1200, 2400, 4800]
    summary = histogram.summarise(_bins(values))
    assert summary == figures.summarise(values)
    assert (summary.count, summary.median, summary.p90) == (5, 1200, 4800)


def test_empty_and_bad_share():
    assert histogram.percentile([], 0.5) is None
    assert histogram.summarise([(3, 0, 0)]).count == 0
    with pytest.raises(ValueError):
        histogram.percentile([(1, 1, 1)], 1.5)


@pytest.mark.parametrize("seed", range(20))
def test_random_times_stay_within_a_bucket_of_the_exact_figure(seed):
    rng = random.Random(seed)
    values = [int(rng.lognormvariate(7, 2)) for _ in range(rng.randint(1, 400))]
    approx = histogram.summarise(_bins(values))
    exact = figures.summarise(values)
    assert approx.count == exact.count
    for got, want in ((approx.median, exact.median), (approx.p90, exact.p90)):
        assert want is not None and got is not None
        assert bucket(int(got)) == bucket(int(want)) or abs(got - want) <= 1
