"""Security properties every response and page must have."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from badges.extensions import db
from badges.models import District, SystemRole, User
from tests.conftest import make_app

SLUG = "cbe-educator-competencies"
PASSWORD = "a long enough password 4 tests"
PAGES = [
    "/",
    "/login",
    "/frameworks/",
    f"/frameworks/{SLUG}/1.0",
    f"/frameworks/{SLUG}/1.0/domains/engagement-communication",
]


def make_educator(framework, email="ed@example.org") -> User:
    district = District(slug="riverside", name="Riverside District", framework=framework)
    user = User(district=district, email=email, name="Ed Ucator", professional_role="teacher")
    user.set_password(PASSWORD)
    user.set_system_roles({SystemRole.EDUCATOR})
    db.session.add(user)
    db.session.commit()
    return user


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/login", 200),
        ("/frameworks/", 200),
        ("/no-such-page", 404),
        ("/api/v1/frameworks/", 200),
        ("/api/v1/nope", 404),
        ("/api/v1/me", 401),
        ("/static/style.css", 200),
    ],
)
def test_every_response_carries_the_security_headers(client, framework, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()


ASSET_URL = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r'\b(?:src|href|data)="([^"]*)"',
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_no_script_and_load_nothing_from_other_hosts(client, framework, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script" not in html.lower()
    # The CSP allows no inline styles, so pages must not rely on them either.
    assert "<style" not in html.lower()
    assert not re.search(r'\sstyle="', html, re.IGNORECASE)
    assert not re.search(r'\son[a-z]+="', html, re.IGNORECASE), "inline event handler"
    assets = ASSET_URL.findall(html)
    assert assets, "expected at least the stylesheet"
    for url in assets:
        parts = urlsplit(url)
        assert not parts.netloc or parts.netloc == "localhost", f"{path} loads {url} from another host"
        assert not url.startswith("//")


def test_pages_of_a_signed_in_person_run_no_script_either(client, auth, framework):
    make_educator(framework)
    auth.login("ed@example.org", PASSWORD)
    response = client.get("/home/educator")
    assert response.status_code == 200
    html = response.get_data(as_text=True).lower()
    assert "<script" not in html and "<style" not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_after_login_is_httponly_and_samesite_lax(auth, framework):
    make_educator(framework)
    response = auth.login("ed@example.org", PASSWORD)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    for cookie in cookies:
        attributes = [a.strip() for a in cookie.split(";")]
        assert "HttpOnly" in attributes
        assert "SameSite=Lax" in attributes
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_passwords_are_stored_hashed(framework):
    user = make_educator(framework)
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored != PASSWORD and PASSWORD not in stored
    assert stored.split(":", 1)[0] in ("scrypt", "pbkdf2")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


def test_two_users_with_one_password_get_different_hashes(framework):
    first = make_educator(framework)
    second = User(district=first.district, email="other@example.org", name="Other")
    second.set_password(PASSWORD)
    db.session.add(second)
    db.session.commit()
    assert first.password_hash != second.password_hash


@pytest.fixture
def failing_app(database_url):
    app = make_app(database_url)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/api/v1/boom")
    def api_boom():
        raise KeyError("secret internals: password=hunter2")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_an_unexpected_error_is_a_plain_500_page_without_a_traceback(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>Something went wrong on our side</h1>" in html and "Error 500: Internal Server Error" in html
    assert "Something went wrong on our side" in html
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret internals", ".py"):
        assert leak not in html
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_an_unexpected_api_error_is_a_json_500_without_a_traceback(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == 500 and body["status"] == "Internal Server Error"
    text = response.get_data(as_text=True)
    for leak in ("Traceback", "KeyError", "hunter2", "secret internals"):
        assert leak not in text
