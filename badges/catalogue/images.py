"""Badge images: one SVG or PNG per domain and level, drawn by the service (no network, no fonts fetched).

The image is a shield in the domain's colour with the domain's own mark, the level's name, its value as
one to four filled pips (never a lone number, which would read as the domain), and the domain's name on
up to two lines. What is drawn is data in badges.catalogue.badge_marks, read by both renderers below, so
the SVG and the PNG are the same design. Text is escaped; nothing in the SVG runs (no script, no external
references). The PNG is drawn with Pillow and its built-in font, so it is the same bytes on every run
with the same Pillow (baked credentials are added to a copy, see credentials.baking).
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from .badge_marks import DOMAIN_ART, Shape, art_for, name_lines, pips

# The domains' colours, by code (each with at least 4.5:1 contrast against the white drawn on it).
DOMAIN_COLOURS = {code: art.colour for code, art in DOMAIN_ART.items()}
WIDTH, HEIGHT, CENTRE_X = 240, 280, 120
# Where the 100 x 100 mark box sits on the shield, and how large.
MARK_SCALE, MARK_CENTRE_Y = 0.7, 82
LEVEL_Y, PIP_Y, PIP_RADIUS, PIP_GAP = 146, 167, 6, 20
NAME_LINES_Y = {1: (199,), 2: (192, 206)}
FONT = "Helvetica, Arial, sans-serif"


class _Shield(NamedTuple):
    """A symmetric shield: a point at the top, straight shoulders, two cubic curves to the tip."""

    top: int
    half_width: int
    shoulder: int
    waist: int  # where the straight sides end and the curves begin
    control_y: int  # first control point, straight below the side
    inner_dx: int  # second control point, measured from the centre line
    inner_y: int
    tip: int


Point = tuple[float, float]
OUTER = _Shield(8, 104, 44, 140, 206, 56, 252, 272)
INNER = _Shield(22, 90, 53, 140, 198, 48, 238, 256)


def _svg_path(s: _Shield) -> str:
    right, left = CENTRE_X + s.half_width, CENTRE_X - s.half_width
    return (
        f"M{CENTRE_X} {s.top} L{right} {s.shoulder} V{s.waist} "
        f"C{right} {s.control_y} {CENTRE_X + s.inner_dx} {s.inner_y} {CENTRE_X} {s.tip} "
        f"C{CENTRE_X - s.inner_dx} {s.inner_y} {left} {s.control_y} {left} {s.waist} V{s.shoulder} Z"
    )


def _placed(point: Point) -> Point:
    """A point of the mark's 100 x 100 box on the 240 x 280 shield."""
    x, y = point
    return (round(CENTRE_X + (x - 50) * MARK_SCALE, 2), round(MARK_CENTRE_Y + (y - 50) * MARK_SCALE, 2))


def _n(value: float) -> str:
    return f"{value:g}"


def _circle_path(cx: float, cy: float, r: float) -> str:
    return f"M{_n(cx - r)} {_n(cy)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"


