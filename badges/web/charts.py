"""Small server-drawn SVG charts (no script). Each is paired with a table of the same numbers.

Levels are drawn as their values, 1 to 4; their names are the framework version's own, handed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_X, PAD_Y = 240, 80, 28, 10


def _y(level: int) -> float:
    return HEIGHT - PAD_Y - (level - 1) * (HEIGHT - 2 * PAD_Y) / 3


def level_chart(points: list[tuple[date, int]], label: str, level_names: Mapping[int, str] | None = None) -> Markup:
    """A step-free line of self-assessed levels over time, 1 (bottom) to 4 (top); its title names the
    bottom and top levels as the framework does (`level_names`, value -> name), when given.

    The SVG is decorative for screen readers (aria-hidden); the table beside it carries the numbers.
    """
    if level_names and 1 in level_names and 4 in level_names:
        label = f"{label}, from 1 {level_names[1]} (bottom) to 4 {level_names[4]} (top)"
    parts = [
        f'<svg class="level-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-hidden="true" focusable="false"><title>{escape(label)}</title>'
    ]
    for level in range(1, 5):
        y = _y(level)
        parts.append(
            f'<line x1="{PAD_X}" y1="{y:.1f}" x2="{WIDTH - 6}" y2="{y:.1f}" stroke="#d6dae1" stroke-width="1"/>'
        )
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-size="10" fill="#5a6473">{level}</text>')
    if points:
        step = (WIDTH - PAD_X - 16) / max(1, len(points) - 1)
        coords = [
            (PAD_X + 6 + (i * step if len(points) > 1 else (WIDTH - PAD_X - 16) / 2), _y(level))
            for i, (_, level) in enumerate(points)
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f5fa8"/>')
    else:
        parts.append(
            f'<text x="{PAD_X + 8}" y="{HEIGHT / 2 + 4:.0f}" font-size="11" fill="#5a6473">not rated yet</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
