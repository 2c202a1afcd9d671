"""Configuration read from the environment, checked before the app starts.

Every setting that differs between deployments comes from an environment variable, so
several instances of the service behind one load balancer share one configuration.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many

ENVIRONMENTS = ("development", "testing", "production")
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The service refuses to start; the message says why."""


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the common way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """A random key kept under instance/ so development sessions (and keys) survive restarts."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ConfigError(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


def parse_term_starts(value: str) -> tuple[tuple[int, int], ...]:
    """ "08-01,01-01" -> ((8, 1), (1, 1)): the month-day boundaries of a school year's terms."""
    starts = []
    for part in value.split(","):
        month, dash, day = part.strip().partition("-")
        try:
            date(2001, int(month), int(day))  # not a leap year: 02-29 would be missing most years
        except ValueError:
            raise ConfigError(
                f"READINESS_TERM_STARTS must be month-day dates separated by commas, such as "
                f"'08-01,01-01', not {value!r}"
            ) from None
        if not (dash and month.isdigit() and day.isdigit() and len(month) == len(day) == 2):
            raise ConfigError(
                f"READINESS_TERM_STARTS must be written MM-DD,MM-DD (such as '08-01,01-01'), not {value!r}"
            )
        starts.append((int(month), int(day)))
    if len(set(starts)) != len(starts):
        raise ConfigError(f"READINESS_TERM_STARTS names the same day twice: {value!r}")
    return tuple(starts)


def _public_url(env: Mapping[str, str]) -> str:
    """BADGES_PUBLIC_URL, or where `flask run` serves (FLASK_RUN_HOST/PORT, which `make run` sets from
    HOST and PORT): a development server names the address it is actually reached at."""
    url = env.get("BADGES_PUBLIC_URL")
    if not url:
        url = f"http://{env.get('FLASK_RUN_HOST') or '127.0.0.1'}:{env.get('FLASK_RUN_PORT') or '5000'}"
    return url.rstrip("/")


