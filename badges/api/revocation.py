"""Revoking awarded badges: a validator whose scope covers the award's claim, or an admin of its district.

An award the signed-in person may not revoke answers 404 whatever the reason (another district's,
out of scope, their own), so ids reveal nothing. The revocation shows at once in verification and
in the district's status list; the holder is told.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from ..base import MAX_ID
from ..credentials.revocation import can_revoke, revoke
from ..extensions import db
from ..models import Award
from ..web.reviews import checked_reason
from .revocation_schemas import RevocationRequestSchema, RevocationResultSchema

blp = Blueprint("revocation_api", __name__, url_prefix="/api/v1/awards", description="Revoking awarded badges")


def revocable_award_or_404(award_id: int) -> Award:
    """The award if the signed-in person may revoke it; 404 otherwise (shared with the pages)."""
    award = db.session.get(Award, award_id) if 0 < award_id <= MAX_ID else None
    if award is None or not can_revoke(current_user._get_current_object(), award):
        abort(404, f"There is no award {award_id} you can revoke.")
    return award


@blp.route("/<int:award_id>/revoke")
class AwardRevoke(MethodView):
    decorators = [login_required]

    @blp.arguments(RevocationRequestSchema)
    @blp.response(200, RevocationResultSchema)
    @blp.alt_response(400, description="The reason is empty or too long")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(404, description="No award I may revoke (another district's, out of my scope, or none)")
    @blp.alt_response(409, description="The award is already revoked")
    def post(self, args: dict[str, Any], award_id: int) -> Any:
        """Revoke an award with a reason: verification and the status list say so at once."""
        award = revocable_award_or_404(award_id)
        revoke(current_user._get_current_object(), award, checked_reason(args["reason"]))
        db.session.commit()
        return award
