"""The calibration report's chart, drawn by the server as SVG (no script, nothing from elsewhere): each
validator's exact agreement with the anchors, round by round, in one domain, with the district's threshold.

The chart says what it shows in its <title> and <desc>; the table beside it carries the same numbers.
Nothing is told by colour alone: each validator's line has its own marker shape and ends in their name,
and the threshold is a dashed line labelled with its value. Colours are presentation attributes, not style
attributes (the Content-Security-Policy allows no inline style).
"""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from ..calibration.report import ValidatorRow

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 240, 44, 150, 12, 34
INK, MUTED, GRID, THRESHOLD = "#1d2430", "#5a6473", "#d6dae1", "#9a3412"
# Dark enough for text on white (at least 4.5:1); told apart by marker shape too.
COLOURS = ["#1f5fa8", "#6b4c9a", "#00756a", "#b35c00", "#a4133c", "#3d5a1e", "#5c4033", "#2f4858"]
MARKERS = ["circle", "square", "triangle", "diamond"]


def _text(x: float, y: float, content: str, size: int = 11, fill: str = INK, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    corners = {
        "triangle": [(0, -4.5), (4.5, 3.5), (-4.5, 3.5)],
        "diamond": [(0, -5), (5, 0), (0, 5), (-5, 0)],
    }.get(shape)
    if corners:
        points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def style_of(index: int) -> tuple[str, str]:
    """(colour, marker shape) of the index-th validator's line, the same in the chart and its table."""
    return COLOURS[index % len(COLOURS)], MARKERS[index % len(MARKERS)]


def agreement_chart(domain_code: str, domain_name: str, rows: list[ValidatorRow], threshold: int) -> Markup:
    """Exact agreement per round (0-100%) over time, one line per validator, the threshold dashed."""
    ident = f"agreement-{escape(domain_code)}"
    title = f"{domain_name}: each validator's exact agreement with the anchors, round by round"
    parts = [
        f'<svg class="agreement-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">One line per validator, each with its own marker shape and ending in the '
        f"validator's name; the dashed line is the district's threshold of {threshold}%. Rounds with too few "
        "ratings to say are left out. The table below has the same numbers.</desc>",
    ]
    top, bottom, left, right = PAD_T, HEIGHT - PAD_B, PAD_L, WIDTH - PAD_R

    def y_of(percent: float) -> float:
        return bottom - (bottom - top) * percent / 100

    for pct in (0, 25, 50, 75, 100):
        y = y_of(pct)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, f"{pct}%", 10, MUTED, "end"))
    series = [
        (row, [(p.rated_at, p.exact.percent) for p in row.history if p.exact.percent is not None]) for row in rows
    ]
    moments = sorted({moment for _, points in series for moment, _ in points})
    y = y_of(threshold)
    parts.append(
        f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{THRESHOLD}" stroke-width="1.5" '
        'stroke-dasharray="6 4"/>'
    )
    parts.append(_text(right + 6, y + 4, f"threshold {threshold}%", 10, THRESHOLD))
    if not moments:
        parts.append(_text(left + 12, (top + bottom) / 2, "no rounds with enough ratings yet", 11, MUTED))
        parts.append("</svg>")
        return Markup("".join(parts))
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds()

    def x_of(moment: datetime) -> float:
        if span == 0:
            return (left + right) / 2
        return left + 12 + (right - left - 24) * (moment - first).total_seconds() / span

    for moment in {first, last}:
        parts.append(_text(x_of(moment), HEIGHT - 12, f"{moment.day} {moment:%b %Y}", 10, MUTED, "middle"))
    labels: list[float] = [y_of(threshold) + 4]  # the threshold's label, too
    for index, (row, points) in enumerate(series):
        if not points:
            continue
        colour, shape = style_of(index)
        coords = [(x_of(moment), y_of(percent)) for moment, percent in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(_marker(shape, x, y, colour) for x, y in coords)
        label_y = coords[-1][1] + 4
        while any(abs(label_y - taken) < 12 for taken in labels):  # names never overlap
            label_y += 12
        labels.append(label_y)
        parts.append(_text(right + 6, label_y, _short(row.name), 10, colour))
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
