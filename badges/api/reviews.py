"""API for validators: the claims awaiting their decision, one claim in full, and the decision.

A claim outside the validator's scope answers 404. A decision that makes no sense answers 400 with
messages per field, one the claim's state refuses (already decided, resubmitted since) 409; in
both cases nothing is recorded.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..access import get_visible_or_404, review_of, validator_required
from ..models import Claim
from ..validation import reviews
from ..visibility import CLAIM_FOR_REVIEW
from .review_schemas import ReviewClaimSchema, ReviewDecisionResultSchema, ReviewDecisionSchema, ReviewQueueItemSchema

blp = Blueprint(
    "reviews_api", __name__, url_prefix="/api/v1/reviews", description="Validators' review queue and decisions."
)


@blp.route("/queue")
class ReviewQueue(MethodView):
    decorators = [validator_required]

    @blp.response(200, ReviewQueueItemSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a validator")
    def get(self) -> Any:
        """Claims in my scope awaiting my decision, the longest waiting first."""
        return reviews.review_queue(current_user)


@blp.route("/claims/<int:claim_id>")
class ReviewClaim(MethodView):
    decorators = [validator_required]

    @blp.response(200, ReviewClaimSchema)
    @blp.alt_response(404, description="No such claim in my scope")
    def get(self, claim_id: int) -> Any:
        """A claim in my scope: criteria, levels, key questions, every revision with its evidence (and the
        evidence as that revision cited it), what the current revision changed since the one I last
        judged, my earlier ratings, reviews."""
        return review_of(current_user, get_visible_or_404(Claim, claim_id, current_user, CLAIM_FOR_REVIEW))


@blp.route("/claims/<int:claim_id>/decision")
class ReviewDecisionView(MethodView):
    decorators = [validator_required]

    @blp.arguments(ReviewDecisionSchema)
    @blp.response(201, ReviewDecisionResultSchema)
    @blp.alt_response(400, description="The decision, a rating or the feedback is not valid; errors name each")
    @blp.alt_response(
        403,
        description="The district's calibration policy keeps me from deciding claims at this level yet; the "
        "message says why and how to recalibrate",
    )
    @blp.alt_response(404, description="No such claim in my scope")
    @blp.alt_response(409, description="Already decided, resubmitted since, or already reviewed by me")
    def post(self, args: dict[str, Any], claim_id: int) -> Any:
        """Approve, return or decline the current revision of a claim in my scope."""
        claim = get_visible_or_404(Claim, claim_id, current_user, CLAIM_FOR_REVIEW)
        try:
            outcome = reviews.decide(
                current_user, claim.id, args["decision"], args["feedback"], args["ratings"], args["revision"]
            )
        except PermissionError:
            abort(404, "There is no such claim awaiting your review.")
        return outcome
