"""Open Badges 2.0 hosted verification documents: Assertion, BadgeClass, Issuer Profile.

Public, read by backpacks and validators on other sites: no sign-in, CORS open to any origin.
JSON-LD is served as application/ld+json, or application/json to a client that accepts only that
(OB 2.0 "Setting Content-Type"). A revoked assertion answers 410 Gone with {"revoked": true, ...}.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request

from ..access import found_or_404, get_visible_or_404
from ..credentials import ob2
from ..credentials.holder import award_by_credential_uuid
from ..credentials.verification import district_by_slug
from ..errors import json_errors
from ..models import BadgeClass

bp = json_errors(Blueprint("ob2", __name__, url_prefix="/ob2"))

JSON_LD, JSON = "application/ld+json", "application/json"


def _document(document: dict, status: int = 200, cache: str = "public, max-age=300") -> Response:
    accepted = request.accept_mimetypes
    mimetype = JSON if accepted.quality(JSON) > accepted.quality(JSON_LD) else JSON_LD
    response = Response(json.dumps(document, ensure_ascii=False, indent=1), status=status, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = cache
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/assertions/<credential_uuid>")
def assertion(credential_uuid: str):
    """The hosted Assertion; read fresh on every request, so a revocation is seen at once."""
    award = found_or_404(award_by_credential_uuid(credential_uuid), "There is no such assertion here.")
    document, status = ob2.hosted_assertion(award)
    return _document(document, status, cache="no-cache")


@bp.get("/badge-classes/<int:badge_class_id>")
def badge_class(badge_class_id: int):
    """The BadgeClass as issued by one district: ?issuer=<slug>, or the only district that can issue it."""
    badge = get_visible_or_404(BadgeClass, badge_class_id, None)
    issuers = ob2.issuers_of(badge)
    slug = request.args.get("issuer")
    if slug is not None:
        district = next((d for d in issuers if d.slug == slug), None)
        if district is None:
            abort(404, f"{slug!r} does not issue this badge.")
    elif len(issuers) == 1:
        district = issuers[0]
    else:
        abort(
            404,
            "Name the issuer of this badge class: add ?issuer=<district>."
            if issuers
            else "No issuer here offers this badge class.",
        )
    return _document(ob2.badge_class(badge, district))


@bp.get("/issuers/<slug>")
def issuer(slug: str):
    district = found_or_404(district_by_slug(slug), f"There is no issuer {slug!r} here.")
    return _document(ob2.issuer(district))
