"""Revoking awarded badges: a validator whose scope covers the award's claim, or an admin of its district.

An award the signed-in person may not revoke answers 404 whatever the reason (another district's,
out of scope, their own), so ids reveal nothing. The revocation shows at once in verification and
in the district's status list; the holder is told.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from ..access import acting_user, get_visible_or_404
from ..credentials.revocation import revoke
from ..models import Award
from ..visibility import REVOCABLE_AWARD
from .revocation_schemas import RevocationRequestSchema, RevocationResultSchema

blp = Blueprint("revocation_api", __name__, url_prefix="/api/v1/awards", description="Revoking awarded badges")


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
        actor = acting_user()
        award = get_visible_or_404(Award, award_id, actor, REVOCABLE_AWARD)
        revoke(actor, award, args["reason"])
        return award
