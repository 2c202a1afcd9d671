"""Pages for validators: the claims awaiting their decision, one claim with its evidence and history,
and the decision on it.

A claim outside the validator's scope answers 404 whatever its id, so ids reveal nothing.
`claim_review` gathers what both the page and the API show beside the claim itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..base import InvalidInput, StateConflict
from ..catalogue.badge_classes import role_indicators
from ..credentials.revocation import REASON_MAX, can_revoke, revoke
from ..educator.assessments import current_ratings, submitted_assessments
from ..extensions import db
from ..models import Claim, EvidenceKind, Level, ReviewDecision, SystemRole, User
from ..permissions import can_decide_claim, can_view_evidence_file
from ..validation import reviews
from ..validation.reviews import Outcome
from .guards import role_required

bp = Blueprint("reviews", __name__, url_prefix="/validator")

validator_required = role_required(SystemRole.VALIDATOR)


class DecisionForm(FlaskForm):
    """The feedback; ratings (rating-<indicator id>), the revision and the decision button are read
    from the posted form as they are, and judged by badges.validation.reviews."""

    feedback = TextAreaField("Feedback for the educator",
                             render_kw={"rows": 8, "maxlength": reviews.FEEDBACK_MAX})


def checked_reason(reason) -> str:
    """A revocation reason as posted; NUL (which PostgreSQL cannot store) is refused with a message."""
    if "\x00" in (reason or ""):
        raise InvalidInput("Remove the invisible control characters from the reason.", "reason")
    return reason or ""


class RevokeForm(FlaskForm):
    reason = TextAreaField("Reason for revoking", render_kw={"rows": 3, "maxlength": REASON_MAX})


@dataclass(frozen=True)
class IndicatorRow:
    """A key question the claim is judged by, with the educator's latest self-assessed level."""

    id: int
    code: str
    text: str
    self_assessed: int | None


@dataclass(frozen=True)
class ClaimReview:
    claim: Claim
    levels: list[Level]
    indicators: list[IndicatorRow]
    approvals: int                 # approvals of the current revision so far
    decided_by_me: bool            # this validator already judged the current revision
    can_decide: bool
    downloadable: frozenset[int]   # evidence files this validator may download now

    @property
    def claimed_level(self) -> int:
        return self.claim.badge_class.level

    @property
    def professional_role(self) -> str | None:
        code = self.claim.user.professional_role
        role = self.claim.badge_class.framework.role(code) if code else None
        return role.name if role else code


def self_assessed_levels(owner: User) -> dict[int, int]:
    """Indicator id -> level from the person's latest submitted self-assessment (empty if none)."""
    rounds = submitted_assessments(owner)
    return {i: rating.level for i, rating in current_ratings(rounds[-1]).items()} if rounds else {}


def claim_review(validator: User, claim: Claim) -> ClaimReview:
    current = claim.current
    on_current = [r for r in claim.reviews if r.revision_id == current.id]
    mine = any(r.validator_id == validator.id for r in on_current)
    own = self_assessed_levels(claim.user)
    files = {item for revision in claim.revisions for item in revision.evidence if item.kind is EvidenceKind.FILE}
    return ClaimReview(
        claim=claim, levels=list(claim.badge_class.framework.levels),
        indicators=[IndicatorRow(ind.id, ind.code, ind.text, own.get(ind.id))
                    for ind in role_indicators(claim.badge_class)],
        approvals=sum(1 for r in on_current if r.decision is ReviewDecision.APPROVE),
        decided_by_me=mine, can_decide=can_decide_claim(validator, claim) and not mine,
        downloadable=frozenset(item.id for item in files if can_view_evidence_file(validator, item)))


def claim_or_404(claim_id: int) -> Claim:
    claim = reviews.claim_for_review(current_user, claim_id)
    if claim is None:
        abort(404, "There is no such claim awaiting your review.")
    return claim


def outcome_message(outcome: Outcome) -> str:
    claim, name = outcome.claim, outcome.claim.user.name
    if outcome.award is not None:
        return f"Approved: the badge is awarded to {name}."
    if outcome.review.decision is ReviewDecision.APPROVE:
        return (f"Approval recorded: {outcome.approvals} of {claim.approvals_required}. The claim waits for "
                "another validator.")
    if outcome.review.decision is ReviewDecision.RETURN:
        return f"Returned to {name} for more evidence, with your feedback."
    return f"Declined: {name} can read your feedback on the claim."


def _show(claim: Claim, form: DecisionForm, chosen: dict[str, str] | None = None,
          errors: dict[str, list[str]] | None = None, status: int = 200, revoke_form: RevokeForm | None = None):
    award = claim.award
    revocable = award is not None and award.revoked_at is None and can_revoke(current_user, award)
    return render_template("validator/show.html", review=claim_review(current_user, claim), claim=claim,
                           form=form, chosen=chosen or {}, errors=errors or {}, revocable=revocable,
                           revoke_form=revoke_form or RevokeForm(formdata=None)), status


@bp.get("/claims/")
@validator_required
def queue():
    return render_template("validator/queue.html", claims=reviews.review_queue(current_user))


@bp.get("/claims/<int:claim_id>")
@validator_required
def show(claim_id: int):
    return _show(claim_or_404(claim_id), DecisionForm())


@bp.post("/claims/<int:claim_id>/decision")
@validator_required
def decide(claim_id: int):
    claim = claim_or_404(claim_id)
    form = DecisionForm()
    chosen = {key.removeprefix("rating-"): value for key, value in request.form.items()
              if key.startswith("rating-")}
    revision = request.form.get("revision", type=int)
    try:
        if revision is None:
            raise InvalidInput("The form did not say which revision you reviewed; reload the claim.", "revision")
        outcome = reviews.decide(current_user, claim.id, request.form.get("decision", ""), form.feedback.data,
                                 chosen, revision)
    except PermissionError:
        abort(404, "There is no such claim awaiting your review.")
    except InvalidInput as exc:  # and StateConflict (409)
        db.session.rollback()
        return _show(claim, form, chosen, exc.errors, exc.status)
    db.session.commit()
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
        revoke(current_user, award, checked_reason(form.reason.data))
    except InvalidInput as exc:  # no reason (400), already revoked (409)
        db.session.rollback()
        return _show(claim, DecisionForm(formdata=None), errors=exc.errors, status=exc.status, revoke_form=form)
    db.session.commit()
    flash(f"Revoked “{claim.badge_class.name}” held by {claim.user.name}; they have been told why.")
    return redirect(url_for(".show", claim_id=claim.id))
