"""Fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
an app per test, HTTP clients that sign in through the real login form, and the CLI runner.

Tests that need PostgreSQL or Chromium skip with a reason on a laptop and fail under CI=true.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from badges import create_app
from badges.config import normalize_database_url
from badges.extensions import db, limiter
from badges.resources import default_framework_file

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def need(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalize_database_url(url)
        engine = create_engine(url)
        with engine.begin() as conn:  # a throwaway database: start from nothing
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app({"ENVIRONMENT": "testing", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


class RequestIsolatedClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and db session), as under a
    real server; otherwise requests would share the test's context and its cached `g`."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_EVIDENCE_ROOT: list[str] = []


def _evidence_root() -> str:
    """One temporary folder per test run for uploaded evidence: tests never write under instance/."""
    if not _EVIDENCE_ROOT:
        root = tempfile.mkdtemp(prefix="badges-test-evidence-")
        atexit.register(shutil.rmtree, root, True)
        _EVIDENCE_ROOT.append(root)
    return _EVIDENCE_ROOT[0]


def make_app(database_url: str, **overrides):
    config = {"ENVIRONMENT": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
              "RATELIMIT_STORAGE_URI": "memory://", "EVIDENCE_STORAGE_DIR": _evidence_root()}
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = RequestIsolatedClient
    return app


def _empty_all_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        # Claims and awards point at each other (a renewal names the award it renews): cut that first.
        db.session.execute(text("UPDATE claims SET renewal_of_award_id = NULL"))
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        limiter.reset()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def framework(app):
    from badges.catalogue.loading import install_framework_file

    fw = install_framework_file(default_framework_file()).framework
    db.session.commit()
    return fw


@pytest.fixture
def demo(app, framework):
    """The demo district (two schools, ~30 staff); returns its DemoDistrict summary."""
    from badges.people.demo import seed_demo_district

    result = seed_demo_district(framework)
    db.session.commit()
    return result


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browserless:
    """A test client that signs in the way a person does: GET the form, POST it with its token."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str):
        page = self.client.get("/login")
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": csrf_token_from(page.get_data(as_text=True))})

    def logout(self):
        page = self.client.get("/frameworks/")  # a page that shows the sign-out form, never redirects
        token = csrf_token_from(page.get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(client):
    return Browserless(client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


USER_PASSWORD = "a-long-enough-password"
_USER_PASSWORD_HASH: list[str] = []


@pytest.fixture
def district(app, framework):
    """A district using the seed framework, with one school ("north")."""
    from badges.models import District, School

    district = District(slug="northfield", name="Northfield District", framework=framework)
    district.schools.append(School(slug="north", name="North School"))
    db.session.add(district)
    db.session.commit()
    return district


@pytest.fixture
def make_user(app, district):
    """make_user("a@x.org", roles={"educator"}, professional_role="teacher") -> User (password USER_PASSWORD)."""
    from werkzeug.security import generate_password_hash

    from badges.models import SystemRole, User

    if not _USER_PASSWORD_HASH:  # scrypt is slow on purpose: hash the shared password once
        _USER_PASSWORD_HASH.append(generate_password_hash(USER_PASSWORD))

    def make(email: str, roles=("educator",), professional_role: str | None = "teacher", in_district=None,
             name: str | None = None):
        user = User(district=in_district or district, email=email, name=name or email.split("@")[0].title(),
                    professional_role=professional_role, password_hash=_USER_PASSWORD_HASH[0])
        user.set_system_roles({SystemRole(r) for r in roles})
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def teacher(make_user):
    return make_user("teacher@northfield.example.org", name="Terry Teacher")


def api_headers(client) -> dict[str, str]:
    """Headers for a state-changing API call by the signed-in client: the CSRF token from /api/v1/me."""
    me = client.get("/api/v1/me")
    assert me.status_code == 200, "sign in before calling api_headers"
    return {"X-CSRFToken": me.get_json()["csrf_token"]}


@pytest.fixture
def public_server(app):
    """The app served on 127.0.0.1 in a thread, with BADGES_PUBLIC_URL pointing at it, so credentials
    issued during the test name URLs an outside verifier can fetch. Yields the base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BADGES_PUBLIC_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
