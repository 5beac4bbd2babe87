"""Small server-side SVG charts: readable on screen, in print and in a PDF, with no script.

Each chart carries a ``<title>`` and ``<desc>`` for screen readers, uses patterns of line
style as well as colour (the overdue line is dashed, so it survives black-and-white
printing), and sits beside a table holding the same numbers. The geometry is computed
here; the markup is in ``debt/templates/debt/charts/`` (autoescaped, compiled once).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template import Context, engines
from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.debt.dashboard import TrendPoint
from kintsugi.core.debt.sprints import SprintReport

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 34


def _nice_max(value: float) -> float:
    """A round top for the axis (1, 2, 5 × 10^n) at or above ``value``."""
    if value <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _fmt(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"


def _chart(template: str, title: str, desc: str, top: float, **parts: Any) -> SafeString:
    """Render one chart: the frame, grid and scale (``debt/charts/_frame.svg``) around the
    chart's own marks; every number is formatted here, every text escaped there."""
    plot_h = HEIGHT - TOP - BOTTOM
    grid = []
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        grid.append({"y": f"{y:.1f}", "text_y": f"{y + 4:.1f}", "value": _fmt(top * i / 4)})
    chart = {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "scale_x": LEFT - 6,
        "label_y": HEIGHT - 12,
        "title": title,
        "desc": desc,
        "grid": grid,
        **parts,
    }
    svg = engines["django"].engine.get_template(template).render(Context({"c": chart}))  # type: ignore[attr-defined]
    return mark_safe(svg)  # noqa: S308 - the template escapes every text


def trend_chart(points: Sequence[TrendPoint]) -> SafeString:
    """Open (solid) and overdue (dashed) items at the end of each week."""
    if not points:
        return mark_safe("")  # noqa: S308
    top = _nice_max(max(max(p.open, p.overdue) for p in points))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(points) - 1)

    def xy(index: int, value: int) -> tuple[str, str]:
        return f"{LEFT + index * step:.1f}", f"{TOP + plot_h - plot_h * value / top:.1f}"

    series = []
    for name, colour, dash in (("open", "#0b57d0", ""), ("overdue", "#b42318", "6 4")):
        marks = []
        for i, point in enumerate(points):
            x, y = xy(i, getattr(point, name))
            marks.append({"x": x, "y": y, "week": str(point.week), "value": getattr(point, name)})
        coords = " ".join(f"{mark['x']},{mark['y']}" for mark in marks)
        series.append(
            {"name": name, "colour": colour, "dash": dash, "coords": coords, "points": marks}
        )
    labels = [
        {"x": f"{LEFT + i * step:.1f}", "text": f"W{point.week.week:02d}"}
        for i, point in enumerate(points)
        if not (len(points) > 8 and i % 2)
    ]
    legend = [LEFT + 18, LEFT + 22, LEFT + 70, LEFT + 88, LEFT + 92]
    first, last = points[0], points[-1]
    desc = (
        f"From {first.week} to {last.week}: open items went from {first.open} to {last.open}, "
        f"overdue items from {first.overdue} to {last.overdue}."
    )
    return _chart(
        "debt/charts/trend.svg",
        "Open and overdue items per week",
        desc,
        top,
        series=series,
        labels=labels,
        legend=legend,
    )


# The look of each bar (our constants, so marked safe once).
SPRINT_STYLES = (
    ("reserved", mark_safe('fill="#ffffff" stroke="#57606a" stroke-width="1.5"')),  # noqa: S308
    ("planned", mark_safe('fill="url(#hatch)" stroke="#8f3f00" stroke-width="1"')),  # noqa: S308
    ("done", mark_safe('fill="#116329"')),  # noqa: S308
)


def sprint_chart(reports: Sequence[SprintReport]) -> SafeString:
    """Reserved (outline), planned (hatched) and done (solid) per sprint."""
    if not reports:
        return mark_safe("")  # noqa: S308
    top = _nice_max(max(max(r.reserved, r.planned, r.done) for r in reports))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(reports)
    bar = min(28.0, slot / 4)
    sprints = []
    for i, report in enumerate(reports):
        x0 = LEFT + i * slot + (slot - 3 * bar) / 2
        bars = []
        for j, (name, style) in enumerate(SPRINT_STYLES):
            value = getattr(report, name)
            h = plot_h * value / top
            bars.append(
                {
                    "name": name,
                    "style": style,
                    "value": f"{value:g}",
                    "x": f"{x0 + j * bar:.1f}",
                    "y": f"{TOP + plot_h - h:.1f}",
                    "width": f"{bar - 2:.1f}",
                    "height": f"{h:.1f}",
                }
            )
        sprints.append(
            {
                "name": report.sprint.name,
                "unit": report.unit.value,
                "x": f"{LEFT + i * slot + slot / 2:.1f}",
                "bars": bars,
            }
        )
    legend = [
        {"name": name, "style": style, "x": LEFT + j * 90, "text_x": LEFT + j * 90 + 16}
        for j, (name, style) in enumerate(SPRINT_STYLES)
    ]
    last = reports[-1]
    desc = (
        f"{len(reports)} sprints up to {last.sprint.name}: reserved {last.reserved:g}, "
        f"planned {last.planned:g}, done {last.done:g} {last.unit.value} in the latest."
    )
    return _chart(
        "debt/charts/sprints.svg",
        "Post-incident work per sprint",
        desc,
        top,
        sprints=sprints,
        legend=legend,
    )
