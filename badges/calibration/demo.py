"""The demo district's calibration: one exemplar set for teachers in Delivery and Operations, written by the
admin with agreed anchors, one round both validators finished (then closed), and a policy that keeps a validator
who agreed too little from deciding Expert claims. Marcus Okafor (validator) agrees closely; Priya Raman
(validator2) does not, so a fresh demo shows a report with one validator flagged, and an Expert claim she
may not decide yet.

Run through the domain functions, as a person would act, so the audit log and the checks are the real ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..catalogue.badge_classes import role_indicators
from ..educator import evidence
from ..extensions import db
from ..models import BadgeClass, CalibrationRating, District, Domain, ExemplarSet, ProfessionalRole, User, utcnow
from ..people.demo import DOMAIN
from ..validation import claims
from . import exemplars, opening, policy, rounds, sets
from .key_questions import set_indicators

SET_TITLE = "Delivery and Operations: teacher exemplars"
ROUND_TITLE = "Autumn 2026 calibration"
# (title, narrative, anchors for 4.1, 4.2, 4.3, overall, rationale)
EXEMPLARS = (
    (
        "Grade 7 ratios unit: progress tracker and regrouping",
        "A shared tracker lists each student's level on the unit's six learning targets, updated after every "
        "exit ticket. On Wednesdays students regroup by target: those ready move on to the next target, the "
        "others work with the teacher on the one they are stuck on. The schedule itself is the school's; the "
        "teacher has asked for a flexible block but has not had one yet.",
        (3, 3, 2),
        3,
        "Experienced: the tracker is used every day and support follows it (4.1, 4.2). Scheduling is planned "
        "but not yet in place, so 4.3 reads Novice. No evidence yet of increased achievement or of coaching "
        "peers, which Expert asks for.",
    ),
    (
        "First try at learning targets in Grade 4 reading",
        "The teacher wrote learning targets for one reading unit and posted them. Students self-rate on a "
        "sticker chart at the end of each week. The plan for next term is to use the chart to form small "
        "groups, and the teacher lists questions about how to schedule them.",
        (2, 2, 2),
        2,
        "Novice throughout: planning and an early try, with the questions the Novice descriptor names. The "
        "chart is not yet used to decide support, and nothing changes in the schedule.",
    ),
    (
        "Grade 9 science: a year of flexible pacing, and coaching the team",
        "Over two years the science team moved to flexible pacing: students advance on mastery of each "
        "standard, with a daily flex block for re-teaching and extension that the teacher designed with the "
        "principal. Pass rates on the end-of-course standards rose from 61% to 78%. The teacher now coaches "
        "two colleagues through the same change and shares the tracker and block schedule.",
        (4, 4, 4),
        4,
        "Expert on every key question: progress is tracked and acted on, support and schedule both follow "
        "it, achievement rose (with numbers), and the teacher supports peers.",
    ),
)
# What each validator rated, per exemplar: (levels for 4.1, 4.2, 4.3, overall).
RATINGS = {
    "validator": ((3, 3, 2, 3), (2, 2, 1, 2), (4, 4, 4, 4)),  # 8 of 9 key questions agree exactly
    "validator2": ((4, 4, 3, 4), (3, 2, 3, 3), (4, 3, 4, 4)),  # 3 of 9: below the district's 60%
}
EXPERT_CLAIMANT = "robert.kowalski"  # Roosevelt High: in validator2's scope


def _person(local: str) -> User:
    person = db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))
    assert person is not None, f"no demo person {local}"
    return person


def has_calibration(district: District) -> bool:
    return db.session.scalar(select(ExemplarSet.id).where(ExemplarSet.district_id == district.id).limit(1)) is not None


def seed_demo_calibration(district: District, now: datetime | None = None) -> bool:
    """One finished calibration round, the policy, and an Expert claim awaiting review; does nothing
    (returns False) when the district already has an exemplar set."""
    if has_calibration(district):
        return False
    now = now or utcnow()
    admin = _person("admin")
    exemplar_set = sets.create_set(
        admin,
        "delivery-operations",
        "teacher",
        SET_TITLE,
        "Three teachers' evidence, written up for calibration, with the levels the district's validators agreed.",
    )
    codes = [indicator.id for indicator in set_indicators(exemplar_set)]
    for title, narrative, anchors, overall, rationale in EXEMPLARS:
        exemplars.add_exemplar(
            admin,
            exemplar_set,
            title,
            narrative,
            anchors=dict(zip(codes, anchors, strict=True)),
            anchor_level=overall,
            rationale=rationale,
        )
    calibration_round = opening.open_set(admin, exemplar_set, ROUND_TITLE)
    for local, given in RATINGS.items():
        validator = _person(local)
        for exemplar, levels in zip(exemplar_set.exemplars, given, strict=True):
            *by_question, overall = levels
            rounds.rate_exemplar(
                validator, calibration_round, exemplar.id, dict(zip(codes, by_question, strict=True)), overall
            )
    _date_the_round(calibration_round.id, now)
    opening.close_round(admin, calibration_round)  # done: everyone in scope has rated it
    policy.set_policy(admin, district, min_exact_percent=60, max_age_days=365, restricted_levels=[4])
    _expert_claim(district)
    db.session.flush()
    return True


def _date_the_round(round_id: int, now: datetime) -> None:
    """The round opened three weeks ago and was rated over the following days (as a real one would be)."""
    opened = now - timedelta(days=21)
    ratings = list(db.session.scalars(select(CalibrationRating).where(CalibrationRating.round_id == round_id)))
    ratings[0].round.opened_at = opened
    ratings[0].round.exemplar_set.opened_at = opened
    for day, rating in enumerate(sorted(ratings, key=lambda r: (r.validator_id, r.id)), start=1):
        rating.submitted_at = opened + timedelta(days=1 + day // 3, hours=day)


def _expert_claim(district: District) -> None:
    """A Roosevelt High teacher claims Delivery and Operations at Expert: validator2 may not decide it."""
    owner = _person(EXPERT_CLAIMANT)
    badge = db.session.scalar(
        select(BadgeClass)
        .join(ProfessionalRole, ProfessionalRole.id == BadgeClass.role_id)
        .join(Domain, Domain.id == BadgeClass.domain_id)
        .where(
            BadgeClass.framework_id == district.framework_id,
            ProfessionalRole.code == "teacher",
            Domain.code == "delivery-operations",
            BadgeClass.level == 4,
        )
    )
    assert badge is not None
    item = evidence.add_link(
        owner,
        "Flex block schedule and pass rates",
        "Our flex block, the tracker that assigns students to it, and two years of pass rates.",
        "https://example.org/flex-block",
        [indicator.id for indicator in role_indicators(badge)],
    )
    claims.create_claim(
        owner, badge.id, "Two years of flexible pacing raised pass rates; I coach two colleagues now.", [item.id]
    )