def build_config(
    instance_path: str | Path, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    instance_path = Path(instance_path)
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    environment = overrides.get("ENVIRONMENT") or env.get("BADGES_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"BADGES_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    development = environment == "development"

    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env.get("DATABASE_URL")
    if not database_url:
        database_url = f"sqlite:///{instance_path / 'badges.sqlite'}"

    config: dict[str, Any] = {
        "ENVIRONMENT": environment,
        "DEBUG": env.get("FLASK_DEBUG", "0") in ("1", "true", "True"),
        "TESTING": environment == "testing",
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Cookies: never readable from script, not sent on cross-site subrequests,
        # and HTTPS-only wherever the service is not on a developer's laptop.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development and environment != "testing",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not development and environment != "testing",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Rate-limit counters must be shared by every instance: Redis outside development.
        "RATELIMIT_STORAGE_URI": env.get(
            "RATELIMIT_STORAGE_URI", "memory://" if development or environment == "testing" else ""
        ),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins per (account, client address) pair: stacked limits are growing waits.
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute; 20 per hour; 100 per day"),
        # Failed sign-ins per client address alone: high, since a whole school may share one address.
        "LOGIN_ADDRESS_RATE_LIMIT": env.get("LOGIN_ADDRESS_RATE_LIMIT", "300 per hour"),
        # "Forgot your password?" requests, each of which may send a mail: per address typed (so
        # nobody's mailbox is flooded) and per client address (so nobody probes many accounts).
        "RESET_RATE_LIMIT": env.get("RESET_RATE_LIMIT", "3 per hour; 10 per day"),
        "RESET_ADDRESS_RATE_LIMIT": env.get("RESET_ADDRESS_RATE_LIMIT", "30 per hour"),
        # Check every stacked limit, so a refusal names the longest wait, not the first one found.
        "RATELIMIT_FAIL_ON_FIRST_BREACH": False,
        # The one source of every absolute URL the service writes (never the request's Host header).
        "BADGES_PUBLIC_URL": _public_url(env),
        # flask-smorest: the OpenAPI document is generated from the marshmallow schemas.
        "API_TITLE": "Educator competency badges",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Evidence uploads: the largest file taken, and where files live. Every instance must
        # share the storage directory (a shared volume), since any of them may serve a file.
        "EVIDENCE_MAX_BYTES": _positive_int(env, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024),
        "EVIDENCE_STORAGE_DIR": env.get("EVIDENCE_STORAGE_DIR") or str(instance_path / "evidence"),
        # Production must name the folder on purpose: the default is private to one machine.
        "EVIDENCE_STORAGE_DIR_SET": bool(env.get("EVIDENCE_STORAGE_DIR")),
        # Signing keys are stored encrypted in the database with this passphrase; every instance
        # needs the same one. JWT_ALGORITHM signs new VC-JWTs (ES256, or RS256 for older verifiers).
        "SIGNING_KEY_PASSPHRASE": env.get("SIGNING_KEY_PASSPHRASE"),
        "JWT_ALGORITHM": env.get("JWT_ALGORITHM", "ES256"),
        # Verification answers per client (Flask-Limiter syntax).
        "VERIFY_RATE_LIMIT": env.get("VERIFY_RATE_LIMIT", "60 per minute"),
        # Email about claims: "log" writes messages to the application log (no mail server needed),
        # "smtp" sends them through MAIL_SMTP_HOST.
        "MAIL_SENDER": env.get("MAIL_SENDER", "log"),
        "MAIL_FROM": env.get("MAIL_FROM", "badges@localhost"),
        # The issuer email of OB 2.0 documents for a district that has none of its own.
        "BADGES_ISSUER_EMAIL": env.get("BADGES_ISSUER_EMAIL") or env.get("MAIL_FROM", "badges@localhost"),
        "MAIL_SMTP_HOST": env.get("MAIL_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": _positive_int(env, "MAIL_SMTP_PORT", 587),
        "MAIL_SMTP_USERNAME": env.get("MAIL_SMTP_USERNAME"),
        "MAIL_SMTP_PASSWORD": env.get("MAIL_SMTP_PASSWORD"),
        "MAIL_SMTP_STARTTLS": env.get("MAIL_SMTP_STARTTLS", "1") not in ("0", "false", "False"),
        # Readiness figures that would describe fewer than this many people show "fewer than N".
        "READINESS_MIN_CELL": _positive_int(env, "READINESS_MIN_CELL", 5),
        # The first days of the terms (month-day): "badges awarded this term" counts from the latest.
        "READINESS_TERM_STARTS": parse_term_starts(env.get("READINESS_TERM_STARTS") or "08-01,01-01"),
    }
    config.update(overrides)
    config["BADGES_PUBLIC_URL"] = str(config["BADGES_PUBLIC_URL"]).rstrip("/")
    if "EVIDENCE_STORAGE_DIR" in overrides:
        config["EVIDENCE_STORAGE_DIR_SET"] = True
    # A request may carry one file plus its form fields; anything bigger is refused with 413
    # before it is read.
    config.setdefault("MAX_CONTENT_LENGTH", config["EVIDENCE_MAX_BYTES"] + 1024 * 1024)
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config["SECRET_KEY"] and development:
        config["SECRET_KEY"] = _development_secret_key(instance_path)
    if not config["SIGNING_KEY_PASSPHRASE"] and environment != "production":
        # Development keeps one beside the secret key; tests get a fixed one from their overrides.
        config["SIGNING_KEY_PASSPHRASE"] = (
            _development_secret_key(instance_path, "signing_key_passphrase")
            if development
            else "testing-passphrase-not-secret"
        )
    if isinstance(config["READINESS_TERM_STARTS"], str):  # an override written as in the environment
        config["READINESS_TERM_STARTS"] = parse_term_starts(config["READINESS_TERM_STARTS"])
    check_config(config)
    return config


def _is_base_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not (parts.query or parts.fragment)


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse settings that are unsafe outside development, saying which and why."""
    if config["JWT_ALGORITHM"] not in ("ES256", "RS256"):
        raise ConfigError(f"JWT_ALGORITHM must be ES256 or RS256, not {config['JWT_ALGORITHM']!r}")
    for name in (
        "LOGIN_RATE_LIMIT",
        "LOGIN_ADDRESS_RATE_LIMIT",
        "VERIFY_RATE_LIMIT",
        "RESET_RATE_LIMIT",
        "RESET_ADDRESS_RATE_LIMIT",
    ):
        try:
            parse_many(config[name])
        except ValueError:
            raise ConfigError(
                f"{name} must be limits such as '5 per minute; 20 per hour', not {config[name]!r}"
            ) from None
    if not _is_base_url(config["BADGES_PUBLIC_URL"]):
        raise ConfigError(
            "BADGES_PUBLIC_URL must be the address people reach the service at, such as "
            f"https://badges.example.org, not {config['BADGES_PUBLIC_URL']!r}"
        )
    min_cell = config.get("READINESS_MIN_CELL", 5)
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise ConfigError(f"READINESS_MIN_CELL must be a whole number above 0, not {min_cell!r}")
    if config["MAIL_SENDER"] not in ("log", "smtp"):
        raise ConfigError(f"MAIL_SENDER must be log or smtp, not {config['MAIL_SENDER']!r}")
    if config["MAIL_SENDER"] == "smtp" and not config["MAIL_SMTP_HOST"]:
        raise ConfigError("MAIL_SENDER=smtp needs MAIL_SMTP_HOST, the mail server to send through")
    if config["ENVIRONMENT"] == "development":
        return
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} random characters "
            f"outside development (BADGES_ENV={config['ENVIRONMENT']}); "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if config.get("DEBUG"):
        raise ConfigError(
            f"debug mode is on (FLASK_DEBUG) with BADGES_ENV={config['ENVIRONMENT']}; "
            "the debugger runs code sent to it, so it is refused outside development"
        )
    if config["ENVIRONMENT"] == "production" and not config.get("EVIDENCE_STORAGE_DIR_SET"):
        raise ConfigError(
            "EVIDENCE_STORAGE_DIR must name the folder for uploaded evidence in production, one that "
            "every instance of the service shares (a network volume) and that is backed up"
        )
    passphrase = config.get("SIGNING_KEY_PASSPHRASE") or ""
    if config["ENVIRONMENT"] == "production" and len(passphrase) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SIGNING_KEY_PASSPHRASE must be set to at least {MIN_SECRET_KEY_LENGTH} random characters in "
            "production: it encrypts the badge signing keys in the database, and every instance needs the same one"
        )
    if config["ENVIRONMENT"] == "production" and not config.get("RATELIMIT_STORAGE_URI"):
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must name a shared store (e.g. redis://127.0.0.1:6379) in "
            "production, so that every instance counts login attempts together"
        )
