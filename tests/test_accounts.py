"""Accounts in the domain: the one password policy, and the signed, expiring, single-use links
(badges.people.passwords, badges.people.account_links). Pages and API: tests/test_accounts_http.py."""

from __future__ import annotations

import itsdangerous.timed
import pytest
from sqlalchemy import select

from badges.base import InvalidInput, StateConflict
from badges.credentials.urls import account_link
from badges.extensions import db
from badges.models import AuditEvent, User
from badges.people import account_links, operations, passwords
from badges.people.account_links import INVITATION, RESET, LinkRefused
from badges.people.operations import PeopleError
from tests.conftest import USER_PASSWORD

NEW_PASSWORD = "correct horse battery staple"


def later(monkeypatch, seconds: float) -> None:
    """Move the clock the links are signed and read with forward (only itsdangerous's)."""
    now = itsdangerous.timed.time.time()

    class Clock:
        @staticmethod
        def time() -> float:
            return now + seconds

    monkeypatch.setattr(itsdangerous.timed, "time", Clock)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- the policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short pass", "password must be at least 12 characters long (this one has 10)"),
        ("x" * 11 + "y", "password repeats the same few characters"),
        ("ab" * 65, "password can be at most 128 characters long (this one has 130)"),
        ("qwerty123456", "password is one of the most common passwords"),
        ("QWERTY123456", "password is one of the most common passwords"),  # case does not make it rare
        ("1q2w3e4r5t6y", "password is one of the most common passwords"),
        ("nina@northfield.example.org", "password must not be your email address"),
        ("NinaNewcomer", None),  # the name is not checked: only the address
        (NEW_PASSWORD, None),
        ("ümlaut passphrase", None),
        ("a" * 60 + "bcd" + "e" * 65, None),  # 128 characters: the longest allowed
    ],
)
def test_the_policy_names_the_problem(password, problem):
    found = passwords.password_problem(password, "nina@northfield.example.org")
    assert (found is None) if problem is None else found.startswith(problem)


def test_the_common_list_ships_in_the_package():
    common = passwords.common_passwords()
    assert len(common) >= 9_900 and {"password", "123456", "qwerty123456"} <= common
    assert passwords.COMMON_PASSWORDS_FILE.is_file()


def test_every_way_of_setting_a_password_uses_the_policy(app, teacher, district, runner, monkeypatch):
    with pytest.raises(PeopleError, match="most common passwords"):
        operations.set_password(teacher, "Password1234")
    with pytest.raises(PeopleError, match="most common passwords"):
        operations.create_user(district, "new@northfield.example.org", "New", password="qwertyuiop123")
    with pytest.raises(PeopleError, match="not be your email address"):
        operations.set_password(teacher, teacher.email)
    monkeypatch.setenv("BADGES_NEW_PASSWORD", "qwerty123456")
    result = runner.invoke(args=["user", "set-password", teacher.email])
    assert result.exit_code != 0 and "most common passwords" in result.output
    with pytest.raises(InvalidInput) as refused:
        operations.change_own_password(teacher, USER_PASSWORD, "1q2w3e4r5t6y")
    assert "most common" in refused.value.errors["new_password"][0]


# --- links -------------------------------------------------------------------------------------


def test_an_invitation_link_works_once_and_signs_nobody_in_by_itself(app, newcomer):
    token = account_links.make_token(newcomer, INVITATION)
    assert account_links.person_for(token, INVITATION).id == newcomer.id
    assert account_links.person_for(token, INVITATION).id == newcomer.id  # reading does not use it up
    account_links.use_link(token, INVITATION, NEW_PASSWORD)
    db.session.commit()
    assert db.session.get(User, newcomer.id).check_password(NEW_PASSWORD)
    with pytest.raises(LinkRefused) as used:
        account_links.person_for(token, INVITATION)
    assert used.value.reason == "used" and "already been used" in used.value.errors["token"][0]
    with pytest.raises(LinkRefused):
        account_links.use_link(token, INVITATION, "another fine passphrase")


@pytest.mark.parametrize("purpose, lasts", [(INVITATION, 7 * 24 * 3600), (RESET, 3600)])
def test_links_expire(app, teacher, monkeypatch, purpose, lasts):
    token = account_links.make_token(teacher, purpose)
    later(monkeypatch, lasts - 60)
    assert account_links.person_for(token, purpose).id == teacher.id
    later(monkeypatch, lasts + 1)
    with pytest.raises(LinkRefused) as expired:
        account_links.person_for(token, purpose)
    assert expired.value.reason == "expired"
    assert f"it lasts {purpose.lasts}" in expired.value.errors["token"][0]


def test_a_tampered_or_foreign_link_is_refused(app, teacher, make_user):
    token = account_links.make_token(teacher, RESET)
    other = make_user("other@northfield.example.org")
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature changed
        token.replace(token.split(".")[0], account_links.make_token(other, RESET).split(".")[0]),  # another id
        token[:20],
        "not-a-token",
        "",
    ]
    for bad in forged:
        with pytest.raises(LinkRefused) as refused:
            account_links.person_for(bad, RESET)
        assert refused.value.reason == "invalid"


