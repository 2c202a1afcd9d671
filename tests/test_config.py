"""Configuration: unsafe settings stop the service before it starts; defaults are safe."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from badges import ConfigError, create_app
from badges.config import build_config, normalize_database_url
from badges.extensions import db
from badges.models import User

LONG_KEY = "k" * 48


@pytest.fixture
def clean_environ(monkeypatch):
    """create_app reads os.environ: make sure nothing from the shell decides the outcome."""
    for name in (
        "SECRET_KEY",
        "FLASK_DEBUG",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
        "BADGES_ENV",
        "EVIDENCE_STORAGE_DIR",
        "LOGIN_RATE_LIMIT",
        "LOGIN_ADDRESS_RATE_LIMIT",
        "BADGES_PUBLIC_URL",
        "FLASK_RUN_HOST",
        "FLASK_RUN_PORT",
        "SIGNING_KEY_PASSPHRASE",
        "JWT_ALGORITHM",
    ):
        monkeypatch.delenv(name, raising=False)


def production(tmp_path, environ=None, **overrides):
    config = {
        "ENVIRONMENT": "production",
        "SECRET_KEY": LONG_KEY,
        "EVIDENCE_STORAGE_DIR": str(tmp_path / "evidence"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        "SIGNING_KEY_PASSPHRASE": LONG_KEY,
    }
    config.update(overrides)
    return build_config(
        tmp_path / "instance", config, environ={"RATELIMIT_STORAGE_URI": "memory://"} if environ is None else environ
    )


@pytest.mark.parametrize("secret_key", [None, "", "too-short-0123456789"], ids=["missing", "empty", "short"])
def test_production_without_a_long_secret_key_refuses_to_start(clean_environ, tmp_path, secret_key):
    config = {
        "ENVIRONMENT": "production",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
    }
    if secret_key is not None:
        config["SECRET_KEY"] = secret_key
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(config)


def test_secret_key_from_the_environment_is_checked_too(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_config(
            tmp_path,
            {"ENVIRONMENT": "production"},
            environ={"SECRET_KEY": "short", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"},
        )


@pytest.mark.parametrize("environment", ["production", "testing"])
def test_debug_mode_outside_development_refuses_to_start(tmp_path, environment):
    with pytest.raises(ConfigError, match="debug"):
        build_config(
            tmp_path,
            {"ENVIRONMENT": environment, "SECRET_KEY": LONG_KEY},
            environ={"FLASK_DEBUG": "1", "RATELIMIT_STORAGE_URI": "memory://"},
        )
    with pytest.raises(ConfigError, match="debug"):
        build_config(
            tmp_path,
            {"ENVIRONMENT": environment, "SECRET_KEY": LONG_KEY, "DEBUG": True},
            environ={"RATELIMIT_STORAGE_URI": "memory://"},
        )


def test_debug_true_through_create_app_refuses(clean_environ, tmp_path):
    with pytest.raises(ConfigError, match="debug"):
        create_app(
            {
                "ENVIRONMENT": "production",
                "SECRET_KEY": LONG_KEY,
                "DEBUG": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
            }
        )


@pytest.mark.parametrize("passphrase", [None, "short"])
def test_production_without_a_signing_key_passphrase_refuses_to_start(clean_environ, tmp_path, passphrase):
    with pytest.raises(ConfigError, match="SIGNING_KEY_PASSPHRASE"):
        production(tmp_path, SIGNING_KEY_PASSPHRASE=passphrase)


def test_jwt_algorithm_is_es256_or_rs256(clean_environ, tmp_path):
    assert production(tmp_path)["JWT_ALGORITHM"] == "ES256"
    assert production(tmp_path, JWT_ALGORITHM="RS256")["JWT_ALGORITHM"] == "RS256"
    with pytest.raises(ConfigError, match="JWT_ALGORITHM"):
        production(tmp_path, JWT_ALGORITHM="HS256")


def test_production_without_a_shared_rate_limit_store_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        production(tmp_path, environ={})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="BADGES_ENV"):
        build_config(tmp_path, environ={"BADGES_ENV": "staging"})


def test_development_defaults_to_an_sqlite_file_under_the_instance_path(tmp_path):
    instance = tmp_path / "instance"
    config = build_config(instance, environ={})
    assert config["ENVIRONMENT"] == "development"
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'badges.sqlite'}"
    assert config["DEBUG"] is False
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["LOGIN_RATE_LIMIT"] == "5 per minute; 20 per hour; 100 per day"
    # A development secret key is made once, kept private under instance/, and reused.
    key_file = instance / "secret_key"
    assert key_file.read_text() == config["SECRET_KEY"]
    assert len(config["SECRET_KEY"]) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert build_config(instance, environ={})["SECRET_KEY"] == config["SECRET_KEY"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance"]


def test_database_url_from_the_environment(tmp_path):
    config = build_config(tmp_path, environ={"DATABASE_URL": "sqlite:////var/lib/badges/badges.sqlite"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////var/lib/badges/badges.sqlite"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgres://badges:pw@db.example:5432/badges", "postgresql+psycopg://badges:pw@db.example:5432/badges"),
        ("postgresql://badges@localhost/badges", "postgresql+psycopg://badges@localhost/badges"),
        ("postgresql+psycopg://badges@localhost/badges", "postgresql+psycopg://badges@localhost/badges"),
        ("sqlite:///tmp/badges.sqlite", "sqlite:///tmp/badges.sqlite"),
    ],
)
def test_postgres_urls_use_the_psycopg_driver(tmp_path, url, expected):
    assert normalize_database_url(url) == expected
    assert build_config(tmp_path, environ={"DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == expected
    assert build_config(tmp_path, {"SQLALCHEMY_DATABASE_URI": url}, environ={})["SQLALCHEMY_DATABASE_URI"] == expected


def test_production_sets_secure_cookie_flags(tmp_path):
    config = production(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["DEBUG"] is False and config["TESTING"] is False


def test_development_cookies_work_over_plain_http(tmp_path):
    config = build_config(tmp_path, environ={})
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_a_production_app_sends_secure_cookies_and_hsts(clean_environ, tmp_path):
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": LONG_KEY,
            "RATELIMIT_STORAGE_URI": "memory://",
            "EVIDENCE_STORAGE_DIR": str(tmp_path / "evidence"),
            "SIGNING_KEY_PASSPHRASE": LONG_KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        }
    )
    response = app.test_client().get("/login", base_url="https://badges.example")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sqlite_connections_enforce_foreign_keys(app, is_postgres):
    if not is_postgres:
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    # On every backend: a user in a district that does not exist is refused by the database.
    db.session.add(User(district_id=987654, email="ghost@example.org", name="Ghost"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalars(select(User)).all() == []


def test_production_without_a_shared_evidence_folder_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="EVIDENCE_STORAGE_DIR"):
        build_config(
            tmp_path / "instance",
            {"ENVIRONMENT": "production", "SECRET_KEY": LONG_KEY},
            environ={"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"},
        )
