"""Reviews: validators judge claims in their scope, and exactly one outcome comes of it.

A decision locks the claim row (SELECT ... FOR UPDATE on PostgreSQL) and re-reads it, so two
validators deciding at once, or one submitting twice, are put in a line: the second sees what the
first did. Unique keys back this up (one review per validator per revision, one award per claim),
and every decision bumps the claim's version, so on SQLite, which has no row locks, an overtaken
decision fails its UPDATE instead of counting twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..base import MAX_ID, InvalidInput, NotPermitted, StateConflict, clean_text_into
from ..calibration.standing import decision_refusal
from ..catalogue.badge_classes import role_indicators
from ..credentials.issuing import issue
from ..educator.assessments import derive_domain_level
from ..extensions import db
from ..models import (
    Award,
    BadgeClass,
    Claim,
    ClaimRevision,
    ClaimStatus,
    Domain,
    ProfessionalRole,
    Review,
    ReviewDecision,
    ReviewRating,
    User,
    utcnow,
)
from ..notifications import notify_claim_owner
from ..people.scope import claim_in_scope, conflicted_educator_ids, scope_of
from .claims import _flush_or_conflict
from .ratings import check_ratings, unrated

FEEDBACK_MAX = 5000


def review_queue(validator: User) -> list[Claim]:
    """Claims awaiting a decision that this validator may make, oldest submission first.

    Claims the validator already approved (waiting for a second approver) are left out.
    """
    scope = scope_of(validator)
    if not (scope.domain_codes and scope.role_codes and (scope.whole_district or scope.school_ids)):
        return []
    latest = (
        select(func.max(ClaimRevision.submitted_at))
        .where(ClaimRevision.claim_id == Claim.id)
        .correlate(Claim)
        .scalar_subquery()
    )
    current_number = (
        select(func.max(ClaimRevision.number))
        .where(ClaimRevision.claim_id == Claim.id)
        .correlate(Claim)
        .scalar_subquery()
    )
    mine = exists().where(
        Review.claim_id == Claim.id,
        Review.validator_id == validator.id,
        Review.revision_id
        == select(ClaimRevision.id)
        .where(ClaimRevision.claim_id == Claim.id, ClaimRevision.number == current_number)
        .correlate(Claim)
        .scalar_subquery(),
    )
    query = (
        select(Claim)
        .join(User, Claim.user_id == User.id)
        .join(BadgeClass, Claim.badge_class_id == BadgeClass.id)
        .join(Domain, BadgeClass.domain_id == Domain.id)
        .join(ProfessionalRole, BadgeClass.role_id == ProfessionalRole.id)
        .where(
            Claim.status == ClaimStatus.SUBMITTED,
            User.district_id == validator.district_id,
            User.id != validator.id,
            Domain.code.in_(scope.domain_codes),
            ProfessionalRole.code.in_(scope.role_codes),
            ~mine,
        )
        .options(
            selectinload(Claim.user),
            selectinload(Claim.revisions),
            selectinload(Claim.badge_class).selectinload(BadgeClass.domain),
        )
        .order_by(latest, Claim.id)
    )
    if not scope.whole_district:
        query = query.where(User.school_id.in_(scope.school_ids))
    conflicts = conflicted_educator_ids(validator)
    if conflicts:
        query = query.where(User.id.not_in(conflicts))
    return list(db.session.scalars(query))


def claim_for_review(validator: User, claim_id: int) -> Claim | None:
    """The claim if this validator may see it; None otherwise (callers answer 404, revealing nothing)."""
    if not 0 < claim_id <= MAX_ID:
        return None
    claim = db.session.get(Claim, claim_id)
    return claim if claim is not None and claim_in_scope(validator, claim) else None


@dataclass(frozen=True)
class Outcome:
    review: Review
    claim: Claim
    award: Award | None
    approvals: int


def decide(
    validator: User,
    claim_id: int,
    decision: str,
    feedback: str = "",
    ratings: dict | None = None,
    revision_number: int | None = None,
) -> Outcome:
    """Record the validator's decision on the claim's current revision.

    approve: the claim is approved and awarded once it has the approvals it needs (two for Expert
    badges when the policy says so); return: the educator may revise and resubmit; decline: closed.
    `revision_number`, when given, is the revision the validator was looking at: if the claim has
    moved on since, nothing is recorded. A validator whose calibration the district's policy flags may
    not decide claims at its restricted levels (badges.calibration.standing): NotPermitted, nothing written.
    """
    claim = db.session.scalar(
        select(Claim).where(Claim.id == claim_id).with_for_update().execution_options(populate_existing=True)
    )
    if claim is None or not claim_in_scope(validator, claim):
        raise PermissionError(f"{validator!r} may not decide claim {claim_id}")
    if (refusal := decision_refusal(validator, claim)) is not None:  # the district's calibration policy
        raise NotPermitted(refusal, "decision")
    revision = db.session.scalar(
        select(ClaimRevision).where(ClaimRevision.claim_id == claim.id).order_by(ClaimRevision.number.desc()).limit(1)
    )
    if claim.status is not ClaimStatus.SUBMITTED:
        raise StateConflict(f"This claim is already {claim.status.label.lower()}; nothing was recorded.", "status")
    assert revision is not None  # every claim is created with its first revision
    if revision_number is not None and revision_number != revision.number:
        raise StateConflict(
            f"The claim was resubmitted (revision {revision.number}) since you opened revision "
            f"{revision_number}; reload it and look at the new evidence.",
            "revision",
        )
    if (
        db.session.scalar(
            select(Review.id).where(Review.revision_id == revision.id, Review.validator_id == validator.id)
        )
        is not None
    ):
        raise StateConflict("You have already recorded your decision on this revision of the claim.", "status")

    choice, feedback, levels = _check_decision(claim, decision, feedback, ratings)
    earlier_approvals = (
        db.session.scalar(
            select(func.count(Review.id)).where(
                Review.revision_id == revision.id, Review.decision == ReviewDecision.APPROVE
            )
        )
        or 0
    )
    approvals = earlier_approvals + 1 if choice is ReviewDecision.APPROVE else earlier_approvals
    review = Review(
        claim=claim,
        revision=revision,
        validator=validator,
        decision=choice,
        feedback=feedback,
        ratings=[ReviewRating(indicator_id=i, level=lv) for i, lv in sorted(levels.items())],
    )
    db.session.add(review)
    award = None
    now = utcnow()
    claim.updated_at = now  # always an UPDATE of the claim row: the version check sees every decision
    if choice is ReviewDecision.APPROVE and approvals >= claim.approvals_required:
        claim.status, claim.decided_at = ClaimStatus.APPROVED, now
        award = Award(claim=claim, user_id=claim.user_id, badge_class_id=claim.badge_class_id, awarded_at=now)
        db.session.add(award)
    elif choice is ReviewDecision.RETURN:
        claim.status = ClaimStatus.RETURNED
    elif choice is ReviewDecision.DECLINE:
        claim.status, claim.decided_at = ClaimStatus.DECLINED, now
    _flush_or_conflict("Another decision on this claim was recorded at the same moment; reload it to see it.")
    if award is not None:
        issue(award)  # the award is a verifiable credential from the moment it exists
    _record(validator, claim, review, award, approvals)
    return Outcome(review, claim, award, approvals)


def _record(validator: User, claim: Claim, review: Review, award: Award | None, approvals: int) -> None:
    name, owner = claim.badge_class.name, claim.user
    verb = {ReviewDecision.APPROVE: "approved", ReviewDecision.RETURN: "returned", ReviewDecision.DECLINE: "declined"}[
        review.decision
    ]
    audit.record(
        owner.district_id,
        validator,
        f"review.{verb}",
        claim,
        f"{validator.name} {verb} {owner.name}'s claim for “{name}” (revision {review.revision.number}"
        + (f", approval {approvals} of {claim.approvals_required}" if verb == "approved" else "")
        + ").",
        review.feedback,
    )
    if award is not None:
        audit.record(owner.district_id, validator, "award.granted", award, f"“{name}” awarded to {owner.name}.")
        notify_claim_owner(claim, f"Your claim for “{name}” was approved: the badge is yours.")
    elif review.decision is ReviewDecision.RETURN:
        notify_claim_owner(
            claim, f"Your claim for “{name}” was returned for more evidence. Read the feedback, add to it and resubmit."
        )
    elif review.decision is ReviewDecision.DECLINE:
        notify_claim_owner(claim, f"Your claim for “{name}” was declined. Read the feedback on the claim.")
    else:
        notify_claim_owner(
            claim, f"Your claim for “{name}” has {approvals} of the {claim.approvals_required} approvals it needs."
        )


def _check_decision(
    claim: Claim, decision: Any, feedback: Any, ratings: Any
) -> tuple[ReviewDecision, str, dict[int, int]]:
    errors: dict[str, list[str]] = {}
    try:
        choice = ReviewDecision(decision)
    except ValueError:
        choice = None
        errors["decision"] = ["Choose approve, return (for more evidence) or decline."]
    feedback = clean_text_into(
        errors, feedback, field="feedback", label="The feedback", max_length=FEEDBACK_MAX, multiline=True
    )
    if not feedback and "feedback" not in errors and choice in (ReviewDecision.RETURN, ReviewDecision.DECLINE):
        errors["feedback"] = ["Tell the educator why, and for a return what evidence would show the level."]
    indicators = role_indicators(claim.badge_class)
    levels = check_ratings(errors, ratings, indicators)
    missing = unrated(indicators, levels)
    if choice in (ReviewDecision.APPROVE, ReviewDecision.DECLINE) and missing and "ratings" not in errors:
        errors["ratings"] = [f"Rate every key question before you {choice.value}: {', '.join(missing)} not rated."]
    if choice is ReviewDecision.APPROVE and "ratings" not in errors:
        derived = derive_domain_level(list(levels.values()))
        if derived is not None and derived < claim.badge_class.level:
            errors["ratings"] = [
                f"Your ratings give level {derived} (the level more than half reach), below the "
                f"claimed level {claim.badge_class.level}; return or decline the claim, or "
                "change your ratings."
            ]
    if errors or choice is None:
        raise InvalidInput(errors)
    return choice, feedback, levels


def decided_by(validator: User, limit: int = 20) -> list[Review]:
    """The validator's own recent decisions (their home page)."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.validator_id == validator.id)
            .options(
                selectinload(Review.claim).selectinload(Claim.badge_class),
                selectinload(Review.claim).selectinload(Claim.user),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        )
    )
