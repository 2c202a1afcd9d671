"""A validator's calibration standing, the district's policy, and the restriction it puts on decisions:
badges.calibration.standing and policy, and the refusal inside badges.validation.reviews.decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput, NotPermitted
from badges.calibration.key_questions import set_indicators
from badges.calibration.policy import policy_of, set_policy
from badges.calibration.standing import decision_refusal, refusals, standings
from badges.extensions import db
from badges.models import AuditEvent, CalibrationPolicy, ClaimStatus, Review
from badges.permissions import can_set_calibration_policy, can_view_calibration_report
from badges.validation import reviews
from tests.calibration_setup import DOMAIN, make_set, open_round, rate
from tests.validation_setup import full_ratings, make_world

EXPERT = "Delivery and Operations: Expert, Teacher"
EXPERIENCED = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


@pytest.fixture
def validator(world, make_user):
    v = world.person(
        make_user, "val@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(v, domains=[DOMAIN], roles=["teacher"], schools=["north"])
    return v


def calibrate(validator, author, anchors=(3, 2), wrong=0, title="Round"):
    """A new set and round in the domain, rated by `validator`: every key question at the anchor, except
    `wrong` of them (across the exemplars, in order) one level off."""
    exemplar_set = make_set(author.district, author, anchors=list(anchors), title=title)
    calibration_round = open_round(exemplar_set, author, title=title)
    indicators = set_indicators(exemplar_set)
    left = wrong
    ratings = []
    for exemplar in exemplar_set.exemplars:
        levels = {}
        for ind in indicators:
            level = exemplar.anchor_levels[ind.id]
            if left:
                level, left = (level + 1 if level < 4 else level - 1), left - 1
            levels[ind.id] = level
        ratings.append(rate(validator, calibration_round, exemplar, levels))
    db.session.commit()
    return calibration_round, ratings


def restrict(world, levels=(4,), percent=60, days=365):
    set_policy(world.admin, world.admin.district, percent, days, list(levels))
    db.session.commit()


def reviews_count():
    return db.session.scalar(select(func.count(Review.id)))


def test_default_policy_flags_but_restricts_nothing(world, validator):
    policy = policy_of(world.admin.district)
    assert (policy.min_exact_percent, policy.max_age_days, policy.restricted_levels) == (60, 365, [])
    assert policy not in db.session  # unsaved: the defaults
    assert standings(validator)[DOMAIN].flags == ()  # no round opened in the domain: nothing to take
    open_round(make_set(world.admin.district, world.admin), world.admin)
    assert standings(validator)[DOMAIN].flags == ("never calibrated in this domain",)
    claim = world.claim(name=EXPERT)
    assert decision_refusal(validator, claim) is None
    outcome = reviews.decide(validator, claim.id, "approve", "Well shown.", full_ratings(claim, 4))
    assert outcome.approvals == 1


def test_standing_uses_latest_finished_round(world, validator):
    first, _ = calibrate(validator, world.admin, wrong=3, title="First")  # 3 of 6 off: 50%
    standing = standings(validator)[DOMAIN]
    assert standing.latest.round.id == first.id
    assert (standing.exact.percent, standing.exact.n) == (50, 6)
    assert standing.flags == ("agreed exactly on 50% of 6 ratings, below the district's 60%",)
    second, _ = calibrate(validator, world.admin, wrong=1, title="Second")  # 5 of 6: 83%
    standing = standings(validator)[DOMAIN]
    assert (standing.latest.round.id, standing.exact.percent, standing.flagged) == (second.id, 83, False)
    # An unfinished later round (one exemplar of two) does not replace the finished one.
    third_set = make_set(world.admin.district, world.admin, title="Third")
    third = open_round(third_set, world.admin, title="Third")
    rate(validator, third, third_set.exemplars[0], 1)
    db.session.commit()
    assert standings(validator)[DOMAIN].latest.round.id == second.id


def test_unfinished_round_counts_when_none_finished(world, validator):
    exemplar_set = make_set(world.admin.district, world.admin)
    calibration_round = open_round(exemplar_set, world.admin)
    rate(validator, calibration_round, exemplar_set.exemplars[0], 3)
    db.session.commit()
    standing = standings(validator)[DOMAIN]
    assert standing.latest.round.id == calibration_round.id and not standing.latest.finished
    assert standing.flags == ("too few ratings to say",)  # 3 ratings, fewer than 5


def test_stale_calibration_is_flagged(world, validator):
    _, ratings = calibrate(validator, world.admin)
    for rating in ratings:
        rating.submitted_at -= timedelta(days=400)
    db.session.commit()
    standing = standings(validator)[DOMAIN]
    assert standing.exact.percent == 100
    on = ratings[-1].submitted_at
    assert standing.flags == (f"last calibrated on {on.day} {on:%b %Y}, more than 365 days ago",)


def test_low_agreement_refuses_expert_claim_with_reason_and_writes_nothing(world, validator):
    restrict(world)
    calibrate(validator, world.admin, anchors=(3, 2, 4, 1), wrong=7)  # 5 of 12 exact: 42%
    claim = world.claim(name=EXPERT)
    before = reviews_count()
    with pytest.raises(NotPermitted) as refused:
        reviews.decide(validator, claim.id, "approve", "Well shown.", full_ratings(claim, 4))
    message = refused.value.errors["decision"][0]
    assert refused.value.status == 403
    assert message == (
        "You cannot decide Expert claims in Delivery and Operations yet: your last calibration in this domain "
        "agreed exactly with the anchors on 42% of 12 ratings, below the district's 60%. Ask your district's "
        "administrator for a new calibration round in Delivery and Operations; once your agreement is 60% or "
        "more you can decide these claims."
    )
    db.session.rollback()
    assert reviews_count() == before
    assert db.session.get(type(claim), claim.id).status is ClaimStatus.SUBMITTED
    assert refusals(validator, [claim]) == {claim.id: message}
    # Once a round they can take is open, the refusal names it.
    open_round(make_set(world.admin.district, world.admin, title="Winter"), world.admin, title="Winter round")
    assert "Take the calibration round “Winter round” (Calibration, on your home page); once" in (
        decision_refusal(validator, claim) or ""
    )


def test_flagged_validator_may_decide_below_the_restricted_level(world, validator):
    restrict(world)
    calibrate(validator, world.admin, wrong=6)
    claim = world.claim(name=EXPERIENCED)
    assert decision_refusal(validator, claim) is None
    assert reviews.decide(validator, claim.id, "approve", "Well shown.", full_ratings(claim, 3)).award is not None


def test_recalibrating_with_a_new_round_lifts_the_restriction(world, validator):
    restrict(world)
    calibrate(validator, world.admin, wrong=4, title="Low")
    claim = world.claim(name=EXPERT)
    assert decision_refusal(validator, claim) is not None
    calibrate(validator, world.admin, wrong=0, title="Again")
    assert decision_refusal(validator, claim) is None
    assert reviews.decide(validator, claim.id, "approve", "Well shown.", full_ratings(claim, 4)).approvals == 1


def test_stale_validator_is_refused(world, validator):
    restrict(world, days=30)
    _, ratings = calibrate(validator, world.admin)
    for rating in ratings:
        rating.submitted_at -= timedelta(days=31)
    db.session.commit()
    message = decision_refusal(validator, world.claim(name=EXPERT))
    assert message is not None and "more than 30 days ago" in message


def test_never_calibrated_is_refused_when_restricted_once_a_round_is_open(world, validator):
    restrict(world)
    claim = world.claim(name=EXPERT)
    assert decision_refusal(validator, claim) is None  # the district has no round in the domain yet
    open_round(make_set(world.admin.district, world.admin), world.admin)
    db.session.commit()
    with pytest.raises(NotPermitted, match="you have never taken a calibration round in this domain"):
        reviews.decide(validator, claim.id, "approve", "Well shown.", full_ratings(claim, 4))


def test_a_validating_admin_curates_so_is_not_held(world, make_user):
    restrict(world)
    open_round(make_set(world.admin.district, world.admin), world.admin)
    both = world.person(make_user, "both@northfield.example.org", roles=("validator", "admin"), school="south")
    world.set_scope(both, domains=[DOMAIN], roles=["teacher"], schools=["north"])
    assert standings(both)[DOMAIN].flags == ("never calibrated in this domain",)
    assert decision_refusal(both, world.claim(name=EXPERT)) is None


def test_calibration_in_another_domain_does_not_count(world, validator):
    restrict(world)
    exemplar_set = make_set(world.admin.district, world.admin, domain_code="information-technology", anchors=[3, 2, 4])
    calibration_round = open_round(exemplar_set, world.admin)
    for exemplar in exemplar_set.exemplars:
        rate(validator, calibration_round, exemplar, exemplar.anchor_level)
    db.session.commit()
    assert not standings(validator)["information-technology"].flagged
    open_round(make_set(world.admin.district, world.admin), world.admin)  # a round in the claim's domain
    db.session.commit()
    assert decision_refusal(validator, world.claim(name=EXPERT)) is not None


def test_set_policy_validates_and_audits(world):
    district = world.admin.district
    with pytest.raises(InvalidInput) as bad:
        set_policy(world.admin, district, "101", 0, [5, "x"])
    assert set(bad.value.errors) == {"min_exact_percent", "max_age_days", "restricted_levels"}
    assert len(bad.value.errors["restricted_levels"]) == 2
    assert db.session.get(CalibrationPolicy, district.id) is None
    set_policy(world.admin, district, "70", "180", ["4", 3])
    db.session.commit()
    saved = db.session.get(CalibrationPolicy, district.id)
    assert (saved.min_exact_percent, saved.max_age_days, saved.restricted_levels) == (70, 180, [3, 4])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calibration.policy_changed"))
    assert "before, at least 60% exact agreement, calibrated within 365 days, restricted levels: none" in event.summary
    assert (
        "after, at least 70% exact agreement, calibrated within 180 days, restricted levels: Experienced, Expert"
        in (event.summary)
    )
    set_policy(world.admin, district, 70, 180, [4, 3])  # the same again: nothing recorded
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.startswith("calibration."))) == 1
    set_policy(world.admin, district, 0, 3650, [])
    db.session.commit()
    assert db.session.get(CalibrationPolicy, district.id).restricted_levels == []


def test_policy_permissions(world, make_user, validator):
    district = world.admin.district
    leader = make_user("lead@northfield.example.org", roles=("district_leader",), professional_role=None)
    assert can_set_calibration_policy(world.admin, district)
    assert not can_set_calibration_policy(leader, district)
    assert not can_set_calibration_policy(validator, district)
    assert can_view_calibration_report(world.admin) and can_view_calibration_report(leader)
    assert not can_view_calibration_report(validator) and not can_view_calibration_report(world.teacher)
    with pytest.raises(PermissionError):
        set_policy(validator, type(district)(id=district.id + 1, slug="x", name="X"), 60, 365, [])
