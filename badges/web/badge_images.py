"""Public badge images: anyone may see what a badge looks like (verifiers and backpacks fetch them)."""

from __future__ import annotations

from flask import Blueprint, Response

from ..access import get_visible_or_404
from ..catalogue.badge_classes import level_of
from ..catalogue.images import badge_svg
from ..credentials.holder import png_image
from ..models import BadgeClass

bp = Blueprint("badge_images", __name__, url_prefix="/badge-classes")
CACHE = "public, max-age=86400"


def _badge_class_or_404(badge_class_id: int) -> BadgeClass:
    return get_visible_or_404(BadgeClass, badge_class_id, None)


@bp.get("/<int:badge_class_id>/image.svg")
def image(badge_class_id: int):
    badge_class = _badge_class_or_404(badge_class_id)
    level = level_of(badge_class)
    svg = badge_svg(badge_class.domain.position, badge_class.domain.name, level.value, level.name)
    response = Response(svg, mimetype="image/svg+xml")
    # An SVG opened directly must not run anything: no scripts, no external loads.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["Cache-Control"] = CACHE
    return response


@bp.get("/<int:badge_class_id>/image.png")
def image_png(badge_class_id: int):
    """The same design as a PNG: what OB 2.0 BadgeClasses and OB 3.0 achievements name as their image,
    since many backpacks show only PNGs (and OB 2.0 bakes only PNG or SVG)."""
    response = Response(png_image(_badge_class_or_404(badge_class_id)), mimetype="image/png")
    response.headers["Cache-Control"] = CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
