"""Badges that expire, and renewing them: a new claim with fresh evidence for a badge held before.

A badge can be claimed again when the award expires within RENEWAL_WINDOW_DAYS, has expired, or was
revoked; the claim names the most recent award it renews. Holding a badge means an award neither
revoked nor expired, for the "already hold" check and the previous-level rule alike.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from badges.base import InvalidInput
from badges.catalogue.badge_classes import set_policy
from badges.credentials.issuing import add_months
from badges.credentials.revocation import revoke
from badges.credentials.verification import verify_token
from badges.extensions import db
from badges.models import AuditEvent, Award, Claim, utcnow
from badges.validation import claims
from badges.validation.claims import RENEWAL_WINDOW_DAYS, holds_badge
from badges.web.dates import day
from tests.conftest import USER_PASSWORD, Browserless
from tests.test_cli import FW, failed
from tests.validation_setup import approve, badge, make_world

NAME = "Delivery and Operations: Experienced, Teacher"
BELOW = "Delivery and Operations: Novice, Teacher"


@pytest.fixture
def world(make_user, district, framework):
    world = make_world(make_user, district, framework)
    world.validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(world.validator)
    return world


def awarded(world, name: str = NAME) -> Award:
    return approve(world.validator, world.claim(name=name)).award


def expiring_in(award: Award, days: float) -> Award:
    award.valid_until = utcnow() + timedelta(days=days)
    db.session.commit()
    return award


def holds(world, level: int = 3) -> bool:
    return holds_badge(world.teacher, "delivery-operations", "teacher", level)


# -- validity from the policy ------------------------------------------------------------------------


def test_policy_validity_from_the_command_line(runner, framework):
    result = runner.invoke(args=["policy", "set", FW, "--validity-months", "36"])
    assert result.exit_code == 0, result.output
    assert "awards valid for 36 months" in result.output
    assert "awards valid for 36 months" in runner.invoke(args=["policy", "show", FW]).output
    result = runner.invoke(args=["policy", "set", FW, "--no-expiry"])
    assert result.exit_code == 0 and "awards do not expire" in result.output
    assert "valid for" not in runner.invoke(args=["policy", "show", FW]).output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--validity-months", "12", "--no-expiry"], "not both"),
        (["--validity-months", "0"], "validity must be 1 to 120 months"),
        (["--validity-months", "121"], "validity must be 1 to 120 months"),
        (["--validity-months", "soon"], "soon"),
    ],
)
def test_bad_validity_exits_with_one_line(runner, framework, args, expected):
    failed(runner.invoke(args=["policy", "set", FW, *args]), expected)
    db.session.rollback()
    assert "valid for" not in runner.invoke(args=["policy", "show", FW]).output


def test_awards_expire_by_the_policy(world):
    set_policy(world.framework, validity_months=12)
    db.session.commit()
    award = awarded(world)
    assert award.valid_until == add_months(award.valid_from, 12)
    assert verify_token(award.jwt).valid
    later = verify_token(award.jwt, now=award.valid_until + timedelta(days=1))
    assert (later.valid, later.status) == (False, "expired") and "expired" in later.reason


def test_without_a_validity_awards_do_not_expire(world):
    award = awarded(world)
    assert award.valid_until is None
    assert verify_token(award.jwt, now=utcnow() + timedelta(days=365 * 20)).valid


# -- holding a badge ----------------------------------------------------------------------------------


def test_holding_means_neither_revoked_nor_expired(world):
    award = awarded(world)
    assert holds(world)
    expiring_in(award, -1)
    assert not holds(world)
    expiring_in(award, 1)
    assert holds(world)
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    assert not holds(world)


def test_previous_level_rule_needs_a_live_lower_badge(world):
    set_policy(world.framework, requires_previous_level=True)
    db.session.commit()
    awarded(world, "Delivery and Operations: Explorer, Teacher")
    below = awarded(world, BELOW)
    expiring_in(below, -1)
    with pytest.raises(InvalidInput, match=r"Novice \(2\) in Delivery and Operations before Experienced"):
        world.claim(name=NAME)
    db.session.rollback()
    expiring_in(db.session.get(Award, below.id), 30)
    assert world.claim(name=NAME).renewal_of_award_id is None


# -- renewing -------------------------------------------------------------------------------------------


def test_a_badge_held_without_expiry_cannot_be_claimed_again(world):
    awarded(world)
    with pytest.raises(InvalidInput, match="already hold") as caught:
        world.claim(name=NAME)
    assert "renew" not in str(caught.value)


@pytest.mark.parametrize("days", [RENEWAL_WINDOW_DAYS + 1, 365])
def test_too_early_to_renew_says_when(world, days):
    award = expiring_in(awarded(world), days)
    opens = award.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    with pytest.raises(InvalidInput, match="already hold") as caught:
        world.claim(name=NAME)
    message = caught.value.errors["badge_class"][0]
    assert f"valid until {award.valid_until:%Y-%m-%d}" in message and f"renew it from {opens:%Y-%m-%d}" in message


@pytest.mark.parametrize("how", ["expires soon", "expired", "revoked"])
def test_renewal_is_allowed_and_recorded(world, how):
    award = awarded(world)
    if how == "expires soon":
        expiring_in(award, RENEWAL_WINDOW_DAYS - 1)
    elif how == "expired":
        expiring_in(award, -1)
    else:
        revoke(world.admin, award, "Issued in error.")
        db.session.commit()
    renewal = world.claim(name=NAME, statement="This year's evidence.")
    assert renewal.renewal_of_award_id == award.id and renewal.renewal_of is award
    assert renewal.current.statement == "This year's evidence." and len(renewal.current.evidence) == 1
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "claim.submitted", AuditEvent.subject_id == renewal.id)
    )
    assert f"renewal of the award of {award.awarded_at:%Y-%m-%d}" in event.summary
    assert approve(world.validator, renewal).award is not None  # and it can be awarded again


def test_a_renewal_still_cites_evidence(world):
    expiring_in(awarded(world), -1)
    with pytest.raises(InvalidInput) as caught:
        claims.create_claim(world.teacher, badge(NAME).id, "Renewing.", [])
    assert caught.value.errors["evidence"] == ["Choose at least one item of your evidence that supports the claim."]


def test_a_renewal_renews_the_most_recent_award(world):
    first = expiring_in(awarded(world), -1)
    second = approve(world.validator, world.claim(name=NAME)).award
    assert second.claim.renewal_of_award_id == first.id
    with pytest.raises(InvalidInput, match="already hold"):  # the renewed badge is held again
        world.claim(name=NAME)
    db.session.rollback()
    revoke(world.admin, db.session.get(Award, second.id), "Issued in error.")
    db.session.commit()
    assert world.claim(name=NAME).renewal_of_award_id == second.id


def test_a_first_claim_is_not_a_renewal(world):
    claim = world.claim(name=NAME)
    assert claim.renewal_of_award_id is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.subject_id == claim.id, AuditEvent.action == "claim.submitted")
    )
    assert "renewal" not in event.summary


def test_the_validator_page_says_it_is_a_renewal(app, world):
    award = expiring_in(awarded(world), 10)
    renewal = world.claim(name=NAME)
    first = db.session.scalar(select(Claim).where(Claim.id == award.claim_id))
    client = app.test_client()
    assert Browserless(client).login(world.validator.email, USER_PASSWORD).status_code == 302
    page = client.get(f"/validator/claims/{renewal.id}").get_data(as_text=True)
    assert "This is a renewal" in page and day(award.valid_until) in page
    assert "This is a renewal" not in client.get(f"/validator/claims/{first.id}").get_data(as_text=True)
