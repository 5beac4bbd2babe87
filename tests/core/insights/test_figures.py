import pytest

from kintsugi.core.insights.figures import (
    Trend,
    bar_percent,
    duration_text,
    percentile,
    share_text,
    summarise,
    trend,
)


def test_it_takes_nearest_rank_percentiles():
    values = [50, 10, 40, 20, 30]
    assert percentile(values, 0.5) == 30
    assert percentile(values, 0.9) == 50
    assert percentile(values, 0) == 10
    assert percentile(list(range(1, 101)), 0.9) == 90
    assert percentile([], 0.5) is None


def test_it_refuses_a_share_outside_zero_to_one():
    with pytest.raises(ValueError):
        percentile([1], 1.5)


def test_it_summarises_count_median_and_p90():
    s = summarise([60.0, 120.0, 600.0])
    assert (s.count, s.median, s.p90) == (3, 120.0, 600.0)


def test_it_reads_a_trend_from_the_halves():
    assert trend([100, 100, 50, 50]) is Trend.SHORTER
    assert trend([50, 50, 100, 100]) is Trend.LONGER
    assert trend([100, 102, 99, 101]) is Trend.STEADY
    assert trend([100, None, None, 50]) is Trend.UNKNOWN
    assert trend([0, 0, 0, 0]) is Trend.STEADY
    assert "↓" in Trend.SHORTER.label  # readable without colour


def test_it_writes_durations_for_people():
    assert duration_text(None) == "—"
    assert duration_text(20) == "20 s"
    assert duration_text(45 * 60) == "45 min"
    assert duration_text(3 * 3600 + 600) == "3 h 10 min"
    assert duration_text(2 * 86400 + 3600) == "2 d 1 h"


def test_it_scales_bars_and_shares():
    assert bar_percent(5, 10) == 50
    assert bar_percent(0.01, 10) == 1  # a non-zero value stays visible
    assert bar_percent(None, 10) == 0
    assert bar_percent(3, 0) == 0
    assert share_text(3, 4) == "75%"
    assert share_text(0, 0) == "—"
