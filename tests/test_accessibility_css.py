"""The stylesheet's colours against WCAG 2.x: the focus ring is seen (3:1, 1.4.11) on the page's background and on
white, and text is readable (4.5:1, 1.4.3). Ratios are computed from the CSS variables themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STYLE = Path(__file__).resolve().parents[1] / "badges" / "static" / "style.css"
WHITE = "#ffffff"


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", STYLE.read_text(encoding="utf-8"))
    assert root, "style.css has no :root block"
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", root.group(1)))


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #rgb or #rrggbb."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_formula_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#fff", "#fff") == pytest.approx(1.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffbf47", "#fbfbfd") < 3  # the old focus colour, the reason for this test


@pytest.mark.parametrize("background", ["bg", "white"])
def test_focus_outline_stands_out_from_the_page_and_from_white(background):
    colours = variables()
    other = WHITE if background == "white" else colours[background]
    assert contrast(colours["focus"], other) >= 3, (colours["focus"], other)


def test_inner_ring_stands_out_from_the_outline_for_dark_controls():
    colours = variables()
    assert contrast(colours["focus-inner"], colours["focus"]) >= 3
    assert contrast(colours["focus-inner"], colours["accent"]) >= 3  # around a primary (blue) button


def test_focus_uses_the_variables_on_focus_visible():
    css = STYLE.read_text(encoding="utf-8")
    rule = re.search(r"(^|\n):focus-visible\s*\{([^}]*)\}", css)
    assert rule, "no :focus-visible rule"
    assert "var(--focus)" in rule.group(2) and "var(--focus-inner)" in rule.group(2)
    assert not re.search(r"outline\s*:\s*(none|0)[^}]*\}", css.split("main:focus", 1)[0]), "focus hidden somewhere"


@pytest.mark.parametrize(
    ("text", "background"),
    [("ink", "bg"), ("muted", "bg"), ("muted", "white"), ("accent", "bg"), ("accent", "white"), ("white", "accent")],
)
def test_text_colours_are_readable(text, background):
    colours = variables() | {"white": WHITE}
    assert contrast(colours[text], colours[background]) >= 4.5, (text, background)