def test_a_link_for_one_purpose_is_refused_for_the_other(app, teacher):
    with pytest.raises(LinkRefused) as refused:
        account_links.person_for(account_links.make_token(teacher, RESET), INVITATION)
    assert refused.value.reason == "invalid"
    with pytest.raises(LinkRefused):
        account_links.person_for(account_links.make_token(teacher, INVITATION), RESET)


def test_a_link_of_another_secret_key_is_refused(app, teacher):
    token = account_links.make_token(teacher, RESET)
    app.config["SECRET_KEY"] = "another-secret-key-that-is-long-enough-9876543210"
    with pytest.raises(LinkRefused):
        account_links.person_for(token, RESET)


def test_a_deactivated_person_cannot_use_a_link_even_after_reactivation(app, teacher, admin):
    token = account_links.make_token(teacher, RESET)
    operations.deactivate_user(teacher, actor=admin)
    db.session.commit()
    with pytest.raises(LinkRefused) as refused:
        account_links.person_for(token, RESET)
    assert refused.value.reason == "deactivated"
    operations.reactivate_user(teacher, actor=admin)
    db.session.commit()
    with pytest.raises(LinkRefused) as refused:  # deactivation ended the session version the link named
        account_links.person_for(token, RESET)
    assert refused.value.reason == "used"


def test_signing_out_everywhere_ends_a_reset_link_too(app, teacher, admin):
    token = account_links.make_token(teacher, RESET)
    operations.sign_out_everywhere(teacher, actor=admin)
    db.session.commit()
    with pytest.raises(LinkRefused):
        account_links.person_for(token, RESET)


def test_a_refused_password_leaves_the_link_usable(app, teacher):
    token = account_links.make_token(teacher, RESET)
    with pytest.raises(InvalidInput) as refused:
        account_links.use_link(token, RESET, "too short")
    assert refused.value.errors == {"new_password": ["Password must be at least 12 characters long (this one has 9)."]}
    db.session.rollback()
    assert account_links.use_link(token, RESET, NEW_PASSWORD).id == teacher.id


# --- invitations and resets --------------------------------------------------------------------


def test_an_invitation_is_mailed_after_the_commit_from_the_public_address(app, newcomer, admin, outbox):
    app.config["BADGES_PUBLIC_URL"] = "https://badges.example.org"
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        account_links.invite(admin, newcomer, account_link)
        assert outbox == []  # nothing leaves before the commit
        db.session.commit()
    (mail,) = outbox
    assert mail.to == newcomer.email and "invited" in mail.subject
    assert "https://badges.example.org/invitation/" in mail.body and "evil.example" not in mail.body
    assert "7 days" in mail.body
    assert db.session.get(User, newcomer.id).invited_at is not None
    (event,) = events("account.invited")
    assert event.actor_id == admin.id and event.subject_id == newcomer.id
    assert event.summary == "Invitation sent to Nina Newcomer <nina@northfield.example.org>."


def test_a_rolled_back_invitation_sends_nothing(app, newcomer, admin, outbox):
    account_links.invite(admin, newcomer, account_link)
    db.session.rollback()
    assert outbox == [] and db.session.get(User, newcomer.id).invited_at is None


def test_sending_an_invitation_again_is_audited_as_such(app, newcomer, admin, outbox):
    for _ in range(2):
        account_links.invite(admin, newcomer, account_link)
        db.session.commit()
    assert len(outbox) == 2
    assert events("account.invited")[-1].summary.startswith("Invitation sent again")


def test_who_can_be_invited(app, teacher, newcomer, admin, make_user, framework):
    with pytest.raises(StateConflict, match="already has a password"):
        account_links.invite(admin, teacher, account_link)
    operations.deactivate_user(newcomer, actor=admin)
    with pytest.raises(StateConflict, match="deactivated"):
        account_links.invite(admin, newcomer, account_link)
    with pytest.raises(PermissionError):
        account_links.invite(teacher, newcomer, account_link)  # not an admin


def test_a_forgotten_password_mails_only_an_active_account(app, teacher, newcomer, admin, outbox):
    account_links.forgotten("  Teacher@Northfield.example.org ", account_link)
    account_links.forgotten("nobody@northfield.example.org", account_link)
    operations.deactivate_user(newcomer, actor=admin)
    account_links.forgotten(newcomer.email, account_link)
    db.session.commit()
    assert [m.to for m in outbox] == [teacher.email]
    assert "1 hour" in outbox[0].body and "/reset-password/" in outbox[0].body
    assert events("account.reset_sent") == []  # only an admin's sending is audited


def test_an_admins_reset_link_is_audited(app, teacher, admin, outbox):
    account_links.send_reset(teacher, account_link, actor=admin)
    db.session.commit()
    (event,) = events("account.reset_sent")
    assert event.actor_id == admin.id and len(outbox) == 1


def test_setting_a_password_through_a_link_is_audited_as_the_person(app, teacher):
    account_links.use_link(account_links.make_token(teacher, RESET), RESET, NEW_PASSWORD)
    db.session.commit()
    (event,) = events("account.password_set")
    assert event.actor_id == teacher.id and "through a password reset link" in event.summary


def test_an_admin_cannot_deactivate_themselves(app, admin):
    with pytest.raises(PeopleError, match="your own account"):
        operations.deactivate_user(admin, actor=admin)
