"""The readiness dashboard's charts, drawn by the server as SVG (no script, nothing from elsewhere).

Every chart says what it shows in its <title> and <desc>; the table beside it carries the numbers
for screen readers and for print. Nothing is told by colour alone: the heatmap's shade steps in
lightness and the share is printed in the cell; suppressed cells are hatched and say "fewer than
N"; the gap view prints "ahead"/"behind" and marks them with patterns as well as colours.
Colours are presentation attributes, not style attributes: the Content-Security-Policy allows no
inline style.

Level names are the framework's own (a district renames its levels): each chart takes them as
`level_names` (value -> name, from the dashboard's FrameworkShape), and names level 3 and the four
levels from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from markupsafe import Markup, escape

from ..frameworks.levels import LEVEL_VALUES, level_name
from ..readiness.figures import CellFigures
from ..readiness.report import HeatmapRow, TrendSeries
from ..readiness.shape import EARLIER_MARK

NAME_W, COL_W, HEAD_H, ROW_H, GAP = 170, 104, 64, 60, 4
# Share at level 3 or above, in five steps of lightness (light to dark), each with its ink.
SHADES = [
    (0, "#f1f5fa", "#1d2430"),
    (20, "#c9d9ec", "#1d2430"),
    (40, "#8fb1d8", "#1d2430"),
    (60, "#3f77b8", "#ffffff"),
    (80, "#143f73", "#ffffff"),
]
# The distribution bar: levels 1..4 from light to dark, "not yet" as an outline.
LEVEL_FILLS = ["#dfe6ef", "#a9bdd6", "#5f86b5", "#1d3f6b"]
INK, MUTED, LINE = "#1d2430", "#5a6473", "#8a93a3"
AHEAD, MATCH, BEHIND = "#b35c00", "#c3c8d0", "#00756a"


def _attrs(**values: object) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in values.items())


def _text(x: float, y: float, content: str, size: int = 11, fill: str = INK, anchor: str = "start", **more) -> str:
    extra = (" " + _attrs(**more)) if more else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{escape(content)}</text>"
    )


def _defs(prefix: str) -> str:
    """Hatching for suppressed cells, dots for "ahead", stripes for "behind"."""
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{LINE}" stroke-width="2"/></pattern>'
        f'<pattern id="{prefix}-ahead" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{AHEAD}"/><circle cx="3" cy="3" r="1.3" fill="#ffffff"/></pattern>'
        f'<pattern id="{prefix}-behind" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(-45)"><rect width="6" height="6" fill="{BEHIND}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="1.5"/></pattern>'
        "</defs>"
    )


def shade(share: float | None) -> tuple[str, str]:
    """(fill, ink) for a share at level 3 or above."""
    fill, ink = SHADES[0][1], SHADES[0][2]
    for lowest, f, i in SHADES:
        if share is not None and share >= lowest:
            fill, ink = f, i
    return fill, ink


def _wrap(name: str, width: int = 16, lines: int = 3) -> list[str]:
    words, result, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            result.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    result.append(line)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: width - 1] + "…"
    return result


def _bar(x: float, y: float, width: float, parts: list[tuple[int, str]], total: int) -> list[str]:
    """A stacked bar of counts (count, fill); what is left of `total` is an outline."""
    out = [f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="10" fill="#ffffff" stroke="{LINE}"/>']
    if total <= 0:
        return out
    left = x
    for count, fill in parts:
        w = width * count / total
        if w > 0:
            out.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="10" fill="{fill}" '
                'stroke="#ffffff" stroke-width="0.75"/>'
            )
        left += w
    return out


def _cell(x: float, y: float, cell: CellFigures, measure: str, min_cell: int, prefix: str) -> list[str]:
    w, h = COL_W - GAP, ROW_H - GAP
    if cell.suppressed:
        return [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" fill="url(#{prefix}-hatch)" stroke="{LINE}"/>',
            f'<rect x="{x + 6:.1f}" y="{y + h / 2 - 10:.1f}" width="{w - 12}" height="18" fill="#ffffff"/>',
            _text(x + w / 2, y + h / 2 + 3, f"fewer than {min_cell}", 10, INK, "middle"),
        ]
    if not cell.staff:
        return [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" fill="#ffffff" stroke="{LINE}" '
            'stroke-dasharray="3 3"/>',
            _text(x + w / 2, y + h / 2 + 4, "no staff", 10, MUTED, "middle"),
        ]
    if measure == "gap":
        ahead, match, behind, unconfirmed = cell.gap or (0, 0, 0, 0)
        net = ahead - behind
        label = f"{ahead} ahead" if net > 0 else f"{behind} behind" if net < 0 else "even"
        fill = "#fbe9d6" if net > 0 else "#d3ece8" if net < 0 else "#ffffff"
        return [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" fill="{fill}" stroke="{LINE}"/>',
            _text(x + w / 2, y + 20, label, 13, INK, "middle", font_weight="bold"),
            _text(x + w / 2, y + 33, f"▲{ahead} ={match} ▼{behind}", 10, INK, "middle"),
            *_bar(
                x + 6,
                y + h - 16,
                w - 12,
                [(ahead, f"url(#{prefix}-ahead)"), (match, MATCH), (behind, f"url(#{prefix}-behind)")],
                ahead + match + behind + unconfirmed,
            ),
        ]
    fill, ink = shade(cell.share_experienced)
    levels = cell.levels or (0, 0, 0, 0)
    share = "—" if cell.share_experienced is None else f"{cell.share_experienced:.0f}%"
    return [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" fill="{fill}" stroke="{LINE}"/>',
        _text(x + w / 2, y + 22, share, 16, ink, "middle", font_weight="bold"),
        _text(x + w / 2, y + 34, f"of {cell.staff}", 10, ink, "middle"),
        *_bar(x + 6, y + h - 16, w - 12, list(zip(levels, LEVEL_FILLS, strict=True)), cell.staff),
    ]


def at_or_above(level_names: Mapping[int, str]) -> str:
    """ "Experienced or above": the level the share counts from (3), in the framework's words."""
    return f"{level_name(dict(level_names), 3)} or above"


