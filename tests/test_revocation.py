"""Revoking a badge: through the validator's claim page, the admin's awards page and the API.

Who may: a validator whose scope covers the award's claim, or an admin of its district; everyone
else is refused, and an award they may not revoke answers 404. What follows at once: verification
says revoked, the district's status list has the award's bit set, the holder is told, the audit
log has the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from badges.credentials.status_list import decode_bits, is_set
from badges.credentials.verification import verify_token
from badges.extensions import db
from badges.models import AuditEvent, Award, District, Notification, School, User
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from
from tests.validation_setup import approve, make_world

REASON = "The evidence was copied from another school."


@dataclass
class People:
    world: object
    validator: User  # scope covers the teacher's claims
    outsider: User  # a validator of another domain
    leader: User
    other_admin: User  # an admin of another district
    other_validator: User  # a validator of another district, whole-district scope
    award: Award


@pytest.fixture
def people(make_user, district, framework) -> People:
    world = make_world(make_user, district, framework)
    validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    outsider = world.person(make_user, "out@northfield.example.org", roles=("validator",))
    world.set_scope(outsider, domains=["engagement-communication"])
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    other = District(slug="southfield", name="Southfield District", framework=framework)
    other.schools.append(School(slug="south", name="South School"))
    db.session.add(other)
    db.session.commit()
    other_admin = make_user("admin@southfield.example.org", roles=("admin",), professional_role=None, in_district=other)
    other_validator = make_user("val@southfield.example.org", roles=("validator",), in_district=other)
    award = approve(validator, world.claim()).award
    return People(world, validator, outsider, leader, other_admin, other_validator, award)


def signed_in(app, user: User):
    client = app.test_client()
    assert Browserless(client).login(user.email, USER_PASSWORD).status_code == 302
    return client


def fresh(award: Award) -> Award:
    db.session.rollback()  # see what the requests committed
    return db.session.get(Award, award.id)


def revoke_page(client, award: Award, reason: str | None = REASON):
    """As the validator does it: the claim page's form, then the confirmation page, then its button."""
    page = client.get(f"/validator/claims/{award.claim_id}")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    if reason is not None:
        data["reason"] = reason
    url = f"/validator/claims/{award.claim_id}/revoke"
    asked = client.post(url, data=data)
    html = asked.get_data(as_text=True)
    if asked.status_code != 200 or "Revoke this badge?" not in html:
        return asked  # refused before anything was asked
    assert fresh(award).revoked_at is None  # asking changed nothing
    return client.post(url, data={**data, "csrf_token": csrf_token_from(html), "confirmed": "yes"})


def revoke_admin(client, award: Award, reason: str | None = REASON):
    """As the admin does it: the form, then the confirmation page (which carries the reason), then its button."""
    page = client.get("/admin/awards")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    if reason is not None:
        data["reason"] = reason
    asked = client.post(f"/admin/awards/{award.id}/revoke", data=data)
    html = asked.get_data(as_text=True)
    if asked.status_code != 200 or "Revoke this badge?" not in html:
        return asked  # refused before anything was asked
    assert fresh(award).revoked_at is None  # asking changed nothing
    repeated = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    assert repeated.get("reason") == str(escape(reason or "")) and repeated["confirmed"] == "yes"
    return client.post(
        f"/admin/awards/{award.id}/revoke", data={**data, "csrf_token": csrf_token_from(html), "confirmed": "yes"}
    )


def revoke_api(client, award_id: int, body):
    return client.post(f"/api/v1/awards/{award_id}/revoke", json=body, headers=api_headers(client))


def status_bit(client, award: Award) -> bool:
    response = client.get(f"/issuers/{award.user.district.slug}/status/revocation")
    assert response.status_code == 200
    return is_set(decode_bits(response.get_json()["credentialSubject"]["encodedList"]), award.status_index)


