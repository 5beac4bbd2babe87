"""Percentiles and trends of the response times (time to detect, acknowledge, mitigate and
resolve), per month.

Nearest-rank percentiles: the figure is always one incident's real time, never an average
of two, so "the p90 is 3 h 10 min" can be checked against a post-mortem.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# The four response times, in the words of the timeline (core/timeline.py).
DURATIONS = ("time_to_detect", "time_to_acknowledge", "time_to_mitigate", "time_to_resolve")
DURATION_LABELS = {
    "time_to_detect": "Time to detect",
    "time_to_acknowledge": "Time to acknowledge",
    "time_to_mitigate": "Time to mitigate",
    "time_to_resolve": "Time to resolve",
}
# A change of less than this share between the halves of the range is "steady": month to
# month noise of a handful of incidents should not read as a trend.
STEADY_SHARE = 0.10


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; None when empty."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be within 0..1, not {share}")
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """How many incidents had the time, and its median and 90th percentile (seconds)."""

    count: int
    median: float | None
    p90: float | None


def summarise(values: Sequence[float]) -> Summary:
    return Summary(len(values), percentile(values, 0.5), percentile(values, 0.9))


class Trend(StrEnum):
    """Whether a time got shorter (better) or longer over the range; words and arrows, so
    the page reads the same without colour."""

    SHORTER = "shorter"
    LONGER = "longer"
    STEADY = "steady"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "shorter": "↓ getting shorter",
            "longer": "↑ getting longer",
            "steady": "→ steady",
            "unknown": "not enough data",
        }[self.value]


def trend(medians: Sequence[float | None]) -> Trend:
    """Compare the mean of the monthly medians in the later half of the range with the
    earlier half. Months without a figure are skipped; fewer than two figures in either
    half give ``UNKNOWN``."""
    known = [(i, v) for i, v in enumerate(medians) if v is not None]
    middle = len(medians) / 2
    early = [v for i, v in known if i < middle]
    late = [v for i, v in known if i >= middle]
    if len(early) < 2 or len(late) < 2:
        return Trend.UNKNOWN
    before, after = sum(early) / len(early), sum(late) / len(late)
    if before == 0:
        return Trend.STEADY if after == 0 else Trend.LONGER
    change = (after - before) / before
    if abs(change) < STEADY_SHARE:
        return Trend.STEADY
    return Trend.LONGER if change > 0 else Trend.SHORTER


def duration_text(seconds: float | None) -> str:
    """``3 h 10 min``, ``45 min``, ``20 s``; an em dash when unknown."""
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    if whole < 0:
        return "-" + duration_text(-whole)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def share_text(part: int, whole: int) -> str:
    """``75%`` of ``whole``; an em dash when there is nothing to measure."""
    if whole <= 0:
        return "—"
    return f"{round(100 * part / whole)}%"


def bar_percent(value: float | None, largest: float | None) -> int:
    """The length of a bar, 0..100, relative to the largest one on the chart."""
    if not value or not largest or largest <= 0:
        return 0
    return max(1, min(100, round(100 * value / largest)))