def heatmap(
    rows: list[HeatmapRow],
    domains: list[tuple[str, str]],
    measure: str,
    min_cell: int,
    title: str,
    total: HeatmapRow | None = None,
    level_names: Mapping[int, str] | None = None,
) -> Markup:
    """Schools (rows) x domains (columns)."""
    prefix = f"hm-{measure}"
    every = [*rows, *([total] if total else [])]
    width = NAME_W + COL_W * len(domains) + 8
    height = HEAD_H + ROW_H * len(every) + 8
    what = (
        "how many self-assess above (ahead) or below (behind) their validated level"
        if measure == "gap"
        else f"the share at {at_or_above(level_names or {})} (printed, and darker when higher) and a bar of the four "
        f"levels ({', '.join(level_name(dict(level_names or {}), n) for n in LEVEL_VALUES)})"
    )
    parts = [
        f'<svg class="heatmap" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{len(every)} rows of schools by {len(domains)} domains; each cell shows '
        f"{what}. Cells describing fewer than {min_cell} people are hatched. The table below has the same "
        "numbers.</desc>",
        _defs(prefix),
    ]
    for i, (_, name) in enumerate(domains):
        x = NAME_W + COL_W * i + (COL_W - GAP) / 2
        parts.append(_text(x, 12, str(i + 1), 11, MUTED, "middle", font_weight="bold"))
        earlier = name.endswith(EARLIER_MARK)  # a domain of an earlier framework: said on its own line
        lines = _wrap(name.removesuffix(EARLIER_MARK), lines=2) + ["(earlier framework)"] if earlier else _wrap(name)
        for j, line in enumerate(lines):
            parts.append(_text(x, 26 + 12 * j, line, 10, MUTED if earlier and j == len(lines) - 1 else INK, "middle"))
    for r, row in enumerate(every):
        y = HEAD_H + ROW_H * r
        for j, line in enumerate(_wrap(row.name, 24, 2)):
            weight = {"font_weight": "bold"} if row is total else {}
            parts.append(_text(4, y + 24 + 14 * j, line, 12, INK, **weight))
        for c, cell in enumerate(row.cells):
            parts.extend(_cell(NAME_W + COL_W * c, y, cell, measure, min_cell, prefix))
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(measure: str, min_cell: int, level_names: Mapping[int, str] | None = None) -> Markup:
    """The key, as its own small SVG; it reads in greyscale (lightness steps, printed labels)."""
    prefix = f"lg-{measure}"
    parts = [
        f'<svg class="legend" viewBox="0 0 640 74" width="640" height="74" role="img" '
        f'aria-labelledby="{prefix}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-title">Key to the chart</title>',
        _defs(prefix),
    ]
    if measure == "gap":
        items = [
            (f"url(#{prefix}-ahead)", "ahead: self-assessed above the badge"),
            (MATCH, "matches the badge"),
            (f"url(#{prefix}-behind)", "behind: self-assessed below it"),
        ]
        for i, (fill, label) in enumerate(items):
            parts.append(f'<rect x="{4 + 210 * i}" y="8" width="22" height="14" fill="{fill}" stroke="{LINE}"/>')
            parts.append(_text(32 + 210 * i, 19, label, 11))
    else:
        names = dict(level_names or {})
        parts.append(_text(4, 19, f"At {at_or_above(names)}:", 11))
        for i, (lowest, fill, ink) in enumerate(SHADES):
            x = 150 + 84 * i
            upper = 100 if i == len(SHADES) - 1 else SHADES[i + 1][0] - 1
            parts.append(f'<rect x="{x}" y="6" width="80" height="18" fill="{fill}" stroke="{LINE}"/>')
            parts.append(_text(x + 40, 19, f"{lowest}–{upper}%", 11, ink, "middle"))
        x = 4
        for level, fill in zip((level_name(names, n) for n in LEVEL_VALUES), LEVEL_FILLS, strict=True):
            parts.append(f'<rect x="{x}" y="34" width="14" height="10" fill="{fill}" stroke="{LINE}"/>')
            parts.append(_text(x + 18, 43, level, 11))
            x += 30 + 7 * len(level)
        parts.append(f'<rect x="{x}" y="34" width="14" height="10" fill="#ffffff" stroke="{LINE}"/>')
        parts.append(_text(x + 18, 43, "not yet rated (bar, left to right)", 11))
    parts.append(f'<rect x="4" y="52" width="30" height="16" fill="url(#{prefix}-hatch)" stroke="{LINE}"/>')
    parts.append(_text(40, 64, f"fewer than {min_cell} people: not shown", 11))
    parts.append("</svg>")
    return Markup("".join(parts))


