"""Public badge classes: what each badge is and looks like, for anyone (verifiers and backpacks fetch them).

/badge-classes/<id> is the id of the OB 3.0 Achievement in every credential of that badge, so it resolves:
a page for people, the Achievement as JSON-LD for machines (Accept: application/json or ld+json).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from ..access import get_visible_or_404
from ..catalogue.badge_classes import level_of
from ..credentials import urls
from ..credentials.credential import achievement_document
from ..credentials.holder import png_image, svg_image
from ..models import BadgeClass

bp = Blueprint("badge_images", __name__, url_prefix="/badge-classes")
CACHE = "public, max-age=86400"
JSON_LD, JSON = "application/ld+json", "application/json"


def _badge_class_or_404(badge_class_id: int) -> BadgeClass:
    return get_visible_or_404(BadgeClass, badge_class_id, None)


@bp.get("/<int:badge_class_id>/image.svg")
def image(badge_class_id: int):
    response = Response(svg_image(_badge_class_or_404(badge_class_id)), mimetype="image/svg+xml")
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
        response = Response(
            render_template(
                "public/badge_class.html",
                badge=badge_class,
                achievement=document,
                level=level_of(badge_class),
                json_url=urls.achievement(badge_class),
            )
        )
    else:
        response = Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype=wanted)
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Vary"] = "Accept"  # one URL, two representations: caches must keep them apart
    return response
