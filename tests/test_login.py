"""Signing in and out through the real form: tokens, messages, redirects and the rate limit."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from werkzeug.security import generate_password_hash

from badges.errors import describe_wait
from badges.extensions import db, limiter
from badges.models import District, SystemRole, User
from tests.conftest import _empty_all_tables, csrf_token_from, make_app

PASSWORD = "a long enough password 4 tests"
_HASH: list[str] = []
WRONG = "Email or password is not right."


def make_user(framework, email="ed@example.org", roles=frozenset({SystemRole.EDUCATOR}), **fields) -> User:
    district = db.session.query(District).filter_by(slug="riverside").one_or_none() or District(
        slug="riverside", name="Riverside District", framework=framework
    )
    user = User(district=district, email=email, name="Ed Ucator", professional_role="teacher", **fields)
    if not _HASH:  # scrypt is slow on purpose: hash the shared password once
        _HASH.append(generate_password_hash(PASSWORD))
    user.password_hash = _HASH[0]
    user.set_system_roles(set(roles))
    db.session.add(user)
    db.session.commit()
    return user


def signed_in(client) -> bool:
    status = client.get("/api/v1/me").status_code
    assert status in (200, 401)
    return status == 200


def post_login(client, email, password, query="", **environ):
    page = client.get("/login" + query)
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(
        "/login" + query, data={"email": email, "password": password, "csrf_token": token}, environ_base=environ
    )


def test_login_page_has_the_form(client, app):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html
    assert csrf_token_from(html)


@pytest.mark.parametrize(
    "roles, home",
    [
        ({SystemRole.EDUCATOR}, "/home/educator"),
        ({SystemRole.VALIDATOR}, "/home/validator"),
        ({SystemRole.EDUCATOR, SystemRole.DISTRICT_LEADER}, "/home/leader"),
        ({SystemRole.EDUCATOR, SystemRole.ADMIN}, "/home/admin"),
    ],
)
def test_sign_in_goes_to_the_role_home(client, auth, framework, roles, home):
    make_user(framework, roles=roles)
    response = auth.login("ed@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert signed_in(client)
    assert client.get(home).status_code == 200


def test_email_is_matched_without_regard_to_case(client, auth, framework):
    make_user(framework)
    assert auth.login("Ed@Example.ORG", PASSWORD).status_code == 302
    assert signed_in(client)


def test_wrong_password_is_refused(client, auth, framework):
    make_user(framework)
    response = auth.login("ed@example.org", PASSWORD + "x")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert not signed_in(client)


def test_unknown_email_gets_the_same_answer(client, auth, framework):
    make_user(framework)
    wrong_password = auth.login("ed@example.org", "not it at all")
    unknown = auth.login("nobody@example.org", PASSWORD)
    assert unknown.status_code == wrong_password.status_code == 401
    assert WRONG in unknown.get_data(as_text=True)
    assert not signed_in(client)


def test_post_without_csrf_token_is_refused(client, framework):
    make_user(framework)
    response = client.post("/login", data={"email": "ed@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_post_with_a_forged_csrf_token_is_refused(client, framework):
    make_user(framework)
    client.get("/login")
    response = client.post("/login", data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert not signed_in(client)


def test_empty_form_is_a_400_and_not_signed_in(client, app):
    response = post_login(client, "", "")
    assert response.status_code == 400
    assert not signed_in(client)


def test_the_default_throttle_is_per_account_and_address_with_growing_waits(app):
    assert app.config["LOGIN_RATE_LIMIT"] == "5 per minute; 20 per hour; 100 per day"
    assert app.config["LOGIN_ADDRESS_RATE_LIMIT"] == "300 per hour"


def test_failures_on_one_account_from_one_address_are_delayed_and_the_wait_is_named(client, framework):
    make_user(framework)
    for _ in range(5):
        assert post_login(client, "ed@example.org", "wrong password").status_code == 401
    limited = post_login(client, "ed@example.org", PASSWORD)  # even the right password waits now
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    wait = int(limited.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert "Too many sign-in attempts for this account from your network. Try again in " in html
    # The wait in the page is the one in Retry-After, in words: "40 seconds", or "1 minute" for a full minute.
    assert f"Try again in {describe_wait(wait)}." in html
    assert re.fullmatch(r"\d+ seconds?|1 minute", describe_wait(wait))
    assert "<script" not in html
    assert not signed_in(client)
    # The same account from another address, and another account from this address, are not held up.
    assert post_login(client, "ed@example.org", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_another_account_from_the_same_address_is_not_delayed(client, framework):
    make_user(framework)
    make_user(framework, email="other@example.org")
    for _ in range(5):
        assert post_login(client, "ed@example.org", "wrong password").status_code == 401
    assert post_login(client, "ed@example.org", "wrong password").status_code == 429
    assert post_login(client, "other@example.org", PASSWORD).status_code == 302


def test_a_strangers_failures_elsewhere_do_not_lock_the_teacher_out(client, framework):
    make_user(framework)
    for n in range(30):  # more than the hourly limit of one pair, spread over addresses
        stranger = f"198.51.100.{n % 3 + 1}"
        status = post_login(client, "ed@example.org", "wrong password", REMOTE_ADDR=stranger).status_code
        assert status in (401, 429)
    assert post_login(client, "ed@example.org", "wrong password", REMOTE_ADDR="198.51.100.1").status_code == 429
    # The teacher, at school, is not affected.
    assert post_login(client, "Ed@example.org", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302
    assert signed_in(client)


def test_a_school_behind_one_address_can_each_sign_in(client, framework):
    teachers = [f"teacher{n}@example.org" for n in range(12)]
    for email in teachers:
        make_user(framework, email=email)
    school = {"REMOTE_ADDR": "192.0.2.77"}
    for email in teachers:  # a typo each, twice: 24 failures from one address, more than any pair allows
        for _ in range(2):
            assert post_login(client, email, "typo in the password", **school).status_code == 401
    for email in teachers:
        assert post_login(client, email, PASSWORD, **school).status_code == 302
        assert signed_in(client)
        client.delete_cookie("session")


def test_signing_in_successfully_is_never_counted(strict_app):
    with strict_app.app_context():
        make_user(None)
    client = strict_app.test_client()
    for _ in range(6):  # twice the limit of 3
        assert post_login(client, "ed@example.org", PASSWORD).status_code == 302
        client.delete_cookie("session")


@pytest.fixture
def strict_app(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute", LOGIN_ADDRESS_RATE_LIMIT="5 per hour")
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
        db.engine.dispose()


def test_the_login_rate_limit_is_configurable(strict_app):
    client = strict_app.test_client()
    for _ in range(3):
        assert post_login(client, "guess@example.org", "wrong password").status_code == 401
    response = post_login(client, "guess@example.org", "wrong password")
    assert response.status_code == 429
    assert "Too Many Requests" in response.get_data(as_text=True)
    assert "<script" not in response.get_data(as_text=True)


def test_the_address_ceiling_holds_whatever_accounts_are_tried(strict_app):
    client = strict_app.test_client()
    for n in range(5):  # a different account each time: only the address ceiling is reached
        assert post_login(client, f"guess{n}@example.org", "wrong password").status_code == 401
    limited = post_login(client, "guess9@example.org", "wrong password")
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "Too many failed sign-in attempts from your network. Try again in 1 hour." in html
    assert 3500 <= int(limited.headers["Retry-After"]) <= 3600
    assert post_login(client, "guess9@example.org", "wrong password", REMOTE_ADDR="203.0.113.9").status_code == 401


def test_the_wait_named_is_the_longest_of_the_stacked_limits(database_url):
    app = make_app(database_url, LOGIN_RATE_LIMIT="5 per minute; 2 per hour")
    try:
        client = app.test_client()
        for _ in range(2):
            assert post_login(client, "guess@example.org", "wrong password").status_code == 401
        limited = post_login(client, "guess@example.org", "wrong password")
        assert limited.status_code == 429
        assert "Try again in 1 hour." in limited.get_data(as_text=True)
    finally:
        with app.app_context():
            limiter.reset()
            db.engine.dispose()


@pytest.mark.parametrize(
    "seconds, words",
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (179, "3 minutes"),
        (3600, "1 hour"),
        (3601, "1 hour and 1 minute"),
        (7260, "2 hours and 1 minute"),
        (86400, "24 hours"),
    ],
)
def test_waits_are_described_in_plain_words(seconds, words):
    assert describe_wait(seconds) == words


def test_viewing_the_login_page_is_not_rate_limited(client, app):
    for _ in range(12):
        assert client.get("/login").status_code == 200


def test_logout_needs_post_with_csrf_and_signs_out(client, auth, framework):
    make_user(framework)
    auth.login("ed@example.org", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert signed_in(client)
    assert client.post("/logout").status_code == 400
    assert signed_in(client)
    # The sign-out button is on every page for a signed-in person.
    token = csrf_token_from(client.get("/frameworks/").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)


def test_logout_when_not_signed_in_goes_to_login(client, app):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/frameworks/", "/frameworks/"),
        ("/api/v1/me", "/api/v1/me"),
        ("https://evil.example/steal", "/home/educator"),
        ("http://evil.example/", "/home/educator"),
        ("//evil.example/steal", "/home/educator"),
        ("/\\evil.example", "/home/educator"),
        ("javascript:alert(1)", "/home/educator"),
        ("frameworks/", "/home/educator"),
    ],
)
def test_next_redirects_only_to_same_site_paths(client, framework, target, expected):
    make_user(framework)
    response = post_login(client, "ed@example.org", PASSWORD, query=f"?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert signed_in(client)


def test_a_protected_page_sends_to_login_and_back(client, framework):
    make_user(framework)
    response = client.get("/home/educator")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    back = post_login(client, "ed@example.org", PASSWORD, query="?next=/home/educator")
    assert back.headers["Location"] == "/home/educator"


def test_inactive_user_cannot_sign_in(client, auth, framework):
    make_user(framework, active=False)
    response = auth.login("ed@example.org", PASSWORD)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert not signed_in(client)


def test_deactivated_user_is_signed_out_on_the_next_request(client, auth, framework):
    user = make_user(framework)
    auth.login("ed@example.org", PASSWORD)
    assert signed_in(client)
    user.active = False
    db.session.commit()
    assert not signed_in(client)


def test_user_without_a_password_cannot_sign_in(client, auth, framework):
    user = make_user(framework)
    user.password_hash = None
    db.session.commit()
    assert auth.login("ed@example.org", "").status_code == 400
    assert auth.login("ed@example.org", PASSWORD).status_code == 401
    assert not signed_in(client)


def test_signing_in_starts_a_new_session(client, auth, framework):
    make_user(framework)
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("ed@example.org", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