def _svg_shape(shape: Shape, colour: str) -> str:
    points = [_placed(p) for p in shape.points]
    if shape.kind in ("fill", "cut"):
        d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points) + "Z"
        return f'<path d="{d}" fill="{"#ffffff" if shape.kind == "fill" else colour}"/>'
    if shape.kind == "line":
        d = "M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in points)
        width = _n(round(shape.width * MARK_SCALE, 2))
        return (
            f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    (cx, cy), r = points[0], round(shape.radius * MARK_SCALE, 2)
    if shape.kind == "ring":
        width = _n(round(shape.width * MARK_SCALE, 2))
        return f'<path d="{_circle_path(cx, cy, r)}" fill="none" stroke="#ffffff" stroke-width="{width}"/>'
    return f'<path d="{_circle_path(cx, cy, r)}" fill="{"#ffffff" if shape.kind == "dot" else colour}"/>'


def _pip_centres() -> list[Point]:
    count = len(pips(0))
    return [(CENTRE_X + (i - (count - 1) / 2) * PIP_GAP, PIP_Y) for i in range(count)]


def badge_svg(
    domain_position: int, domain_name: str, level_value: int, level_name: str, domain_code: str | None = None
) -> str:
    art = art_for(domain_code, domain_position)
    colour = art.colour
    title = escape(f"{domain_name}: {level_name} ({level_value} of 4)")
    mark = "\n    ".join(_svg_shape(shape, colour) for shape in art.mark)
    pip_paths = "\n    ".join(
        f'<path d="{_circle_path(x, y, PIP_RADIUS)}" fill="{"#ffffff" if filled else "none"}" stroke="#ffffff" '
        'stroke-width="2"/>'
        for (x, y), filled in zip(_pip_centres(), pips(level_value), strict=True)
    )
    lines = name_lines(domain_name, art.short_name)
    name = "\n  ".join(
        f'<text x="{CENTRE_X}" y="{y}" font-family="{FONT}" font-size="11" fill="#ffffff" text-anchor="middle">'
        f"{escape(line)}</text>"
        for y, line in zip(NAME_LINES_Y[len(lines)], lines, strict=True)
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t">
  <title id="t">{title}</title>
  <path d="{_svg_path(OUTER)}" fill="{colour}"/>
  <path d="{_svg_path(INNER)}" fill="none" stroke="#ffffff" stroke-width="3"/>
  <g class="mark">
    {mark}
  </g>
  <text x="{CENTRE_X}" y="{LEVEL_Y}" font-family="{FONT}" font-size="22" font-weight="700" fill="#ffffff" text-anchor="middle">{escape(level_name)}</text>
  <g class="pips">
    {pip_paths}
  </g>
  {name}
</svg>
"""


# --- PNG: drawn SCALE times larger and averaged down, which smooths the edges ---------------

SCALE = 4
WHITE = (255, 255, 255, 255)


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 32) -> list[tuple[float, float]]:
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        x, y = (
            u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
            for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
        )
        points.append((x, y))
    return points


def _shield_points(s: _Shield) -> list[tuple[float, float]]:
    c, right, left = CENTRE_X, CENTRE_X + s.half_width, CENTRE_X - s.half_width
    points: list[Point] = [(c, s.top), (right, s.shoulder), (right, s.waist)]
    points += _bezier((right, s.waist), (right, s.control_y), (c + s.inner_dx, s.inner_y), (c, s.tip))
    points += _bezier((c, s.tip), (c - s.inner_dx, s.inner_y), (left, s.control_y), (left, s.waist))
    points.append((left, s.shoulder))
    return [(x * SCALE, y * SCALE) for x, y in points]


# Pillow's built-in font covers printable ASCII and a few quotes; letters it lacks would be boxes.
_FONT_EXTRA = "\u2018\u2019\u201c\u201d\u2026"
_FOLD = str.maketrans(
    {
        "\u00df": "ss",
        "\u00e6": "ae",
        "\u00c6": "AE",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u00f8": "o",
        "\u00d8": "O",
        "\u0142": "l",
        "\u0141": "L",
        "\u0111": "d",
        "\u0110": "D",
        "\u2013": "-",
        "\u2014": "-",
    }
)


def _drawable(text: str) -> str:
    """Text the built-in font can draw: accents dropped (\u00c9quit\u00e9 -> Equite), other letters '?'."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c if " " <= c <= "~" or c in _FONT_EXTRA else "?" for c in folded if not unicodedata.combining(c))


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size * SCALE)


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int, min_size: int
) -> tuple[str, ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """The text and font that fit max_width: a smaller size first, then a shorter text."""
    for candidate in range(size, min_size - 1, -1):
        font = _font(candidate)
        if draw.textlength(text, font=font) <= max_width * SCALE:
            return text, font
    while len(text) > 1 and draw.textlength(text, font=font) > max_width * SCALE:
        text = text[:-2].rstrip() + "\u2026"
    return text, font


def _text(
    draw: ImageDraw.ImageDraw, y: int, text: str, size: int, max_width: int, min_size: int, bold: bool = False
) -> None:
    text, font = _fitted(draw, _drawable(text), size, max_width, min_size)
    stroke = max(1, round(size * SCALE / 40)) if bold else 0
    draw.text(
        (CENTRE_X * SCALE, y * SCALE), text, font=font, fill=WHITE, anchor="ms", stroke_width=stroke, stroke_fill=WHITE
    )


def _hex(colour: str) -> tuple[int, int, int, int]:
    return (*bytes.fromhex(colour[1:]), 255)


def _disc(draw: ImageDraw.ImageDraw, centre: Point, radius: float, **style: Any) -> None:
    x, y = centre
    box = ((x - radius) * SCALE, (y - radius) * SCALE, (x + radius) * SCALE, (y + radius) * SCALE)
    draw.ellipse(box, **style)


def _draw_shape(draw: ImageDraw.ImageDraw, shape: Shape, colour: tuple[int, int, int, int]) -> None:
    """One shape of the mark, as _svg_shape draws it: strokes centred on the path, round line ends."""
    points = [_placed(p) for p in shape.points]
    scaled = [(x * SCALE, y * SCALE) for x, y in points]
    if shape.kind in ("fill", "cut"):
        draw.polygon(scaled, fill=WHITE if shape.kind == "fill" else colour)
    elif shape.kind == "line":
        width = shape.width * MARK_SCALE
        draw.line(scaled, fill=WHITE, width=round(width * SCALE), joint="curve")
        for point in (points[0], points[-1]):
            _disc(draw, point, width / 2, fill=WHITE)
    elif shape.kind == "ring":
        width = shape.width * MARK_SCALE
        _disc(draw, points[0], shape.radius * MARK_SCALE + width / 2, outline=WHITE, width=round(width * SCALE))
    else:
        _disc(draw, points[0], shape.radius * MARK_SCALE, fill=WHITE if shape.kind == "dot" else colour)


def badge_png(
    domain_position: int, domain_name: str, level_value: int, level_name: str, domain_code: str | None = None
) -> bytes:
    art = art_for(domain_code, domain_position)
    colour = _hex(art.colour)
    image = Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield_points(OUTER), fill=colour)
    inner = _shield_points(INNER)
    draw.line(inner + inner[:1], fill=WHITE, width=3 * SCALE, joint="curve")
    for shape in art.mark:
        _draw_shape(draw, shape, colour)
    _text(draw, LEVEL_Y, level_name, 22, 156, 14, bold=True)
    for centre, filled in zip(_pip_centres(), pips(level_value), strict=True):
        _disc(draw, centre, PIP_RADIUS + 1, fill=WHITE if filled else None, outline=WHITE, width=2 * SCALE)
    lines = name_lines(domain_name, art.short_name)
    for y, line in zip(NAME_LINES_Y[len(lines)], lines, strict=True):
        _text(draw, y, line, 11, 150, 8)
    small = image.convert("RGBa").resize((WIDTH, HEIGHT), Image.Resampling.BOX).convert("RGBA")
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=False)
    return out.getvalue()
