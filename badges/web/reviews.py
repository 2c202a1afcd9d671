"""Pages for validators: the claims awaiting their decision, one claim with its evidence and history,
and the decision on it.

A claim outside the validator's scope answers 404 whatever its id, so ids reveal nothing.
badges.validation.claim_review gathers what both the page and the API show beside the claim itself.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..access import get_visible_or_404, review_of, validator_required
from ..base import InvalidInput, StateConflict, parse_id
from ..calibration.standing import refusals
from ..credentials.revocation import REASON_MAX, revocation_reason, revoke
from ..extensions import db
from ..models import Claim, ReviewDecision
from ..permissions import can_revoke
from ..validation import reviews
from ..validation.reviews import Outcome
from ..visibility import CLAIM_FOR_REVIEW
from .revocation_step import ask_before_revoking

bp = Blueprint("reviews", __name__, url_prefix="/validator")


class DecisionForm(FlaskForm):
    """The feedback; ratings (rating-<indicator id>), the revision and the decision button are read
    from the posted form as they are, and judged by badges.validation.reviews."""

    feedback = TextAreaField("Feedback for the educator", render_kw={"rows": 8, "maxlength": reviews.FEEDBACK_MAX})


class RevokeForm(FlaskForm):
    reason = TextAreaField("Reason for revoking", render_kw={"rows": 3, "maxlength": REASON_MAX})


def claim_or_404(claim_id: int) -> Claim:
    return get_visible_or_404(Claim, claim_id, current_user, CLAIM_FOR_REVIEW)


def outcome_message(outcome: Outcome) -> str:
    claim, name = outcome.claim, outcome.claim.user.name
    if outcome.award is not None:
        return f"Approved: the badge is awarded to {name}."
    if outcome.review.decision is ReviewDecision.APPROVE:
        return (
            f"Approval recorded: {outcome.approvals} of {claim.approvals_required}. The claim waits for "
            "another validator."
        )
    if outcome.review.decision is ReviewDecision.RETURN:
        return f"Returned to {name} for more evidence, with your feedback."
    return f"Declined: {name} can read your feedback on the claim."


def _show(
    claim: Claim,
    form: DecisionForm,
    chosen: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    revoke_form: RevokeForm | None = None,
    decision: str | None = None,
):
    """The claim page; `chosen` and `decision` are what a refused post sent (kept as typed). Without
    them, a validator back for a resubmission starts from the ratings of their latest review."""
    review = review_of(current_user, claim)
    if chosen is None:
        chosen = {str(indicator): str(level) for indicator, level in review.earlier_ratings.items()}
    award = claim.award
    revocable = award is not None and award.revoked_at is None and can_revoke(current_user, award)
    return render_template(
        "validator/show.html",
        review=review,
        claim=claim,
        form=form,
        chosen=chosen,
        errors=errors or {},
        decision=decision,
        revocable=revocable,
        revoke_form=revoke_form or RevokeForm(formdata=None),
    ), status


@bp.get("/claims/")
@validator_required
def queue():
    claims = reviews.review_queue(current_user)
    return render_template("validator/queue.html", claims=claims, refused=refusals(current_user, claims))


@bp.get("/claims/<int:claim_id>")
@validator_required
def show(claim_id: int):
    return _show(claim_or_404(claim_id), DecisionForm())


@bp.post("/claims/<int:claim_id>/decision")
@validator_required
def decide(claim_id: int):
    claim = claim_or_404(claim_id)
    form = DecisionForm()
    chosen = {key.removeprefix("rating-"): value for key, value in request.form.items() if key.startswith("rating-")}
    revision = parse_id(request.form.get("revision"))
    try:
        if revision is None:
            raise InvalidInput("The form did not say which revision you reviewed; reload the claim.", "revision")
        outcome = reviews.decide(
            current_user, claim.id, request.form.get("decision", ""), form.feedback.data, chosen, revision
        )
    except PermissionError:
        abort(404, "There is no such claim awaiting your review.")
    except InvalidInput as exc:  # and StateConflict (409)
        db.session.rollback()
        return _show(claim, form, chosen, exc.errors, exc.status, decision=request.form.get("decision"))
    flash(outcome_message(outcome))
    return redirect(url_for(".queue"))


@bp.post("/claims/<int:claim_id>/revoke", endpoint="revoke")
@validator_required
def revoke_award(claim_id: int):
    """Revoke the badge awarded on a claim in scope, with a reason."""
    claim = claim_or_404(claim_id)
    award = claim.award
    form = RevokeForm()
    try:
        if award is None:
            raise StateConflict("This claim was not awarded: there is no badge to revoke.", "status")
        if not can_revoke(current_user, award):
            abort(404, "There is no such claim awaiting your review.")
        reason = revocation_reason(award, form.reason.data)  # check first, ask second
    except InvalidInput as exc:  # no reason (400), already revoked (409)
        return _show(claim, DecisionForm(formdata=None), errors=exc.errors, status=exc.status, revoke_form=form)
    asked = ask_before_revoking(award, reason, url_for(".show", claim_id=claim.id))
    if asked:
        return asked
    revoke(current_user, award, reason)
    flash(f"Revoked “{claim.badge_class.name}” held by {claim.user.name}; they have been told why.")
    return redirect(url_for(".show", claim_id=claim.id))