TREND_W, TREND_H, PAD_L, PAD_B = 300, 130, 34, 22


def trend_chart(
    domain_name: str,
    validated: TrendSeries | None,
    self_: TrendSeries | None,
    min_cell: int,
    level_names: Mapping[int, str] | None = None,
) -> Markup:
    """Share at level 3 or above per month: validated (solid) and self-assessed (dashed)."""
    points = {"validated": validated.points if validated else [], "self": self_.points if self_ else []}
    months = sorted({m for series in points.values() for m, _ in series})
    title = f"{domain_name}: share at {at_or_above(level_names or {})} by month"
    parts = [
        f'<svg class="trend" viewBox="0 0 {TREND_W} {TREND_H}" width="{TREND_W}" height="{TREND_H}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        "<desc>Solid line with circles: validated; dashed line with squares: self-assessed. "
        "The table below has the same numbers.</desc>",
    ]
    top, bottom = 8, TREND_H - PAD_B
    for pct in (0, 50, 100):
        y = bottom - (bottom - top) * pct / 100
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{TREND_W - 6}" y2="{y:.1f}" stroke="#d6dae1"/>')
        parts.append(_text(PAD_L - 4, y + 4, f"{pct}%", 10, MUTED, "end"))
    if not months:
        parts.append(_text(PAD_L + 10, TREND_H / 2, "no history yet", 11, MUTED))
        parts.append("</svg>")
        return Markup("".join(parts))
    step = (TREND_W - PAD_L - 20) / max(1, len(months) - 1)

    def x_of(month: date) -> float:
        return PAD_L + 8 + (months.index(month) * step if len(months) > 1 else (TREND_W - PAD_L - 20) / 2)

    for month in (months[0], months[-1]):
        parts.append(_text(x_of(month), TREND_H - 6, month.strftime("%b %Y"), 10, MUTED, "middle"))
    for measure, colour, dash in (("validated", "#1f5fa8", ""), ("self", "#6b4c9a", ' stroke-dasharray="5 3"')):
        coords = [(x_of(m), bottom - (bottom - top) * v / 100) for m, v in points[measure] if v is not None]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in coords:
            if measure == "validated":
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            else:
                parts.append(f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>')
    if all(v is None for series in points.values() for _, v in series):
        parts.append(_text(PAD_L + 10, TREND_H / 2, f"fewer than {min_cell} people: not shown", 11, MUTED))
    parts.append("</svg>")
    return Markup("".join(parts))
