"""Badge art: each domain its own colour and mark, the level by name and pips (never a lone number), the
domain's name on at most two lines with the full name in <title>, the same design in SVG and PNG, and a
PNG still told apart at 64 px."""

from __future__ import annotations

import io
import re
from itertools import combinations
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageChops, ImageStat
from sqlalchemy import select

from badges.catalogue.badge_marks import DOMAIN_ART, LINE_CHARS, name_lines
from badges.catalogue.images import DOMAIN_COLOURS, badge_png, badge_svg
from badges.extensions import db
from badges.models import BadgeClass

SVG = "{http://www.w3.org/2000/svg}"
# The shipped framework's level names (badge art is handed the name of its badge class's level).
LEVEL_NAMES = {1: "Explorer", 2: "Novice", 3: "Experienced", 4: "Expert"}


@pytest.fixture
def domains(framework):
    """(code, position, name) of the shipped framework's nine domains."""
    return [(d.code, d.position, d.name) for d in framework.domains]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def mark_of(svg: str) -> str:
    return re.search(r'<g class="mark">(.*?)</g>', svg, re.S).group(1)


def test_every_shipped_domain_has_its_own_colour_and_mark(domains):
    assert {code for code, _, _ in domains} == set(DOMAIN_ART)
    svgs = [badge_svg(position, name, 3, "Experienced", code) for code, position, name in domains]
    assert len({mark_of(svg) for svg in svgs}) == len(domains)
    assert len(set(DOMAIN_COLOURS.values())) == len(domains)
    for (code, _, _), svg in zip(domains, svgs, strict=True):
        assert f'fill="{DOMAIN_COLOURS[code]}"' in svg
        assert "<path" in mark_of(svg) and "<text" not in mark_of(svg)  # drawn, not lettered


@pytest.mark.parametrize("colour", sorted(DOMAIN_COLOURS.values()))
def test_white_on_each_domain_colour_is_readable(colour):
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_level_is_its_name_and_pips_never_a_lone_number(domains, level):
    code, position, name = domains[3]
    svg = badge_svg(position, name, level, LEVEL_NAMES[level], code)
    shown = texts(svg)
    assert LEVEL_NAMES[level] in shown
    assert not any(re.fullmatch(r"\s*\d+\s*", text) for text in shown), shown
    pips = re.search(r'<g class="pips">(.*?)</g>', svg, re.S).group(1)
    assert pips.count('fill="#ffffff"') == level and pips.count('fill="none"') == 4 - level


def test_long_domain_names_wrap_or_shorten_and_the_title_keeps_them_whole(domains):
    for code, position, name in domains:
        svg = badge_svg(position, name, 2, "Novice", code)
        title = ElementTree.fromstring(svg).find(f"{SVG}title").text
        assert title == f"{name}: Novice (2 of 4)"
        lines = [text for text in texts(svg) if text != "Novice"]
        assert 1 <= len(lines) <= 2 and all(len(line) <= LINE_CHARS for line in lines), lines
    assert name_lines("Designing for Personalization and Proficiency", "Personalization and Proficiency") == (
        "Personalization",
        "and Proficiency",
    )
    assert name_lines("Delivery and Operations") == ("Delivery and Operations",)
    assert name_lines("x" * 80) == ("x" * (LINE_CHARS - 1) + "\u2026",)


def test_unknown_domain_codes_still_get_distinct_art():
    marks = {mark_of(badge_svg(position, f"Domain {position}", 1, "Explorer", "other")) for position in range(1, 10)}
    assert len(marks) == 9
    assert "<script" not in badge_svg(1, "<script>alert(1)</script>", 1, "<b>", None)


def _png(code: str, position: int, name: str, level: int = 3) -> Image.Image:
    return Image.open(io.BytesIO(badge_png(position, name, level, LEVEL_NAMES[level], code))).convert("RGBA")


def test_the_png_is_the_same_design_as_the_svg(domains):
    for code, position, name in domains:
        image = _png(code, position, name)
        assert image.size == (240, 280)
        assert image.getpixel((22, 140)) == (*bytes.fromhex(DOMAIN_COLOURS[code][1:]), 255)  # the shield
        assert image.getpixel((2, 2))[3] == 0  # transparent outside it
        # Pips at x = 90, 110, 130, 150: three filled, the fourth hollow (the shield shows through).
        assert [image.getpixel((x, 167)) for x in (90, 110, 130)] == [(255, 255, 255, 255)] * 3
        assert image.getpixel((150, 167))[:3] == tuple(bytes.fromhex(DOMAIN_COLOURS[code][1:]))


def test_pngs_decode_and_stay_distinct_at_64_px(domains):
    small = {}
    for code, position, name in domains:
        image = _png(code, position, name).resize((64, 75), Image.Resampling.LANCZOS)
        image.load()
        assert image.size == (64, 75)
        small[code] = image
    for a, b in combinations(small, 2):
        difference = ImageStat.Stat(ImageChops.difference(small[a], small[b]).convert("L")).mean[0]
        assert difference > 8, f"{a} and {b} look alike at 64 px"
    # The mark alone differs at 64 px too (the same colour would not be enough for a colour-blind reader).
    marks = [
        ImageChops.invert(img.convert("L")).crop((16, 10, 48, 34)).point(lambda v: 255 if v < 40 else 0)
        for img in small.values()
    ]
    for a, b in combinations(marks, 2):
        assert ImageStat.Stat(ImageChops.difference(a, b)).mean[0] > 10


def test_the_served_images_are_the_domains_art(client, framework):
    badge = db.session.scalar(select(BadgeClass).where(BadgeClass.level == 4).order_by(BadgeClass.id).limit(1))
    svg = client.get(f"/badge-classes/{badge.id}/image.svg").get_data(as_text=True)
    assert f'fill="{DOMAIN_COLOURS[badge.domain.code]}"' in svg and "Expert" in texts(svg)
    png = client.get(f"/badge-classes/{badge.id}/image.png")
    with Image.open(io.BytesIO(png.get_data())) as image:
        assert image.convert("RGBA").getpixel((22, 140))[:3] == tuple(
            bytes.fromhex(DOMAIN_COLOURS[badge.domain.code][1:])
        )
