"""What a validator sees beside a claim (the page and the API show the same): its levels, the key
questions with the educator's own latest ratings, the approvals so far, and what this validator
may still do. The permission answers are passed in: this package sits below badges.permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..catalogue.badge_classes import role_indicators
from ..educator.assessments import current_ratings, submitted_assessments
from ..educator.previews import PreviewSize, PreviewUnavailable, is_previewable, probe
from ..models import Claim, EvidenceItem, EvidenceKind, Level, Review, ReviewDecision, User
from .revision_diff import Cited, RevisionDiff, cited, latest_review_by, revision_diff


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
    approvals: int  # approvals of the current revision so far
    decided_by_me: bool  # this validator already judged the current revision
    can_decide: bool
    downloadable: frozenset[int]  # evidence files this validator may download now
    # Image files among those: id -> the preview's size, or None when the image cannot be previewed.
    previews: dict[int, PreviewSize | None]
    diff: RevisionDiff | None  # what the current revision changed (None on revision 1)
    my_latest: Review | None  # this validator's latest review of the claim, any revision
    cited: dict[int, list[Cited]]  # revision id -> what it cited, as it read when submitted
    # Why the calibration policy keeps this validator from deciding it (shown instead of the decision form).
    refusal: str | None = None

    @property
    def earlier_ratings(self) -> dict[int, int]:
        """This validator's ratings in their latest review (indicator id -> level): the form starts from them."""
        return {rating.indicator_id: rating.level for rating in self.my_latest.ratings} if self.my_latest else {}

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


def claim_review(
    validator: User,
    claim: Claim,
    may_decide: bool,
    may_download: Callable[[EvidenceItem], bool],
    refusal: str | None = None,
) -> ClaimReview:
    """The review of `claim` as `validator` sees it; `may_decide` and `may_download` are the
    permission rules' answers, `refusal` the calibration policy's (badges.access.review_of passes them)."""
    current = claim.current
    on_current = [r for r in claim.reviews if r.revision_id == current.id]
    mine = any(r.validator_id == validator.id for r in on_current)
    own = self_assessed_levels(claim.user)
    files = {item for revision in claim.revisions for item in revision.evidence if item.kind is EvidenceKind.FILE}
    downloadable = frozenset(item.id for item in files if may_download(item))
    return ClaimReview(
        claim=claim,
        levels=list(claim.badge_class.framework.levels),
        indicators=[
            IndicatorRow(ind.id, ind.code, ind.text, own.get(ind.id)) for ind in role_indicators(claim.badge_class)
        ],
        approvals=sum(1 for r in on_current if r.decision is ReviewDecision.APPROVE),
        decided_by_me=mine,
        can_decide=may_decide and not mine and refusal is None,
        downloadable=downloadable,
        previews={item.id: _preview_size(item) for item in files if item.id in downloadable and is_previewable(item)},
        diff=revision_diff(claim, validator),
        my_latest=latest_review_by(claim, validator),
        cited={revision.id: cited(revision) for revision in claim.revisions},
        refusal=refusal if may_decide and not mine else None,
    )


def _preview_size(item: EvidenceItem) -> PreviewSize | None:
    try:
        return probe(item)
    except PreviewUnavailable:
        return None
