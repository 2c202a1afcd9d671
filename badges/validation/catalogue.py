"""The educator's badge catalogue: every badge of their role, by domain and level, with where they stand.

Read in a fixed number of queries whatever the person's history (the badge classes, their awards,
their claims and the policy: no query per badge), and judged by the same rules as a claim
(badges.validation.claims): a live award blocks a new claim until the renewal window opens, one open
claim per badge, and the district may ask for the level below first. Awards count on any version of
the framework (matched by domain code, role code and level), as holds_badge does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalogue.badge_classes import badge_classes_for, policy_for
from ..extensions import db
from ..models import Award, BadgeClass, Claim, ClaimStatus, Domain, ProfessionalRole, User, utcnow
from .claims import RENEWAL_WINDOW_DAYS


class BadgeState(str, Enum):
    HELD = "held"  # an award in force
    AWAITING = "awaiting"  # an open claim a validator has not decided
    RETURNED = "returned"  # an open claim sent back for more evidence
    EXPIRED = "expired"  # the latest award expired
    REVOKED = "revoked"  # the latest award was revoked
    OPEN = "open"  # never held: open to claim

    @property
    def label(self) -> str:
        return {
            "held": "Held",
            "awaiting": "Claimed, awaiting review",
            "returned": "Returned for more evidence",
            "expired": "Expired",
            "revoked": "Revoked",
            "open": "Open to claim",
        }[self.value]


@dataclass(frozen=True)
class CatalogueEntry:
    badge_class: BadgeClass
    level_name: str
    state: BadgeState
    award: Award | None  # the latest award of this badge, live or not
    claim: Claim | None  # the open claim, if any
    claimable: bool
    # Why it cannot be claimed now, or what claiming means (a renewal); "" when nothing needs saying.
    note: str = ""

    @property
    def renewal(self) -> bool:
        return self.claimable and self.award is not None


@dataclass(frozen=True)
class CatalogueDomain:
    domain: Domain
    entries: list[CatalogueEntry]


_Key = tuple[str, str, int]  # domain code, role code, level


def _awards_by_badge(owner: User) -> dict[_Key, list[Award]]:
    """The person's awards, newest first, by domain code, role code and level (any framework version)."""
    rows = db.session.execute(
        select(Award, Domain.code, ProfessionalRole.code, BadgeClass.level)
        .join(BadgeClass, Award.badge_class_id == BadgeClass.id)
        .join(Domain, BadgeClass.domain_id == Domain.id)
        .join(ProfessionalRole, BadgeClass.role_id == ProfessionalRole.id)
        .where(Award.user_id == owner.id)
        .order_by(Award.awarded_at.desc(), Award.id.desc())
    ).all()
    found: dict[_Key, list[Award]] = {}
    for award, domain_code, role_code, level in rows:
        found.setdefault((domain_code, role_code, level), []).append(award)
    return found


def _open_claims(owner: User, badge_ids: list[int]) -> dict[int, Claim]:
    claims = db.session.scalars(
        select(Claim)
        .where(
            Claim.user_id == owner.id,
            Claim.badge_class_id.in_(badge_ids),
            Claim.status.in_([ClaimStatus.SUBMITTED, ClaimStatus.RETURNED]),
        )
        .options(selectinload(Claim.revisions))
    )
    return {claim.badge_class_id: claim for claim in claims}


def _is_live(award: Award, at: datetime) -> bool:
    return award.revoked_at is None and (award.valid_until is None or award.valid_until > at)


def my_catalogue(owner: User, now: datetime | None = None) -> list[CatalogueDomain]:
    """The badges of the person's framework and role, by domain (in the framework's order) and level."""
    badge_classes = badge_classes_for(owner)
    if not badge_classes:
        return []
    now = now or utcnow()
    framework = badge_classes[0].framework
    level_names = {level.value: level.name for level in framework.levels}
    policy = policy_for(framework)
    awards = _awards_by_badge(owner)
    open_claims = _open_claims(owner, [bc.id for bc in badge_classes])

    def holds(bc: BadgeClass, level: int) -> bool:
        return any(_is_live(a, now) for a in awards.get((bc.domain.code, bc.role.code, level), ()))

    domains: dict[int, CatalogueDomain] = {}
    for bc in badge_classes:
        held = awards.get((bc.domain.code, bc.role.code, bc.level), [])
        live = next((a for a in held if _is_live(a, now)), None)
        latest = live or (held[0] if held else None)
        claim = open_claims.get(bc.id)
        note = ""
        if claim is not None:
            state = BadgeState.RETURNED if claim.status is ClaimStatus.RETURNED else BadgeState.AWAITING
        elif live is not None:
            state = BadgeState.HELD
        elif latest is not None:
            state = BadgeState.REVOKED if latest.revoked_at is not None else BadgeState.EXPIRED
        else:
            state = BadgeState.OPEN
        claimable = claim is None
        if claimable and live is not None:
            if _is_live(live, now + timedelta(days=RENEWAL_WINDOW_DAYS)):
                claimable = False
                if live.valid_until is not None:
                    note = f"You can renew it from {RENEWAL_WINDOW_DAYS} days before it expires."
            else:
                note = f"It expires within {RENEWAL_WINDOW_DAYS} days: claim it again to renew it."
        elif claimable and latest is not None:
            note = "Claim it again to renew it, with fresh evidence."
        if claimable and policy.requires_previous_level and bc.level > 1 and not holds(bc, bc.level - 1):
            claimable = False
            below = bc.level - 1
            note = f"Your district asks for {level_names.get(below, below)} ({below}) first."
        entry = CatalogueEntry(bc, level_names.get(bc.level, str(bc.level)), state, latest, claim, claimable, note)
        domains.setdefault(bc.domain_id, CatalogueDomain(bc.domain, [])).entries.append(entry)
    return list(domains.values())
