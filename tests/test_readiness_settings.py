"""READINESS_MIN_CELL and READINESS_TERM_STARTS: checked before the app starts, handed to the figures."""

from __future__ import annotations

import pytest

from badges import ConfigError
from badges.config import build_config

TESTING = {"ENVIRONMENT": "testing", "SECRET_KEY": "k" * 48}


def test_defaults(tmp_path):
    config = build_config(tmp_path, TESTING, environ={})
    assert config["READINESS_MIN_CELL"] == 5
    assert config["READINESS_TERM_STARTS"] == ((8, 1), (1, 1))


def test_values_from_the_environment(tmp_path):
    config = build_config(
        tmp_path, TESTING, environ={"READINESS_MIN_CELL": "10", "READINESS_TERM_STARTS": "09-01, 01-06,04-20"}
    )
    assert config["READINESS_MIN_CELL"] == 10
    assert config["READINESS_TERM_STARTS"] == ((9, 1), (1, 6), (4, 20))


@pytest.mark.parametrize("value", ["0", "-3", "five", "2.5"])
def test_a_bad_threshold_refuses_to_start(tmp_path, value):
    with pytest.raises(ConfigError, match="READINESS_MIN_CELL must be a whole number above 0"):
        build_config(tmp_path, TESTING, environ={"READINESS_MIN_CELL": value})


@pytest.mark.parametrize("value", ["13-01", "02-30", "02-29", "8-1", "08/01", "08-01,,01-01", "x", "08-01,08-01"])
def test_bad_term_starts_refuse_to_start(tmp_path, value):
    with pytest.raises(ConfigError, match="READINESS_TERM_STARTS"):
        build_config(tmp_path, TESTING, environ={"READINESS_TERM_STARTS": value})


def test_overrides_are_checked_too(tmp_path):
    with pytest.raises(ConfigError, match="READINESS_MIN_CELL"):
        build_config(tmp_path, {**TESTING, "READINESS_MIN_CELL": 0}, environ={})
    assert build_config(tmp_path, {**TESTING, "READINESS_TERM_STARTS": "09-01"}, environ={})[
        "READINESS_TERM_STARTS"
    ] == ((9, 1),)
