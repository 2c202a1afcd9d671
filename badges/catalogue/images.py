"""Badge images: one SVG or PNG per domain and level, drawn by the service (no network, no fonts fetched).

The image is a shield in the level's colour with the domain number, the level name and its
value as stars. Text is escaped; nothing in the SVG runs (no script, no external references).
The PNG is the same design drawn with Pillow and its built-in font, so it is the same bytes on
every run with the same Pillow (baked credentials are added to a copy, see credentials.baking).
"""

from __future__ import annotations

import io
import math
import unicodedata
from typing import NamedTuple
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

# Colours with at least 4.5:1 contrast against the white text on them.
LEVEL_COLOURS = {1: "#2f6f4f", 2: "#1f5f8b", 3: "#6b3fa0", 4: "#8a4b08"}
OTHER_COLOUR = "#444444"
WIDTH, HEIGHT, CENTRE_X = 240, 280, 120
MAX_NAME_CHARS = 34


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


def _stars(level_value: int) -> tuple[int, int]:
    """How many filled and hollow stars: the level's value out of four."""
    return max(level_value, 0), max(4 - level_value, 0)


def _short_name(domain_name: str) -> str:
    return domain_name if len(domain_name) <= MAX_NAME_CHARS else domain_name[: MAX_NAME_CHARS - 1] + "\u2026"


def badge_svg(domain_position: int, domain_name: str, level_value: int, level_name: str) -> str:
    colour = LEVEL_COLOURS.get(level_value, OTHER_COLOUR)
    filled, hollow = _stars(level_value)
    stars = "\u2605" * filled + "\u2606" * hollow
    title = escape(f"{domain_name}: {level_name} ({level_value})")
    name = escape(_short_name(domain_name))
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t">
  <title id="t">{title}</title>
  <path d="{_svg_path(OUTER)}" fill="{colour}"/>
  <path d="{_svg_path(INNER)}" fill="none" stroke="#ffffff" stroke-width="3"/>
  <text x="120" y="112" font-family="Helvetica, Arial, sans-serif" font-size="64" font-weight="700" fill="#ffffff" text-anchor="middle">{domain_position}</text>
  <text x="120" y="150" font-family="Helvetica, Arial, sans-serif" font-size="24" font-weight="700" fill="#ffffff" text-anchor="middle">{escape(level_name)}</text>
  <text x="120" y="182" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#ffffff" text-anchor="middle">{stars}</text>
  <text x="120" y="214" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#ffffff" text-anchor="middle">{name}</text>
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


def _star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(((cx + radius * math.cos(angle)) * SCALE, (cy + radius * math.sin(angle)) * SCALE))
    return points


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


def badge_png(domain_position: int, domain_name: str, level_value: int, level_name: str) -> bytes:
    colour = LEVEL_COLOURS.get(level_value, OTHER_COLOUR)
    image = Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield_points(OUTER), fill=colour)
    inner = _shield_points(INNER)
    draw.line(inner + inner[:1], fill=WHITE, width=3 * SCALE, joint="curve")
    _text(draw, 112, str(domain_position), 64, 150, 32, bold=True)
    _text(draw, 150, level_name, 24, 156, 14, bold=True)
    filled, hollow = _stars(level_value)
    filled = min(filled, 4)  # a value above four would run off the shield
    count = filled + hollow
    for i in range(count):
        star = _star_points(CENTRE_X + (i - (count - 1) / 2) * 24, 174, 10, 4.2)
        if i < filled:
            draw.polygon(star, fill=WHITE)
        else:
            draw.polygon(star, outline=WHITE, width=round(1.5 * SCALE))
    _text(draw, 214, _short_name(domain_name), 11, 112, 8)
    small = image.convert("RGBa").resize((WIDTH, HEIGHT), Image.Resampling.BOX).convert("RGBA")
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=False)
    return out.getvalue()