def assert_revoked_everywhere(client, award: Award, actor: User) -> None:
    award = fresh(award)
    assert award.revoked_at is not None and award.revoked_reason == REASON and award.revoked_by_id == actor.id
    outcome = verify_token(award.jwt)
    assert (outcome.valid, outcome.status) == (False, "revoked") and REASON in outcome.reason
    assert status_bit(client, award)
    notes = db.session.scalars(select(Notification.message).where(Notification.user_id == award.user_id)).all()
    assert any("revoked" in note and REASON in note for note in notes)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "award.revoked")).all()
    assert (event.reason, event.subject_id, event.actor_id) == (REASON, award.id, actor.id)


def assert_not_revoked(client, award: Award) -> None:
    award = fresh(award)
    assert award.revoked_at is None and verify_token(award.jwt).valid and not status_bit(client, award)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "award.revoked")) == 0


# -- the validator's claim page -------------------------------------------------------------


def test_validator_revokes_on_the_claim_page(app, people, client):
    val = signed_in(app, people.validator)
    page = val.get(f"/validator/claims/{people.award.claim_id}").get_data(as_text=True)
    assert "Revoke this badge" in page and "Reason for revoking" in page and "Revoke badge" in page
    assert_not_revoked(client, people.award)
    response = revoke_page(val, people.award)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/validator/claims/{people.award.claim_id}"
    )
    assert_revoked_everywhere(client, people.award, people.validator)
    page = val.get(f"/validator/claims/{people.award.claim_id}").get_data(as_text=True)
    assert "Revoked" in page and REASON in page and "Revoke badge" not in page
    again = revoke_page(val, people.award)
    assert again.status_code == 409 and "already revoked" in again.get_data(as_text=True)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required_on_the_page(app, people, client, reason):
    response = revoke_page(signed_in(app, people.validator), people.award, reason)
    assert response.status_code == 400 and "Say why the badge is revoked" in response.get_data(as_text=True)
    assert_not_revoked(client, people.award)


def test_a_claim_not_yet_awarded_has_nothing_to_revoke(app, people, client):
    claim = people.world.claim(name="Delivery and Operations: Novice, Teacher")
    val = signed_in(app, people.validator)
    page = val.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert "Revoke badge" not in page
    response = val.post(
        f"/validator/claims/{claim.id}/revoke", data={"csrf_token": csrf_token_from(page), "reason": REASON}
    )
    assert response.status_code == 409 and "not awarded" in response.get_data(as_text=True)


# -- the admin's awards page ----------------------------------------------------------------------


def test_admin_lists_awards_and_revokes_one(app, people, client):
    admin = signed_in(app, people.world.admin)
    assert "/admin/awards" in admin.get("/admin/validators").get_data(as_text=True)  # linked from the nav
    page = admin.get("/admin/awards").get_data(as_text=True)
    assert people.world.teacher.name in page and people.award.badge_class.name in page
    assert "Valid" in page and "does not expire" in page and "Revoke badge" in page
    response = revoke_admin(admin, people.award)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/awards")
    assert_revoked_everywhere(client, people.award, people.world.admin)
    page = admin.get("/admin/awards").get_data(as_text=True)
    assert "Revoked" in page and REASON in page and "Revoke badge" not in page
    again = revoke_admin(admin, people.award)
    assert again.status_code == 409 and "already revoked" in again.get_data(as_text=True)


def test_admin_revocation_asks_first_with_the_reason_and_can_be_cancelled(app, people, client):
    admin = signed_in(app, people.world.admin)
    page = admin.get("/admin/awards").get_data(as_text=True)
    assert '<button type="submit" class="danger-secondary"' in page and "Revoke badge…</button>" in page
    token = csrf_token_from(page)
    reason = 'Awarded to the wrong "Terry" <by mistake>.'
    asked = admin.post(f"/admin/awards/{people.award.id}/revoke?page=1", data={"csrf_token": token, "reason": reason})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Revoke this badge?" in html
    assert f"The reason you gave: {escape(reason)}" in html  # shown, and carried in a hidden field
    assert f'name="reason" value="{escape(reason)}"' in html and 'class="danger">Revoke badge</button>' in html
    assert 'href="/admin/awards?page=1">Cancel, go back</a>' in html
    assert_not_revoked(client, people.award)  # asking changed nothing


