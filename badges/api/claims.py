"""API for the signed-in educator's badge claims, awards and notifications.

Another person's claim answers 404. A missing key or a wrong type answers 422 (marshmallow); a
broken rule 400 with {errors: {field: [...]}}; a claim whose state refuses the action 409.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, educator_required, get_visible_or_404
from ..catalogue.badge_classes import badge_classes_for
from ..models import Claim
from ..notifications import mark_all_read, unread_notifications
from ..validation import claims
from ..validation.catalogue import my_catalogue
from .claim_schemas import (
    MyAwardSchema,
    MyBadgeClassSchema,
    MyCatalogueDomainSchema,
    MyClaimCreateSchema,
    MyClaimResubmitSchema,
    MyClaimSchema,
    MyClaimSummarySchema,
    MyClaimWithdrawSchema,
    MyNotificationSchema,
)

blp = Blueprint("claims_api", __name__, url_prefix="/api/v1/me", description="The signed-in educator's badge claims.")


_me = acting_user


def _owned_claim_or_404(claim_id: int) -> Claim:
    return get_visible_or_404(Claim, claim_id, _me())


@blp.route("/badge-classes")
class ClaimableBadgeClasses(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyBadgeClassSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """The badges I can claim: my district's framework, my professional role, by domain and level."""
        return badge_classes_for(_me())


@blp.route("/catalogue")
class MyCatalogue(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyCatalogueDomainSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """Every badge of my role by domain and level, with my state on each (held, expired, revoked, claimed,
        returned or open) and whether I can claim it now."""
        return my_catalogue(_me())


@blp.route("/claims")
class ClaimList(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyClaimSummarySchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """My claims, newest first."""
        return claims.list_my_claims(_me())

    @blp.arguments(MyClaimCreateSchema)
    @blp.response(201, MyClaimSchema)
    @blp.alt_response(
        400,
        description="A rule was broken (not a badge for my role, no statement, another "
        "person's evidence, an open claim or award for the badge already...)",
    )
    @blp.alt_response(409, description="The same claim was submitted at the same moment")
    def post(self, data: dict[str, Any]) -> Any:
        """Claim a badge with a statement and the evidence that supports it."""
        claim = claims.create_claim(_me(), data["badge_class"], data["statement"], data["evidence"])
        return claim


@blp.route("/claims/<int:claim_id>")
class ClaimItem(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyClaimSchema)
    @blp.alt_response(404, description="No such claim of mine")
    def get(self, claim_id: int) -> Any:
        """One of my claims: every revision, the validators' reviews and ratings, and the award if any."""
        return _owned_claim_or_404(claim_id)


@blp.route("/claims/<int:claim_id>/resubmit")
class ClaimResubmit(MethodView):
    decorators = [educator_required]

    @blp.arguments(MyClaimResubmitSchema)
    @blp.response(200, MyClaimSchema)
    @blp.alt_response(400, description="A rule was broken (no statement, no evidence, another person's evidence)")
    @blp.alt_response(404, description="No such claim of mine")
    @blp.alt_response(409, description="The claim was not returned for more evidence")
    def post(self, data: dict[str, Any], claim_id: int) -> Any:
        """Revise a returned claim: a new revision, the earlier ones kept as they were."""
        claim = _owned_claim_or_404(claim_id)
        claims.resubmit_claim(_me(), claim, data["statement"], data["evidence"])
        return claim


@blp.route("/claims/<int:claim_id>/withdraw")
class ClaimWithdraw(MethodView):
    decorators = [educator_required]

    @blp.arguments(MyClaimWithdrawSchema)
    @blp.response(200, MyClaimSchema)
    @blp.alt_response(404, description="No such claim of mine")
    @blp.alt_response(409, description="The claim is already decided or withdrawn")
    def post(self, data: dict[str, Any], claim_id: int) -> Any:
        """Withdraw an open claim (awaiting review or returned)."""
        claim = _owned_claim_or_404(claim_id)
        claims.withdraw_claim(_me(), claim, data["reason"])
        return claim


@blp.route("/awards")
class MyAwards(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyAwardSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """The badges I hold, newest first."""
        return claims.my_awards(_me())


@blp.route("/notifications")
class MyNotifications(MethodView):
    decorators = [educator_required]

    @blp.response(200, MyNotificationSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """My unread notifications (what happened to my claims), newest first."""
        return unread_notifications(_me())


@blp.route("/notifications/read")
class NotificationsRead(MethodView):
    decorators = [educator_required]

    @blp.response(204)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def post(self) -> None:
        """Mark all my notifications read."""
        mark_all_read(_me())
