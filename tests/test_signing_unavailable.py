"""An instance whose SIGNING_KEY_PASSPHRASE does not open the keys refuses to award, clearly:
503 with a message, the decision not saved, and the award not half-made."""

from __future__ import annotations

from sqlalchemy import func, select

from badges.extensions import db
from badges.models import Award, ClaimStatus, Review
from tests.conftest import USER_PASSWORD, Browserless, make_app
from tests.validation_setup import approve, full_ratings, make_world


def test_wrong_passphrase_gives_503_and_saves_nothing(app, database_url, make_user, district, framework):
    world = make_world(make_user, district, framework)
    first, second = (
        world.person(
            make_user, f"v{n}@northfield.example.org", roles=("validator",), role="school-leader", school="south"
        )
        for n in (1, 2)
    )
    world.set_scope(first)
    world.set_scope(second)
    approve(first, world.claim(name="Information Technology: Novice, Teacher"))  # makes the keys
    claim = world.claim()
    ratings = {str(k): v for k, v in full_ratings(claim, 3).items()}

    other = make_app(database_url, SIGNING_KEY_PASSPHRASE="not-the-passphrase-the-keys-were-made-with")
    try:
        client = other.test_client()
        assert Browserless(client).login(second.email, USER_PASSWORD).status_code == 302
        token = client.get("/api/v1/me").get_json()["csrf_token"]
        response = client.post(
            f"/api/v1/reviews/claims/{claim.id}/decision",
            headers={"X-CSRFToken": token},
            json={"decision": "approve", "feedback": "", "ratings": ratings, "revision": 1},
        )
    finally:
        with other.app_context():  # close the second instance's connections now, not at garbage collection
            db.session.remove()
            db.engine.dispose()
    assert response.status_code == 503
    assert "cannot be signed" in response.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(type(claim), claim.id).status is ClaimStatus.SUBMITTED
    assert db.session.scalar(select(func.count(Review.id)).where(Review.claim_id == claim.id)) == 0
    assert db.session.scalar(select(func.count(Award.id))) == 1
