"""Who may see and decide which claim, and what a decision does: badges.validation.reviews and the
permission rules, driven from a table of validator scopes against one claim."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput, StateConflict
from badges.extensions import db
from badges.models import AuditEvent, Award, ClaimStatus, District, Notification, Review
from badges.people import scope
from badges.permissions import can_decide_claim, can_review_claim, can_view_evidence_file
from badges.validation import reviews
from tests.validation_setup import approve, full_ratings, make_world

DOMAIN = "delivery-operations"


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


def validator(world, make_user, email="v@northfield.example.org", school="south", roles=("validator",)):
    return world.person(make_user, email, roles=roles, role="school-leader", school=school)


# scope given to the validator -> (can see, can decide) the teacher's claim (teacher at North,
# "Delivery and Operations: Experienced, Teacher").
SCOPE_TABLE = {
    "exact match": (dict(domains=[DOMAIN], roles=["teacher"], schools=["north"]), True),
    "every domain": (dict(roles=["teacher"], schools=["north"]), True),
    "whole district": (dict(domains=[DOMAIN], roles=["teacher"], schools=[], whole_district=True), True),
    "other domain": (dict(domains=["information-technology"], roles=["teacher"], schools=["north"]), False),
    "other role": (dict(domains=[DOMAIN], roles=["school-leader"], schools=["north"]), False),
    "other school": (dict(domains=[DOMAIN], roles=["teacher"], schools=["south"]), False),
    "no domains": (dict(domains=[], roles=["teacher"], schools=["north"]), False),
    "no roles": (dict(domains=[DOMAIN], roles=[], schools=["north"]), False),
    "no organization": (dict(domains=[DOMAIN], roles=["teacher"], schools=[]), False),
    "no scope at all": (None, False),
}


@pytest.mark.parametrize("case", SCOPE_TABLE)
def test_scope_table(world, make_user, case):
    given, allowed = SCOPE_TABLE[case]
    v = validator(world, make_user)
    if given is not None:
        world.set_scope(v, **given)
    claim = world.claim()
    assert can_review_claim(v, claim) is allowed
    assert can_decide_claim(v, claim) is allowed
    assert (claim in reviews.review_queue(v)) is allowed
    assert (reviews.claim_for_review(v, claim.id) is not None) is allowed
    if not allowed:
        with pytest.raises(PermissionError):
            reviews.decide(v, claim.id, "approve", "", full_ratings(claim, 3))
        db.session.rollback()
        assert db.session.scalar(select(func.count(Review.id))) == 0


def test_district_office_staff_are_in_scope_only_of_whole_district_validators(world, make_user):
    coach = world.person(make_user, "coach@northfield.example.org", school=None)
    by_school, by_district = validator(world, make_user), validator(world, make_user, "w@northfield.example.org")
    world.set_scope(by_school, schools=["north", "south"])
    world.set_scope(by_district, schools=[], whole_district=True)
    claim = world.claim(owner=coach)
    assert (can_review_claim(by_school, claim), can_review_claim(by_district, claim)) == (False, True)


def test_decided_claims_stay_visible_but_cannot_be_decided_again(world, make_user):
    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    approve(v, claim)
    assert can_review_claim(v, claim) and not can_decide_claim(v, claim)
    assert claim not in reviews.review_queue(v)
    with pytest.raises(StateConflict, match="already approved"):
        approve(v, claim)


def test_never_their_own_claim_even_in_scope(world, make_user):
    both = world.person(make_user, "both@northfield.example.org", roles=("validator", "educator"))
    world.set_scope(both, schools=["north"])
    claim = world.claim(owner=both)
    assert not can_review_claim(both, claim) and claim not in reviews.review_queue(both)
    with pytest.raises(PermissionError):
        approve(both, claim)


def test_never_a_claim_from_someone_they_have_a_conflict_with(world, make_user):
    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    assert can_review_claim(v, claim)
    scope.record_conflict(world.admin, v, world.teacher, "Married to each other.")
    db.session.commit()
    assert not can_review_claim(v, claim) and reviews.review_queue(v) == []
    with pytest.raises(PermissionError):
        approve(v, claim)
    db.session.rollback()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "conflict.recorded" in actions


def test_never_another_districts_claim(world, make_user, framework):
    elsewhere = District(slug="elsewhere", name="Elsewhere", framework=framework)
    db.session.add(elsewhere)
    db.session.commit()
    outsider = make_user("v@elsewhere.example.org", roles=("validator",), in_district=elsewhere)
    admin = make_user("admin@elsewhere.example.org", roles=("admin",), in_district=elsewhere)
    scope.set_scope(admin, outsider, [DOMAIN], ["teacher"], [], True)
    db.session.commit()
    claim = world.claim()
    assert not can_review_claim(outsider, claim) and reviews.review_queue(outsider) == []
    with pytest.raises(PermissionError):
        scope.set_scope(admin, world.teacher, [DOMAIN], ["teacher"], [], True)


def test_validator_sees_cited_files_only_while_reviewing(world, make_user):
    v, other = validator(world, make_user), validator(world, make_user, "o@northfield.example.org")
    world.set_scope(v)
    world.set_scope(other, schools=["south"])
    claim = world.claim()
    item = claim.current.evidence[0]
    assert can_view_evidence_file(v, item) and not can_view_evidence_file(other, item)
    approve(v, claim)
    assert not can_view_evidence_file(v, item)  # decided: no longer reviewing it


def test_expert_claims_need_two_different_approving_validators(world, make_user):
    first, second = validator(world, make_user), validator(world, make_user, "w@northfield.example.org")
    world.set_scope(first)
    world.set_scope(second)
    claim = world.claim(name="Delivery and Operations: Expert, Teacher")
    outcome = approve(first, claim)
    assert (outcome.approvals, outcome.award, claim.status) == (1, None, ClaimStatus.SUBMITTED)
    assert claim not in reviews.review_queue(first) and claim in reviews.review_queue(second)
    with pytest.raises(StateConflict, match="already recorded your decision"):
        approve(first, claim)
    db.session.rollback()
    outcome = approve(second, claim)
    assert outcome.approvals == 2 and outcome.award is not None and claim.status is ClaimStatus.APPROVED
    assert db.session.scalar(select(func.count(Award.id))) == 1


def test_a_return_after_one_expert_approval_starts_the_count_again(world, make_user):
    first, second = validator(world, make_user), validator(world, make_user, "w@northfield.example.org")
    world.set_scope(first)
    world.set_scope(second)
    claim = world.claim(name="Delivery and Operations: Expert, Teacher")
    approve(first, claim)
    reviews.decide(second, claim.id, "return", "Show student growth data.", {})
    db.session.commit()
    from badges.validation.claims import resubmit_claim

    resubmit_claim(world.teacher, claim, "With growth data.", [e.id for e in claim.current.evidence])
    db.session.commit()
    assert approve(first, claim).approvals == 1 and claim.status is ClaimStatus.SUBMITTED


@pytest.mark.parametrize(
    "decision,feedback,ratings,field",
    [
        ("maybe", "x", "all3", "decision"),
        ("approve", "", {}, "ratings"),  # approve needs every key question rated
        ("approve", "", "all2", "ratings"),  # ratings below the claimed level
        ("approve", "", {"999999": 3}, "ratings"),  # not a key question of this badge
        ("approve", "", "all5", "ratings"),  # outside 1..4
        ("approve", "", {"x": "y"}, "ratings"),
        ("return", "", {}, "feedback"),  # a return says why
        ("decline", "", "all1", "feedback"),
        ("decline", "x" * 5001, "all1", "feedback"),
    ],
)
def test_bad_decisions_name_the_field_and_record_nothing(world, make_user, decision, feedback, ratings, field):
    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    if isinstance(ratings, str):
        ratings = full_ratings(claim, int(ratings[-1]))
    with pytest.raises(InvalidInput) as caught:
        reviews.decide(v, claim.id, decision, feedback, ratings)
    db.session.rollback()
    assert field in caught.value.errors
    assert db.session.scalar(select(func.count(Review.id))) == 0 and claim.status is ClaimStatus.SUBMITTED


def test_a_decision_on_a_revision_that_moved_on_is_refused(world, make_user):
    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    with pytest.raises(StateConflict, match="resubmitted"):
        reviews.decide(v, claim.id, "approve", "", full_ratings(claim, 3), revision_number=7)


def test_audit_trail_and_notifications_for_the_whole_story(world, make_user, caplog):
    from badges.validation.claims import resubmit_claim

    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    with caplog.at_level(logging.INFO):
        reviews.decide(v, claim.id, "return", "Add a unit plan.", {})
        db.session.commit()
        resubmit_claim(world.teacher, claim, "With the plan.", [e.id for e in claim.current.evidence])
        db.session.commit()
        approve(v, claim)
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.subject_type, AuditEvent.reason).order_by(
            AuditEvent.id
        )
    ).all()
    assert [(a, actor) for a, actor, _, _ in events] == [
        ("scope.changed", world.admin.id),
        ("claim.submitted", world.teacher.id),
        ("review.returned", v.id),
        ("claim.resubmitted", world.teacher.id),
        ("review.approved", v.id),
        ("award.granted", v.id),
    ]
    assert events[2].reason == "Add a unit plan." and events[5].subject_type == "awards"
    notes = db.session.scalars(
        select(Notification.message).where(Notification.user_id == world.teacher.id).order_by(Notification.id)
    ).all()
    assert ["returned for more evidence" in notes[0], "approved" in notes[1]] == [True, True]
    mails = [r.getMessage() for r in caplog.records if r.getMessage().startswith("mail to ")]
    assert len(mails) == 2 and all(m.startswith("mail to teacher@northfield.example.org") for m in mails)


def test_a_rolled_back_decision_sends_no_mail(world, make_user, caplog):
    v = validator(world, make_user)
    world.set_scope(v)
    claim = world.claim()
    with caplog.at_level(logging.INFO):
        reviews.decide(v, claim.id, "return", "Add a unit plan.", {})
        db.session.rollback()
    assert not [r for r in caplog.records if r.getMessage().startswith("mail to ")]
    assert db.session.scalar(select(func.count(Notification.id))) == 0
