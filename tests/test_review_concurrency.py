"""Exactly one outcome: validators deciding the same claim at the same moment, on PostgreSQL.

Each thread has its own app context, so its own database session and connection, as two web
workers would; a barrier releases them together. Run several rounds so the decisions overlap.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from badges.base import StateConflict
from badges.extensions import db
from badges.models import Award, Claim, ClaimStatus, Review, User
from badges.validation import reviews
from tests.validation_setup import full_ratings, make_world

pytestmark = pytest.mark.postgres_only
ROUNDS = 5


@pytest.fixture
def world(is_postgres, make_user, district, framework):
    if not is_postgres:  # CI runs the whole suite again on PostgreSQL, where these run
        pytest.skip("the concurrency guarantee is proven on PostgreSQL (set TEST_DATABASE_URL)")
    world = make_world(make_user, district, framework)
    world.validators = []
    for n in range(2):
        v = world.person(
            make_user, f"v{n}@northfield.example.org", roles=("validator",), role="school-leader", school="south"
        )
        world.set_scope(v)
        world.validators.append(v)
    return world


def race(app, attempts: list[tuple[int, int, str, dict]]) -> list[str]:
    """Run decide(validator_id, claim_id, decision, ratings) for each attempt at once; what each got."""
    barrier = threading.Barrier(len(attempts))
    results: list[str] = [""] * len(attempts)

    def attempt(i: int, validator_id: int, claim_id: int, decision: str, ratings: dict) -> None:
        with app.app_context():
            try:
                validator = db.session.get(User, validator_id)
                barrier.wait(timeout=10)
                reviews.decide(validator, claim_id, decision, "Because.", ratings)
                db.session.commit()
                results[i] = decision
            except StateConflict:
                db.session.rollback()
                results[i] = "conflict"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def counts(claim_id: int) -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Review.id)).where(Review.claim_id == claim_id)),
        db.session.scalar(select(func.count(Award.id)).where(Award.claim_id == claim_id)),
    )


def fresh_claim(world, name) -> tuple[int, dict]:
    claim = world.claim(name=name)
    return claim.id, full_ratings(claim, claim.badge_class.level)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_validators_approving_at_once_give_one_decision_and_one_award(app, world, round_):
    claim_id, ratings = fresh_claim(world, "Delivery and Operations: Experienced, Teacher")
    a, b = world.validators
    results = race(app, [(a.id, claim_id, "approve", ratings), (b.id, claim_id, "approve", ratings)])
    assert sorted(results) == ["approve", "conflict"]
    assert counts(claim_id) == (1, 1)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_validator_double_submitting_counts_once(app, world, round_):
    claim_id, ratings = fresh_claim(world, "Delivery and Operations: Expert, Teacher")  # needs two approvals
    v = world.validators[0]
    results = race(app, [(v.id, claim_id, "approve", ratings)] * 3)
    assert sorted(results) == ["approve", "conflict", "conflict"]
    assert counts(claim_id) == (1, 0)
    assert db.session.get(Claim, claim_id).status is ClaimStatus.SUBMITTED


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_approvers_of_an_expert_claim_at_once_give_exactly_one_award(app, world, round_):
    claim_id, ratings = fresh_claim(world, "Delivery and Operations: Expert, Teacher")
    a, b = world.validators
    results = race(app, [(a.id, claim_id, "approve", ratings), (b.id, claim_id, "approve", ratings)])
    assert results == ["approve", "approve"]
    assert counts(claim_id) == (2, 1)
    assert db.session.get(Claim, claim_id).status is ClaimStatus.APPROVED


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approve_and_decline_at_once_give_one_outcome(app, world, round_):
    claim_id, ratings = fresh_claim(world, "Delivery and Operations: Experienced, Teacher")
    a, b = world.validators
    results = race(app, [(a.id, claim_id, "approve", ratings), (b.id, claim_id, "decline", ratings)])
    assert "conflict" in results and len(set(results)) == 2
    reviews_made, awards = counts(claim_id)
    status = db.session.get(Claim, claim_id).status
    assert reviews_made == 1
    assert (status, awards) in ((ClaimStatus.APPROVED, 1), (ClaimStatus.DECLINED, 0))
