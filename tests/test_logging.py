"""Logging is configured once by environment: readable INFO lines in development (so mail in `log`
mode shows under `make run`), one JSON object per line in production, nothing added in testing."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from badges.logging_setup import configure_logging
from badges.mail import LogMailSender, Mail


@pytest.fixture
def root_handlers():
    """Put the root logger back as it was: other tests rely on pytest's own capture."""
    root, ours = logging.getLogger(), logging.getLogger("badges")
    saved_handlers, saved_level, saved_ours = list(root.handlers), root.level, ours.level
    yield
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    ours.setLevel(saved_ours)


def app_in(environment: str) -> Flask:
    app = Flask("badges")
    app.config["ENVIRONMENT"] = environment
    return app


def test_development_shows_mail_in_log_mode_at_info(root_handlers, capsys):
    app = app_in("development")
    configure_logging(app)
    configure_logging(app)  # a second app in the process replaces the handler, never doubles it
    with app.app_context():
        LogMailSender().send(Mail("ada@example.org", "Your badge claim", "It was approved."))
    err = capsys.readouterr().err
    assert err.count("mail to ada@example.org: Your badge claim") == 1
    assert " INFO badges: " in err


def test_production_writes_one_json_object_per_line(root_handlers, capsys):
    app = app_in("production")
    configure_logging(app)
    app.logger.info("signed %s credentials", 3)
    try:
        raise ValueError("the reason")
    except ValueError:
        app.logger.exception("it failed\nover two lines")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert (first["level"], first["logger"], first["message"]) == ("INFO", "badges", "signed 3 credentials")
    assert first["time"].endswith("+00:00")
    assert second["message"] == "it failed\nover two lines" and "ValueError: the reason" in second["exception"]


def test_testing_adds_nothing(root_handlers):
    before = list(logging.getLogger().handlers)
    configure_logging(app_in("testing"))
    assert logging.getLogger().handlers == before
