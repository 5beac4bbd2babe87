"""The Insights charts as plain data: one table per chart, each row with its label, raw
values (for the CSV and the API), the same values as the page shows them, and one bar.

The page draws a bar per row from ``bar`` and prints every value as text beside it, so
the charts read the same without colour and on paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kintsugi.core.insights.categories import category_label
from kintsugi.core.insights.csv import Cell, to_csv
from kintsugi.core.insights.figures import (
    DURATION_LABELS,
    Summary,
    Trend,
    bar_percent,
    duration_text,
    share_text,
    summarise,
    trend,
)
from kintsugi.core.insights.months import month_label

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
PRIORITIES = ("P0", "P1", "P2", "P3")


@dataclass(frozen=True)
class Row:
    label: str
    values: list[Cell]
    shown: list[str]
    bar: int  # 0..100, relative to the chart's largest bar value


@dataclass(frozen=True)
class Chart:
    key: str  # the CSV file's name and the API's key
    title: str
    description: str
    columns: list[str]  # the first names the row label
    rows: list[Row]
    bar_column: str  # which value the bar draws
    trend: Trend | None = None
    notes: list[str] = field(default_factory=list)

    def csv(self) -> str:
        return to_csv(self.columns, ([row.label, *row.values] for row in self.rows))


def _bars(values: Sequence[float | None]) -> list[int]:
    largest = max((v for v in values if v is not None), default=None)
    return [bar_percent(v, largest) for v in values]


def incidents_by_severity(months: list[date], counts: Mapping[tuple[date, str], int]) -> Chart:
    totals = [sum(counts.get((m, s), 0) for s in SEVERITIES) for m in months]
    bars = _bars(totals)
    rows = []
    for month, total, bar in zip(months, totals, bars, strict=True):
        values: list[Cell] = [counts.get((month, s), 0) for s in SEVERITIES]
        values.append(total)
        rows.append(Row(month_label(month), values, [str(v) for v in values], bar))
    return Chart(
        "incidents-by-severity",
        "Incidents per month by severity",
        "How many incidents began in each month, by severity.",
        ["Month", *SEVERITIES, "Total"],
        rows,
        "Total",
    )


def incidents_by_group(
    key: str,
    title: str,
    noun: str,
    months: list[date],
    counts: Mapping[tuple[date, str], int],
    *,
    limit: int = 20,
) -> Chart:
    """Incidents per month per team or service, the groups with most incidents first; a
    group with incidents in several months recurs."""
    names = sorted({name for _m, name in counts})
    totals = {n: sum(counts.get((m, n), 0) for m in months) for n in names}
    recurring = {n: sum(1 for m in months if counts.get((m, n), 0)) for n in names}
    ordered = sorted(names, key=lambda n: (-totals[n], n.lower()))
    shown_names = ordered[:limit]
    bars = _bars([totals[n] for n in shown_names])
    rows = []
    for name, bar in zip(shown_names, bars, strict=True):
        values: list[Cell] = [counts.get((m, name), 0) for m in months]
        values += [totals[name], recurring[name]]
        rows.append(Row(name, values, [str(v) for v in values], bar))
    notes = []
    if len(ordered) > limit:
        notes.append(f"{len(ordered) - limit} more {noun}s with fewer incidents are not shown.")
    return Chart(
        key,
        title,
        f"Incidents per month per {noun}; “months” counts the months with at least one: "
        f"a {noun} with incidents in many months keeps recurring.",
        [noun.capitalize(), *(month_label(m) for m in months), "Total", "Months"],
        rows,
        "Total",
        notes=notes,
    )


def response_time(name: str, months: list[date], values: Mapping[date, list[float]]) -> Chart:
    """Median and 90th percentile of one response time per month, with its trend."""
    return response_time_of(name, months, {m: summarise(v) for m, v in values.items()})


def response_time_of(name: str, months: list[date], figures: Mapping[date, Summary]) -> Chart:
    """``response_time`` from each month's summary (the page's come from histograms)."""
    empty = Summary(0, None, None)
    summaries = [figures.get(m, empty) for m in months]
    bars = _bars([s.median for s in summaries])
    rows = [
        Row(
            month_label(month),
            [s.count, s.median, s.p90],
            [str(s.count), duration_text(s.median), duration_text(s.p90)],
            bar,
        )
        for month, s, bar in zip(months, summaries, bars, strict=True)
    ]
    label = DURATION_LABELS[name]
    return Chart(
        name.replace("_", "-"),
        f"{label}: median and 90th percentile per month",
        f"{label} of the incidents that began each month (seconds in the CSV); "
        "incidents whose timeline lacks one of the two moments are not counted.",
        ["Month", "Incidents measured", "Median (s)", "90th percentile (s)"],
        rows,
        "Median (s)",
        trend=trend([s.median for s in summaries]),
    )


def factor_categories(months: list[date], counts: Mapping[tuple[date, str], int]) -> Chart:
    """Incidents per contributing-factor category; categories that recur come first."""
    keys = sorted({key for _m, key in counts})
    totals = {k: sum(counts.get((m, k), 0) for m in months) for k in keys}
    recurring = {k: sum(1 for m in months if counts.get((m, k), 0)) for k in keys}
    ordered = sorted(keys, key=lambda k: (-recurring[k], -totals[k], k))
    bars = _bars([totals[k] for k in ordered])
    rows = [
        Row(
            category_label(k),
            [totals[k], recurring[k]],
            [str(totals[k]), str(recurring[k])],
            bar,
        )
        for k, bar in zip(ordered, bars, strict=True)
    ]
    return Chart(
        "factor-categories",
        "Contributing-factor categories that recur",
        "Incidents with at least one contributing factor of each category, and in how many "
        "months of the range; categories are read from the factors' words (docs/insights.md).",
        ["Category", "Incidents", "Months"],
        rows,
        "Incidents",
    )


def completion_by_priority(
    closed: Mapping[str, tuple[int, int, int]],
) -> Chart:
    """Action items completed in the range by priority: ``closed[p]`` is (done, done with a
    target date, done by that date)."""
    shares = []
    for p in PRIORITIES:
        _done, measured, on_time = closed.get(p, (0, 0, 0))
        shares.append(100 * on_time / measured if measured else None)
    bars = _bars(shares)
    rows = []
    for p, share, bar in zip(PRIORITIES, shares, bars, strict=True):
        done, measured, on_time = closed.get(p, (0, 0, 0))
        rows.append(
            Row(
                p,
                [done, measured, on_time, None if share is None else round(share, 1)],
                [str(done), str(measured), str(on_time), share_text(on_time, measured)],
                bar,
            )
        )
    return Chart(
        "completion-by-priority",
        "Action items completed within their target date, by priority",
        "Items marked done in the range; those with a target date, and those done on or before it.",
        ["Priority", "Done", "With a target", "By the target", "Share by the target (%)"],
        rows,
        "Share by the target (%)",
    )


def open_debt(
    months: list[date],
    open_before: int,
    opened: Mapping[date, int],
    closed: Mapping[date, int],
) -> Chart:
    """Open action items at the end of each month: those open before the range, plus the
    items opened, minus those closed, month by month."""
    running = open_before
    ends = []
    for month in months:
        running += opened.get(month, 0) - closed.get(month, 0)
        ends.append(running)
    bars = _bars([float(e) for e in ends])
    rows = []
    for month, end, bar in zip(months, ends, bars, strict=True):
        values: list[Cell] = [opened.get(month, 0), closed.get(month, 0), end]
        rows.append(Row(month_label(month), values, [str(v) for v in values], bar))
    return Chart(
        "open-debt",
        "Open action items (post-mortem debt) at the end of each month",
        "Items created, and closed (done or won't do), in each month, and how many were "
        "still open when the month ended.",
        ["Month", "Created", "Closed", "Open at month end"],
        rows,
        "Open at month end",
    )


def cost_of_debt(months: list[date], counts: Mapping[date, tuple[int, int]]) -> Chart:
    """``counts[month]`` is (incidents, incidents that began while an action item of an
    earlier incident sharing a service was still open)."""
    withs = [counts.get(m, (0, 0))[1] for m in months]
    bars = _bars([float(w) for w in withs])
    rows = []
    for month, bar in zip(months, bars, strict=True):
        total, with_debt = counts.get(month, (0, 0))
        rows.append(
            Row(
                month_label(month),
                [total, with_debt],
                [str(total), f"{with_debt} ({share_text(with_debt, total)})"],
                bar,
            )
        )
    return Chart(
        "cost-of-debt",
        "Cost of debt: incidents that began while an earlier fix was still open",
        "Incidents whose start fell while an action item of an earlier incident affecting a "
        "same service was still open.",
        ["Month", "Incidents", "With an earlier item open"],
        rows,
        "With an earlier item open",
    )