def test_admin_page_needs_a_reason(app, people, client):
    response = revoke_admin(signed_in(app, people.world.admin), people.award, "")
    assert response.status_code == 400 and "Say why the badge is revoked" in response.get_data(as_text=True)
    assert_not_revoked(client, people.award)


# -- the API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["validator", "admin"])
def test_api_revokes(app, people, client, who):
    actor = people.validator if who == "validator" else people.world.admin
    api = signed_in(app, actor)
    response = revoke_api(api, people.award.id, {"reason": REASON})
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == people.award.id and body["reason"] == REASON and body["revoked_at"]
    assert_revoked_everywhere(client, people.award, actor)
    again = revoke_api(api, people.award.id, {"reason": REASON})
    assert again.status_code == 409 and "already revoked" in again.get_json()["message"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({}, 422),
        ({"reason": 5}, 422),
        ({"reason": None}, 422),
        ({"reason": ["x"]}, 422),
        ({"reason": ""}, 400),
        ({"reason": "  \n "}, 400),
        ({"reason": "x" * 2001}, 400),
        ({"reason": "a\x00b"}, 400),
    ],
)
def test_api_refuses_bad_reasons(app, people, client, body, status):
    response = revoke_api(signed_in(app, people.world.admin), people.award.id, body)
    assert response.status_code == status, response.get_json()
    if status == 400:
        assert response.get_json()["errors"]["reason"]
    assert_not_revoked(client, people.award)


def test_api_needs_a_session(app, people, client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"/api/v1/awards/{people.award.id}/revoke", json={"reason": REASON}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 401
    assert_not_revoked(client, people.award)


# -- who may not ---------------------------------------------------------------------------------

REFUSED = ["holder", "leader", "outsider", "other_admin", "other_validator"]


def _person(people: People, who: str) -> User:
    return {
        "holder": people.world.teacher,
        "leader": people.leader,
        "outsider": people.outsider,
        "other_admin": people.other_admin,
        "other_validator": people.other_validator,
    }[who]


@pytest.mark.parametrize("who", REFUSED)
def test_api_answers_404_to_everyone_else(app, people, client, who):
    api = signed_in(app, _person(people, who))
    response = revoke_api(api, people.award.id, {"reason": REASON})
    assert response.status_code == 404
    missing = revoke_api(api, 999_999, {"reason": REASON}).get_json()["message"]
    assert response.get_json()["message"] == missing.replace("999999", str(people.award.id))  # reveals nothing
    assert_not_revoked(client, people.award)


@pytest.mark.parametrize(
    "who, status", [("holder", 403), ("leader", 403), ("outsider", 404), ("other_admin", 403), ("other_validator", 404)]
)
def test_validator_page_refuses_everyone_else(app, people, client, who, status):
    other = signed_in(app, _person(people, who))
    token = csrf_token_from(other.get("/frameworks/").get_data(as_text=True))
    response = other.post(
        f"/validator/claims/{people.award.claim_id}/revoke", data={"csrf_token": token, "reason": REASON}
    )
    assert response.status_code == status
    assert_not_revoked(client, people.award)


@pytest.mark.parametrize(
    "who, status", [("holder", 403), ("leader", 403), ("outsider", 403), ("other_admin", 404), ("other_validator", 403)]
)
def test_admin_page_refuses_everyone_else(app, people, client, who, status):
    other = signed_in(app, _person(people, who))
    token = csrf_token_from(other.get("/frameworks/").get_data(as_text=True))
    response = other.post(f"/admin/awards/{people.award.id}/revoke", data={"csrf_token": token, "reason": REASON})
    assert response.status_code == status
    assert_not_revoked(client, people.award)
    if who == "other_admin":  # their awards page lists nothing of ours
        assert people.world.teacher.name not in other.get("/admin/awards").get_data(as_text=True)


def test_out_of_scope_validator_sees_no_revoke_form(app, people):
    outsider = signed_in(app, people.outsider)
    assert outsider.get(f"/validator/claims/{people.award.claim_id}").status_code == 404
