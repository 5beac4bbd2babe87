"""Small server-side SVG charts: readable on screen, in print and in a PDF, with no script.

Each chart carries a ``<title>`` and ``<desc>`` for screen readers, uses patterns of line
style as well as colour (the overdue line is dashed, so it survives black-and-white
printing), and sits beside a table holding the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
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


def _frame(title: str, desc: str, top: float, body: list[str]) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    grid = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        grid.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#d8dee4" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#57606a">{_fmt(value)}</text>'
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title chart-desc" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>'
        + "".join(grid)
        + "".join(body)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped, numbers are formatted


def trend_chart(points: Sequence[TrendPoint]) -> SafeString:
    """Open (solid) and overdue (dashed) items at the end of each week."""
    if not points:
        return mark_safe("")  # noqa: S308
    top = _nice_max(max(max(p.open, p.overdue) for p in points))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(points) - 1)

    def xy(index: int, value: int) -> str:
        return f"{LEFT + index * step:.1f},{TOP + plot_h - plot_h * value / top:.1f}"

    body = []
    for name, colour, dash in (("open", "#0b57d0", ""), ("overdue", "#b42318", "6 4")):
        coords = " ".join(xy(i, getattr(p, name)) for i, p in enumerate(points))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f"{dashes}><title>{name}</title></polyline>"
        )
        for i, point in enumerate(points):
            x, y = xy(i, getattr(point, name)).split(",")
            body.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}">'
                f"<title>{escape(str(point.week))}: {getattr(point, name)} {name}</title></circle>"
            )
    for i, point in enumerate(points):
        if len(points) > 8 and i % 2:
            continue
        x = LEFT + i * step
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
            f'fill="#57606a">W{point.week.week:02d}</text>'
        )
    body.append(
        f'<g font-size="12"><line x1="{LEFT}" y1="6" x2="{LEFT + 18}" y2="6" stroke="#0b57d0" '
        f'stroke-width="2.5"/><text x="{LEFT + 22}" y="10">open</text>'
        f'<line x1="{LEFT + 70}" y1="6" x2="{LEFT + 88}" y2="6" stroke="#b42318" '
        f'stroke-width="2.5" stroke-dasharray="6 4"/><text x="{LEFT + 92}" y="10">overdue</text></g>'
    )
    first, last = points[0], points[-1]
    desc = (
        f"From {first.week} to {last.week}: open items went from {first.open} to {last.open}, "
        f"overdue items from {first.overdue} to {last.overdue}."
    )
    return _frame("Open and overdue items per week", desc, top, body)


def sprint_chart(reports: Sequence[SprintReport]) -> SafeString:
    """Reserved (outline), planned (hatched) and done (solid) per sprint."""
    if not reports:
        return mark_safe("")  # noqa: S308
    top = _nice_max(max(max(r.reserved, r.planned, r.done) for r in reports))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(reports)
    bar = min(28.0, slot / 4)
    body = [
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff0e0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8f3f00" stroke-width="2"/></pattern></defs>'
    ]
    styles = (
        ("reserved", 'fill="#ffffff" stroke="#57606a" stroke-width="1.5"'),
        ("planned", 'fill="url(#hatch)" stroke="#8f3f00" stroke-width="1"'),
        ("done", 'fill="#116329"'),
    )
    for i, report in enumerate(reports):
        x0 = LEFT + i * slot + (slot - 3 * bar) / 2
        for j, (name, style) in enumerate(styles):
            value = getattr(report, name)
            h = plot_h * value / top
            body.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" {style}><title>{escape(report.sprint.name)}: '
                f"{value:g} {report.unit.value} {name}</title></rect>"
            )
        body.append(
            f'<text x="{LEFT + i * slot + slot / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
            f'font-size="11" fill="#57606a">{escape(report.sprint.name)}</text>'
        )
    legend = []
    for j, (name, style) in enumerate(styles):
        x = LEFT + j * 90
        legend.append(
            f'<rect x="{x}" y="0" width="12" height="10" {style}/>'
            f'<text x="{x + 16}" y="10" font-size="12">{name}</text>'
        )
    body.append("<g>" + "".join(legend) + "</g>")
    last = reports[-1]
    desc = (
        f"{len(reports)} sprints up to {last.sprint.name}: reserved {last.reserved:g}, "
        f"planned {last.planned:g}, done {last.done:g} {last.unit.value} in the latest."
    )
    return _frame("Post-incident work per sprint", desc, top, body)
