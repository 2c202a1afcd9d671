"""Progress over time and the conference summary, assembled from kept history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Award,
    BadgeClass,
    Claim,
    Domain,
    EvidenceItem,
    Framework,
    Goal,
    GoalStatus,
    ProfessionalRole,
    Review,
    User,
)
from .assessments import current_draft, derive_domain_level, submitted_assessments
from .common import framework_and_role

TRENDS = {"up": "rising", "down": "falling", "same": "steady", "new": "first rating"}


@dataclass
class DomainProgress:
    domain: Domain
    # (date submitted, derived level) for each submitted self-assessment that rated this domain.
    points: list[tuple[date, int]] = field(default_factory=list)

    @property
    def current(self) -> int | None:
        return self.points[-1][1] if self.points else None

    @property
    def previous(self) -> int | None:
        return self.points[-2][1] if len(self.points) > 1 else None

    @property
    def trend(self) -> str | None:
        if self.current is None:
            return None
        if self.previous is None:
            return "new"
        return "up" if self.current > self.previous else "down" if self.current < self.previous else "same"


def progress_by_domain(owner: User) -> tuple[Framework, ProfessionalRole, list[DomainProgress]]:
    """One entry per domain of the person's current framework, with the level of each submitted round.

    Rounds taken against an older framework version count where the domain code is the same, so a
    new framework version does not wipe out the history drawn in the chart.
    """
    framework, role = framework_and_role(owner)
    progress = {domain.code: DomainProgress(domain) for domain in framework.domains}
    for assessment in submitted_assessments(owner):
        latest = {}
        for rating in sorted(assessment.ratings, key=lambda r: (r.rated_at, r.id)):
            latest[rating.indicator_id] = rating.level
        for domain in assessment.framework.domains:
            levels = [latest[ind.id] for ind in domain.indicators if ind.id in latest]
            level = derive_domain_level(levels)
            if level is not None and domain.code in progress and assessment.submitted_at is not None:
                progress[domain.code].points.append((assessment.submitted_at.date(), level))
    return framework, role, list(progress.values())


@dataclass
class ConferenceSummary:
    person: User
    framework: Framework
    role: ProfessionalRole
    domains: list[DomainProgress]
    goals: list[Goal]
    evidence: list[EvidenceItem]
    draft_open: bool
    # Validators' decisions on the person's badge claims, newest first.
    feedback: list[Review] = field(default_factory=list)
    # Badges awarded to the person, newest first, revoked and expired ones included (the page says which).
    awards: list[Award] = field(default_factory=list)


def feedback_for(owner: User) -> list[Review]:
    """Validators' decisions on the person's claims, newest first: what the person was told, read for
    their summary (a read of their own record, so it lives here, not with the validator's operations)."""
    return list(
        db.session.scalars(
            select(Review)
            .join(Claim)
            .where(Claim.user_id == owner.id)
            .options(
                selectinload(Review.claim).selectinload(Claim.badge_class),
                selectinload(Review.validator),
                selectinload(Review.revision),
            )
            .order_by(Review.created_at.desc(), Review.id.desc())
        )
    )


GOAL_ORDER = {GoalStatus.IN_PROGRESS: 0, GoalStatus.NOT_STARTED: 1, GoalStatus.ACHIEVED: 2, GoalStatus.SET_ASIDE: 3}


def conference_summary(owner: User) -> ConferenceSummary:
    framework, role, domains = progress_by_domain(owner)
    goals = sorted(
        db.session.scalars(
            select(Goal).where(Goal.user_id == owner.id).options(selectinload(Goal.domain), selectinload(Goal.evidence))
        ),
        key=lambda g: (GOAL_ORDER[g.status], g.target_date, g.id),
    )
    evidence = list(
        db.session.scalars(
            select(EvidenceItem)
            .where(EvidenceItem.user_id == owner.id, EvidenceItem.in_summary.is_(True))
            .options(selectinload(EvidenceItem.indicators))
            .order_by(EvidenceItem.created_at, EvidenceItem.id)
        )
    )
    return ConferenceSummary(
        owner,
        framework,
        role,
        domains,
        goals,
        evidence,
        draft_open=current_draft(owner) is not None,
        feedback=feedback_for(owner),
        awards=awards_of(owner),
    )


def awards_of(owner: User) -> list[Award]:
    """Every badge awarded to the person, newest first, with its badge class and domain loaded."""
    return list(
        db.session.scalars(
            select(Award)
            .where(Award.user_id == owner.id)
            .options(selectinload(Award.badge_class).selectinload(BadgeClass.domain))
            .order_by(Award.awarded_at.desc(), Award.id.desc())
        )
    )
