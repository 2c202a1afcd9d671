"""History for the demo district, so a fresh `make run` shows a living readiness dashboard.

Everything goes through the same domain functions people use (self-assessment rounds, evidence,
claims, validators' decisions, goals), so the readiness figures are kept in step by the usual
flush hooks and nothing here could drift from how the service really behaves. Rounds are dated in
the past (a round about every three months); badges are awarded today, by the demo validators
within their scopes. Called by `flask demo seed` only: the many tests that use the demo district
start without history. It lives here rather than beside badges.people.demo because it uses the
educator and validation packages, which sit above badges.people.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select

from ..catalogue.badge_classes import role_indicators
from ..credentials import sharing
from ..educator import assessments, evidence, goals
from ..extensions import db
from ..models import Award, BadgeClass, District, Domain, Framework, ProfessionalRole, SelfAssessment, User, utcnow
from ..people.demo import DOMAIN
from ..permissions import readiness_scope
from ..validation import claims, reviews
from . import cohorts, targets
from .next_steps import next_steps

ROUNDS_MONTHS_AGO = (10, 7, 4, 1)  # a round about once a term
SHARING = ("teacher", "maria.gonzalez", "robert.kowalski", "naomi.feldman", "tyler.nguyen", "mei.chen")
# (validator, school of the claimants, professional role, domain code, level, how many approved)
BADGES = (
    ("validator", "lincoln-elementary", "teacher", "delivery-operations", 3, 6),
    ("validator", "lincoln-elementary", "teacher", "engagement-communication", 2, 3),
    ("validator2", "roosevelt-high", "teacher", "engagement-communication", 3, 5),
    ("validator2", "roosevelt-high", "teacher", "personalization-proficiency", 2, 2),
)
WAITING = ("information-technology", 2)  # a few claims left awaiting review


def has_history(district: District) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    SelfAssessment.user_id == User.id,
                    User.district_id == district.id,
                    SelfAssessment.submitted_at.is_not(None),
                )
            )
        )
    )


def _staff(district: District) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.district_id == district.id, User.professional_role.is_not(None), User.active.is_(True))
            .order_by(User.id)
        )
    )


def _rounds(person: User, rng: random.Random, now: datetime) -> None:
    """Most staff take part in most rounds; their levels grow a little from one to the next."""
    start = rng.uniform(1.3, 2.6)
    for number, months_ago in enumerate(ROUNDS_MONTHS_AGO):
        if rng.random() < 0.2:
            continue
        moment = now - timedelta(days=30 * months_ago + rng.randint(0, 12), hours=rng.randint(0, 8))
        draft = assessments.start_assessment(person)
        draft.started_at = moment - timedelta(days=2)
        entries = [
            {"indicator": ind.code, "level": min(4, max(1, round(start + 0.3 * number + rng.gauss(0, 0.5))))}
            for ind in assessments.applicable_indicators(draft)
        ]
        for rating in assessments.rate(person, draft, entries):
            rating.rated_at = moment - timedelta(days=1)
        assessments.submit(person, draft, now=moment)


def _claim(owner: User, badge: BadgeClass, level: int) -> int:
    indicators = role_indicators(badge)
    item = evidence.add_link(
        owner,
        f"{badge.domain.name}: unit plan and student work",
        "What the unit shows about my practice, and what I would change next time.",
        "https://example.org/demo-evidence",
        [indicators[0].id],
    )
    return claims.create_claim(owner, badge.id, "The evidence shows this level in my daily work.", [item.id]).id


def _badge(framework: Framework, role: str, domain: str, level: int) -> BadgeClass:
    found = db.session.scalar(
        select(BadgeClass)
        .join(ProfessionalRole, ProfessionalRole.id == BadgeClass.role_id)
        .join(Domain, Domain.id == BadgeClass.domain_id)
        .where(
            BadgeClass.framework_id == framework.id,
            ProfessionalRole.code == role,
            Domain.code == domain,
            BadgeClass.level == level,
        )
    )
    assert found is not None, f"no badge class {domain} {level} for {role}"
    return found


def _badges(district: District, framework: Framework, staff: list[User]) -> None:
    """Claims approved by the validators whose scope covers them, and a few still waiting."""
    validators = {
        name: db.session.scalar(select(User).where(User.email == f"{name}@{DOMAIN}"))
        for name in ("validator", "validator2")
    }
    schools = {school.slug: school.id for school in district.schools}
    for name, school, role, domain, level, count in BADGES:
        validator = validators[name]
        assert validator is not None
        badge = _badge(framework, role, domain, level)
        owners = [p for p in staff if p.school_id == schools[school] and p.professional_role == role][:count]
        for owner in owners:
            claim_id = _claim(owner, badge, level)
            ratings = {ind.id: level for ind in role_indicators(badge)}
            reviews.decide(validator, claim_id, "approve", "Well shown, with students' work.", ratings)
    waiting = _badge(framework, "teacher", *WAITING)
    for owner in [p for p in staff if p.professional_role == "teacher"][-3:]:
        _claim(owner, waiting, WAITING[1])


def seed_demo_history(district: District, framework: Framework, now: datetime | None = None) -> bool:
    """Give the demo district months of self-assessments, some badges, a goal asking for support, a
    target and a training cohort.

    Does nothing (returns False) when the district already has a submitted self-assessment."""
    if has_history(district):
        return False
    now = now or utcnow()
    rng = random.Random(2026)
    staff = _staff(district)
    for person in staff:
        local = person.email.split("@")[0]
        person.shares_self_assessment = local in SHARING
        _rounds(person, rng, now)
    _badges(district, framework, staff)
    teacher = db.session.scalar(select(User).where(User.email == f"teacher@{DOMAIN}"))
    assert teacher is not None
    goals.create_goal(
        teacher,
        "personalization-proficiency",
        3,
        (now + timedelta(days=150)).date(),
        "Redesign one unit around competencies and try it with my class.",
        support_needed="A coach who has run a competency-based unit, and time to plan with them.",
        today=now.date(),
    )
    db.session.flush()
    _plans(district, now)
    _public_profile(teacher)
    return True


def _public_profile(teacher: User) -> None:
    """The demo teacher shows their badges on a public profile, so a fresh demo has one to open."""
    sharing.set_public_profile(teacher, True)
    for award in db.session.scalars(select(Award).where(Award.user_id == teacher.id, Award.revoked_at.is_(None))):
        sharing.set_on_profile(teacher, award, True)


def _plans(district: District, now: datetime) -> None:
    """The district leader's target for teachers in Delivery and Operations, and a cohort formed from
    the next steps of the domain where a teacher's goal asks for support."""
    leader = db.session.scalar(select(User).where(User.email == f"leader@{DOMAIN}"))
    assert leader is not None
    scope = readiness_scope(leader)
    assert scope is not None
    due = date(now.year + 1, 6, 30)
    targets.create_target(leader, scope, "delivery-operations", 75, due, professional_role="teacher", today=now.date())
    steps = next_steps(scope, "personalization-proficiency", now=now)
    members = [person.user_id for person in steps.ready[:4]]
    coach = steps.coaches[0].user_id if steps.coaches else None
    starts = (now + timedelta(days=21)).date()
    cohorts.create_cohort(
        leader,
        scope,
        "Designing for proficiency: spring cohort",
        "personalization-proficiency",
        starts,
        members,
        coach,
        "Four sessions with a unit to try in class between them.",
    )
    db.session.flush()
