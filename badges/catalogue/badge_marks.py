"""What each badge image shows, as data both renderers read (badges.catalogue.images draws it as SVG and,
with Pillow, as PNG): so the two can never drift apart.

Each domain has its own colour and its own mark, a simple glyph drawn from a few shapes in a 100 x 100
box; the level is its name and 1-4 filled pips, never a lone number (a big "3" reads as the domain).
The domain's name is wrapped over two lines, or, when even that is too long, replaced by a short form
chosen on purpose (the full name stays in the SVG's <title>). A framework with other domain codes
still gets distinct art: marks and colours are then taken in turn by the domain's position.
"""

from __future__ import annotations

import math
from typing import NamedTuple

Point = tuple[float, float]


class Shape(NamedTuple):
    """One piece of a mark. kind: "fill" (polygon), "cut" (polygon in the badge colour, a hole),
    "line" (polyline of `width`), "ring" (circle outline of `width`), "dot" (filled circle),
    "cutdot" (circle in the badge colour). Circles are `points[0]` with radius `radius`."""

    kind: str
    points: tuple[Point, ...]
    width: float = 0
    radius: float = 0


class DomainArt(NamedTuple):
    colour: str
    mark: tuple[Shape, ...]
    short_name: str | None  # used only when the full name does not fit on two lines


def _fill(*points: Point) -> Shape:
    return Shape("fill", points)


def _cut(*points: Point) -> Shape:
    return Shape("cut", points)


def _rect(x0: float, y0: float, x1: float, y1: float, kind: str = "fill") -> Shape:
    return Shape(kind, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


def _line(width: float, *points: Point) -> Shape:
    return Shape("line", points, width=width)


def _ring(cx: float, cy: float, radius: float, width: float) -> Shape:
    return Shape("ring", ((cx, cy),), width=width, radius=radius)


def _dot(cx: float, cy: float, radius: float, kind: str = "dot") -> Shape:
    return Shape(kind, ((cx, cy),), radius=radius)


def _gear(teeth: int = 8, outer: float = 45, inner: float = 34) -> Shape:
    points: list[Point] = []
    for i in range(teeth * 4):
        radius = outer if i % 4 in (1, 2) else inner
        angle = 2 * math.pi * i / (teeth * 4)
        points.append((round(50 + radius * math.cos(angle), 2), round(50 + radius * math.sin(angle), 2)))
    return Shape("fill", tuple(points))


def _heart() -> Shape:
    points: list[Point] = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((round(50 + 2.6 * x, 2), round(46 - 2.6 * y, 2)))
    return Shape("fill", tuple(points))


# Colours chosen for at least 4.5:1 contrast with the white mark and text on them (tests check it).
DOMAIN_ART: dict[str, DomainArt] = {
    # Speech bubble: talking with families, students and the community.
    "engagement-communication": DomainArt(
        "#1f5f8b",
        (
            _fill((10, 16), (90, 16), (90, 66), (48, 66), (26, 88), (30, 66), (10, 66)),
            _dot(30, 41, 6.5, "cutdot"),
            _dot(50, 41, 6.5, "cutdot"),
            _dot(70, 41, 6.5, "cutdot"),
        ),
        None,
    ),
    # Target: each learner's own goal, proficiency hit.
    "personalization-proficiency": DomainArt(
        "#6b3fa0", (_ring(50, 50, 39, 9), _ring(50, 50, 21, 9), _dot(50, 50, 7)), "Personalization and Proficiency"
    ),
    # Columns under a pediment: the structures learning stands on.
    "infrastructure-for-learning": DomainArt(
        "#2f6f4f",
        (
            _fill((50, 6), (94, 30), (6, 30)),
            _rect(14, 36, 28, 78),
            _rect(43, 36, 57, 78),
            _rect(72, 36, 86, 78),
            _rect(6, 82, 94, 93),
        ),
        "Infrastructure for Learning",
    ),
    # Gear: the running of the school.
    "delivery-operations": DomainArt("#8a4b08", (_gear(), _dot(50, 50, 14, "cutdot")), None),
    # Clock: learning at any time, in any place.
    "anytime-anywhere-supports": DomainArt(
        "#0b6770",
        (_ring(50, 50, 40, 8), _line(8, (50, 24), (50, 50), (68, 62)), _dot(50, 50, 5)),
        "Anytime/Anywhere Supports",
    ),
    # A rising line with its arrow: getting better, measured.
    "continuous-improvement": DomainArt(
        "#a1283c",
        (
            _line(7, (10, 10), (10, 90), (92, 90)),
            _line(8, (22, 74), (42, 52), (58, 64), (78, 36)),
            _fill((92, 18), (86, 48), (64, 30)),
        ),
        "Continuous Improvement",
    ),
    # Heart: caring for and supporting the adults.
    "supporting-educators": DomainArt("#9c2b6a", (_heart(),), None),
    # Screen on a stand.
    "information-technology": DomainArt(
        "#3b4f8c",
        (
            _rect(8, 14, 92, 68),
            _rect(17, 23, 83, 59, "cut"),
            _fill((42, 68), (58, 68), (62, 81), (38, 81)),
            _rect(26, 81, 74, 89),
        ),
        None,
    ),
    # Compass star: finding direction through change.
    "adaptive-leadership": DomainArt(
        "#56600f",
        (
            _ring(50, 50, 42, 6),
            _fill((50, 8), (58, 42), (92, 50), (58, 58), (50, 92), (42, 58), (8, 50), (42, 42)),
            _dot(50, 50, 5, "cutdot"),
        ),
        "Adaptive Leadership and Change",
    ),
}
_IN_TURN = list(DOMAIN_ART.values())
PIPS = 4
LINE_CHARS = 26  # what fits across the shield at the name's size (11 px Helvetica or the PNG's font)


def art_for(domain_code: str | None, domain_position: int) -> DomainArt:
    """The domain's own art; for a code this service does not know, the art of its position, in turn."""
    known = DOMAIN_ART.get(domain_code or "")
    return known if known is not None else _IN_TURN[(max(domain_position, 1) - 1) % len(_IN_TURN)]


def pips(level_value: int) -> tuple[bool, ...]:
    """Four pips, the first `level_value` filled."""
    filled = min(max(level_value, 0), PIPS)
    return tuple(i < filled for i in range(PIPS))


def _balanced(words: list[str]) -> tuple[str, ...]:
    """The split into at most two lines whose longer line is shortest."""
    whole = " ".join(words)
    if len(whole) <= LINE_CHARS or len(words) == 1:
        return (whole,)
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min(splits, key=lambda lines: max(len(lines[0]), len(lines[1])))


def name_lines(domain_name: str, short_name: str | None = None) -> tuple[str, ...]:
    """The domain's name over one or two lines of at most LINE_CHARS: the full name if it fits, else the
    short form, else the full name cut with an ellipsis."""
    for candidate in (domain_name, short_name):
        if candidate:
            lines = _balanced(candidate.split())
            if all(len(line) <= LINE_CHARS for line in lines):
                return lines
    lines = _balanced((short_name or domain_name).split())
    return tuple(line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1].rstrip() + "\u2026" for line in lines)
