"""Live drift: how validators agree with each other on real claims, where two or more of them rated the same
key questions (an Expert claim under the two-approver rule, or a returned claim decided later by another).

Each validator counts once per claim, by their latest review of it (a validator back for a resubmission
replaces their earlier ratings). Read in two queries of plain values; the figures are computed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import BadgeClass, Claim, Review, ReviewRating, User

Unit = tuple[int, int]  # (claim id, key question id)


@dataclass
class LiveRatings:
    """Per domain id: unit -> {validator id: level}, for units rated by two or more validators."""

    units: dict[int, dict[Unit, dict[int, int]]] = field(default_factory=dict)

    def alpha_units(self, domain_id: int) -> dict[Hashable, list[int]]:
        return {unit: list(levels.values()) for unit, levels in self.units.get(domain_id, {}).items()}

    def pairs_of(self, validator_id: int, domain_id: int) -> list[tuple[int, int]]:
        """(this validator's level, another validator's level) for every other validator on each shared unit."""
        pairs: list[tuple[int, int]] = []
        for levels in self.units.get(domain_id, {}).values():
            mine = levels.get(validator_id)
            if mine is not None:
                pairs.extend((mine, theirs) for other, theirs in levels.items() if other != validator_id)
        return pairs

    def validators(self) -> set[tuple[int, int]]:
        """(validator id, domain id) of everyone with live ratings shared with another validator."""
        return {(v, d) for d, units in self.units.items() for levels in units.values() for v in levels}


def load_live(district_id: int) -> LiveRatings:
    """The district's claims' reviews, each validator's latest per claim, kept where two or more rated."""
    in_district = [User.district_id == district_id]
    reviews = db.session.execute(
        select(Review.id, Review.claim_id, Review.validator_id, BadgeClass.domain_id)
        .join(Claim, Review.claim_id == Claim.id)
        .join(User, Claim.user_id == User.id)
        .join(BadgeClass, Claim.badge_class_id == BadgeClass.id)
        .where(*in_district)
        .order_by(Review.created_at, Review.id)
    ).all()
    latest: dict[tuple[int, int], int] = {}  # (claim, validator) -> review id
    domain_of: dict[int, int] = {}  # claim -> domain
    for review_id, claim_id, validator_id, domain_id in reviews:
        latest[(claim_id, validator_id)] = review_id
        domain_of[claim_id] = domain_id
    by_claim: dict[int, set[int]] = defaultdict(set)
    for claim_id, validator_id in latest:
        by_claim[claim_id].add(validator_id)
    shared = {review_id for (claim_id, _), review_id in latest.items() if len(by_claim[claim_id]) >= 2}
    live = LiveRatings()
    if not shared:
        return live
    owner = {review_id: (claim_id, validator_id) for (claim_id, validator_id), review_id in latest.items()}
    rated: dict[int, dict[Unit, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for review_id, indicator_id, level in db.session.execute(
        select(ReviewRating.review_id, ReviewRating.indicator_id, ReviewRating.level)
        .join(Review, ReviewRating.review_id == Review.id)
        .join(Claim, Review.claim_id == Claim.id)
        .join(User, Claim.user_id == User.id)
        .where(*in_district)
    ):
        if review_id in shared:
            claim_id, validator_id = owner[review_id]
            rated[domain_of[claim_id]][(claim_id, indicator_id)][validator_id] = level
    for domain_id, units in rated.items():
        kept = {unit: dict(levels) for unit, levels in units.items() if len(levels) >= 2}
        if kept:
            live.units[domain_id] = kept
    return live
