"""Badge classes, claim rules and the policy: badges.catalogue.badge_classes and badges.validation.claims."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput, StateConflict
from badges.catalogue.badge_classes import badge_classes_for, generate_badge_classes, set_policy
from badges.catalogue.loading import install_framework_file
from badges.extensions import db
from badges.models import AuditEvent, BadgeClass, Claim, ClaimStatus
from badges.resources import default_framework_file
from badges.validation import claims, reviews
from tests.validation_setup import approve, badge, indicator_id, make_world


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_one_badge_class_per_domain_level_and_role_with_questions(framework):
    # Roles without a key question in a domain get no badge there.
    expected = sum(
        4
        for role in framework.roles
        for domain in framework.domains
        if any(role in ind.roles for ind in domain.indicators)
    )
    assert count(BadgeClass) == expected
    assert generate_badge_classes(framework) == 0  # idempotent
    install_framework_file(default_framework_file())
    assert count(BadgeClass) == expected


def test_badge_class_criteria_quote_descriptor_and_role_questions(framework):
    bc = badge("Delivery and Operations: Experienced, School leader")
    assert (
        "\u201cI\u2019ve implemented it \u2013 it may not be perfect but I\u2019m learning from my mistakes.\u201d"
        in bc.criteria
    )
    assert "4.1 How will you know where students are on their learning progression?" in bc.criteria
    assert bc.level == 3 and bc.role.code == "school-leader" and bc.domain.code == "delivery-operations"


def test_badge_image_is_svg_with_escaped_text_and_no_script(client, framework):
    bc = badge("Delivery and Operations: Expert, Teacher")
    response = client.get(f"/badge-classes/{bc.id}/image.svg")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    # The level by name (and pips), never a lone digit that reads as the domain's number.
    assert body.startswith("<svg") and "<script" not in body and "Expert" in body and ">4<" not in body
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/badge-classes/999999/image.svg").status_code == 404


def test_claimable_badges_are_the_persons_role_only(world):
    names = [bc.name for bc in badge_classes_for(world.teacher)]
    assert names and all(name.endswith(", Teacher") for name in names)
    assert names[:4] == [
        f"Engagement and Communication: {lv}, Teacher" for lv in ("Explorer", "Novice", "Experienced", "Expert")
    ]


def test_claim_keeps_statement_evidence_and_audit(world):
    claim = world.claim(statement="Three units planned on progressions.")
    assert claim.status is ClaimStatus.SUBMITTED and claim.approvals_required == 1
    assert [r.number for r in claim.revisions] == [1]
    assert claim.current.statement == "Three units planned on progressions."
    assert len(claim.current.evidence) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.submitted"))
    assert event.actor_id == world.teacher.id and event.subject_id == claim.id
    assert "Delivery and Operations: Experienced, Teacher" in event.summary


def test_expert_claims_need_two_approvals_by_default_and_policy_changes_new_claims_only(world):
    expert = world.claim(name="Delivery and Operations: Expert, Teacher")
    assert expert.approvals_required == 2
    set_policy(world.framework, expert_approvals_required=1)
    other = world.claim(name="Information Technology: Expert, Teacher")
    db.session.refresh(expert)
    assert (expert.approvals_required, other.approvals_required) == (2, 1)


@pytest.mark.parametrize(
    "case,field",
    [
        ("no badge", "badge_class"),
        ("unknown badge", "badge_class"),
        ("other role", "badge_class"),
        ("empty statement", "statement"),
        ("no evidence", "evidence"),
        ("others evidence", "evidence"),
        ("bad evidence id", "evidence"),
    ],
)
def test_bad_claims_are_refused_with_the_field_named_and_nothing_saved(world, make_user, case, field):
    from badges.educator import evidence

    mine = evidence.add_link(
        world.teacher, "Mine", "n", "https://example.org/m", [indicator_id(world.framework, "4.1")]
    )
    other = make_user("other@northfield.example.org")
    theirs = evidence.add_link(other, "Theirs", "n", "https://example.org/t", [indicator_id(world.framework, "4.1")])
    db.session.commit()
    args = {
        "badge_class_id": badge("Delivery and Operations: Novice, Teacher").id,
        "statement": "Shown.",
        "evidence_ids": [mine.id],
    }
    args.update(
        {
            "no badge": {"badge_class_id": None},
            "unknown badge": {"badge_class_id": 999999},
            "other role": {"badge_class_id": badge("Delivery and Operations: Novice, School leader").id},
            "empty statement": {"statement": "  "},
            "no evidence": {"evidence_ids": []},
            "others evidence": {"evidence_ids": [theirs.id]},
            "bad evidence id": {"evidence_ids": ["x"]},
        }[case]
    )
    with pytest.raises(InvalidInput) as caught:
        claims.create_claim(world.teacher, args["badge_class_id"], args["statement"], args["evidence_ids"])
    db.session.rollback()
    assert field in caught.value.errors and caught.value.errors[field][0]
    assert count(Claim) == 0 and count(AuditEvent) == 0


def test_a_second_open_claim_for_the_same_badge_is_refused(world):
    world.claim()
    with pytest.raises(InvalidInput, match="already have an open claim"):
        world.claim()


def test_previous_level_policy(world, make_user):
    validator = world.person(make_user, "v@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    set_policy(world.framework, requires_previous_level=True)
    db.session.commit()
    with pytest.raises(InvalidInput, match=r"Novice \(2\) in Delivery and Operations before Experienced"):
        world.claim(name="Delivery and Operations: Experienced, Teacher")
    db.session.rollback()
    world.claim(name="Delivery and Operations: Explorer, Teacher")  # level 1 needs nothing below
    novice = world.claim(name="Delivery and Operations: Novice, Teacher") if False else None
    assert novice is None
    with pytest.raises(InvalidInput, match="Explorer"):
        world.claim(name="Delivery and Operations: Novice, Teacher")
    db.session.rollback()
    explorer = db.session.scalar(select(Claim))
    approve(validator, explorer)
    assert world.claim(name="Delivery and Operations: Novice, Teacher").status is ClaimStatus.SUBMITTED
    with pytest.raises(InvalidInput, match="already hold"):
        world.claim(name="Delivery and Operations: Explorer, Teacher")


def test_returned_claim_is_resubmitted_as_a_new_revision_and_history_is_kept(world, make_user):
    validator = world.person(make_user, "v@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    claim = world.claim(statement="First try.")
    reviews.decide(validator, claim.id, "return", "Show a unit plan too.", {})
    db.session.commit()
    with pytest.raises(StateConflict):
        reviews.decide(validator, claim.id, "approve", "", {})
    db.session.rollback()
    revision = claims.resubmit_claim(
        world.teacher, claim, "Now with the unit plan.", [e.id for e in claim.current.evidence]
    )
    db.session.commit()
    assert revision.number == 2 and claim.status is ClaimStatus.SUBMITTED
    assert [r.statement for r in claim.revisions] == ["First try.", "Now with the unit plan."]
    assert [(r.revision.number, r.decision.value) for r in claim.reviews] == [(1, "return")]
    with pytest.raises(StateConflict, match="Only a claim returned"):
        claims.resubmit_claim(world.teacher, claim, "Again.", [e.id for e in claim.current.evidence])


def test_withdraw_only_open_claims_and_only_ones_own(world, make_user):
    claim = world.claim()
    other = make_user("other@northfield.example.org")
    with pytest.raises(PermissionError):
        claims.withdraw_claim(other, claim)
    claims.withdraw_claim(world.teacher, claim, "Not ready yet.")
    db.session.commit()
    assert claim.status is ClaimStatus.WITHDRAWN
    with pytest.raises(StateConflict):
        claims.withdraw_claim(world.teacher, claim)
    assert world.claim().status is ClaimStatus.SUBMITTED  # a withdrawn claim does not block a new one
