"""An Insights chart as lines of text with block-character bars, for plain-text channels.

Slack shows neither the page's SVG bars nor an HTML table, so the monthly digest draws
each chart with Unicode block characters in a monospaced block: one line per row, the
label, a bar in eighths of a character, and the value the bar draws, printed beside it.
The numbers carry the meaning on their own, so the chart reads the same without colour,
in a screen reader, and when the blocks do not render.
"""

from __future__ import annotations

from kintsugi.core.insights.charts import Chart

# Eighths of a character cell, from one eighth to a full block.
EIGHTHS = "▏▎▍▌▋▊▉"
FULL = "█"
WIDTH = 20  # characters of the longest bar


def text_bar(percent: int, width: int = WIDTH) -> str:
    """A bar of ``percent`` (0..100) of ``width`` characters; any non-zero value shows."""
    percent = max(0, min(100, percent))
    eighths = round(percent * width * 8 / 100)
    if percent and not eighths:
        eighths = 1
    whole, rest = divmod(eighths, 8)
    return FULL * whole + (EIGHTHS[rest - 1] if rest else "")


def text_chart(chart: Chart, width: int = WIDTH) -> list[str]:
    """The chart's rows as aligned lines: ``label  bar  value (bar column)``.

    The first line names the value drawn, so a reader knows what the numbers are."""
    if not chart.rows:
        return ["Nothing to show."]
    try:
        column = chart.columns.index(chart.bar_column) - 1
    except ValueError:
        column = -1
    labels = [row.label for row in chart.rows]
    label_width = max(len(label) for label in labels)
    # The page prints durations in words ("10 min"), as here; only the CSV has seconds.
    heading = chart.bar_column.removesuffix(" (s)")
    lines = [f"{'':{label_width}}  {'':{width}}  {heading}"]
    for row in chart.rows:
        shown = row.shown[column] if 0 <= column < len(row.shown) else ""
        lines.append(f"{row.label:{label_width}}  {text_bar(row.bar, width):{width}}  {shown}")
    return [line.rstrip() for line in lines]
