"""Public badge classes: what each badge is and looks like, for anyone (verifiers and backpacks fetch them).

/badge-classes/<id> is the id of the OB 3.0 Achievement in every credential of that badge, so it resolves:
a page for people, the Achievement as JSON-LD for machines (Accept: application/json or ld+json).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request

from ..credentials import urls
from ..credentials.credential import achievement_document
from ..credentials.holder import png_image
from ..educator.common import MAX_ID
from ..extensions import db
from ..models import BadgeClass
from ..validation.badge_classes import level_of
from ..validation.images import badge_svg

bp = Blueprint("badge_images", __name__, url_prefix="/badge-classes")
CACHE = "public, max-age=86400"
JSON_LD, JSON = "application/ld+json", "application/json"


def _badge_class_or_404(badge_class_id: int) -> BadgeClass:
    badge_class = db.session.get(BadgeClass, badge_class_id) if 0 < badge_class_id <= MAX_ID else None
    if badge_class is None:
        abort(404, "There is no such badge.")
    return badge_class


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


@bp.get("/<int:badge_class_id>")
def achievement(badge_class_id: int) -> Response:
    """The Achievement a credential names: JSON-LD to a client that asks for JSON, else the page."""
    badge_class = _badge_class_or_404(badge_class_id)
    document = achievement_document(badge_class)
    accepted = request.accept_mimetypes
    wanted = accepted.best_match(["text/html", JSON_LD, JSON], default="text/html")
    if wanted == "text/html":
        response = Response(render_template("public/badge_class.html", badge=badge_class, achievement=document,
                                            level=level_of(badge_class), json_url=urls.achievement(badge_class)))
    else:
        response = Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype=wanted)
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Vary"] = "Accept"  # one URL, two representations: caches must keep them apart
    return response
