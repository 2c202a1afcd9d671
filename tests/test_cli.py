"""The command line, through Flask's CLI runner against the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.models import District, Framework, School, SystemRole, User
from badges.people import operations as ops

PASSWORD = "a-good-long-password"
FW = "cbe-educator-competencies@1.0"


@pytest.fixture
def north(runner, framework):
    assert runner.invoke(args=["district", "create", "north", "North District", "--framework", FW]).exit_code == 0
    assert runner.invoke(args=["school", "create", "north", "north-high", "North High School"]).exit_code == 0
    return ops.get_district("north")


def count(model) -> int:
    db.session.rollback()  # see what the command committed, not what this session cached
    return db.session.scalar(select(func.count()).select_from(model))


def failed(result, *expected: str) -> str:
    """A command that exited non-zero with one clear error line naming what was wrong."""
    assert result.exit_code != 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    for text in expected:
        assert text in errors[0], result.output
    return errors[0]


# --- framework load (existing) -------------------------------------------------------------


def test_framework_load_reports_missing_file(runner, tmp_path):
    failed(runner.invoke(args=["framework", "load", str(tmp_path / "none.json")]), "cannot be read")


# --- district / school ---------------------------------------------------------------------


def test_district_create(runner, framework):
    result = runner.invoke(args=["district", "create", "north", "North District", "--framework", FW])
    assert result.exit_code == 0, result.output
    assert "district north: created on cbe-educator-competencies@1.0" in result.output
    district = ops.get_district("north")
    assert district.name == "North District" and district.framework_id == framework.id


def test_district_create_without_framework(runner, app):
    result = runner.invoke(args=["district", "create", "bare", "Bare District"])
    assert result.exit_code == 0 and "(no framework)" in result.output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["Bad Slug", "Name"], "slug 'Bad Slug' must be lower-case"),
        (["north", "Name", "--framework", "cbe-educator-competencies"], "SLUG@VERSION"),
        (
            ["north", "Name", "--framework", "cbe-educator-competencies@9.9"],
            "framework cbe-educator-competencies@9.9 is not loaded",
        ),
    ],
)
def test_district_create_bad_arguments(runner, framework, args, expected):
    failed(runner.invoke(args=["district", "create", *args]), expected)
    assert count(District) == 0


def test_district_create_duplicate(runner, north):
    failed(runner.invoke(args=["district", "create", "north", "Again"]), "already exists")
    assert count(District) == 1


def test_school_create(runner, north):
    result = runner.invoke(args=["school", "create", "north", "north-elem", "North Elementary"])
    assert result.exit_code == 0 and "school north/north-elem: created" in result.output
    assert ops.get_school(north, "north-elem").name == "North Elementary"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["nowhere", "x-school", "X"], "no district with slug 'nowhere'"),
        (["north", "North_High", "X"], "slug 'North_High'"),
        (["north", "north-high", "Again"], "already has a school"),
    ],
)
def test_school_create_bad_arguments(runner, north, args, expected):
    failed(runner.invoke(args=["school", "create", *args]), expected)
    assert count(School) == 1


# --- users -----------------------------------------------------------------------------------


def test_user_create_with_password_from_the_environment(runner, north, auth):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "north",
            "Ada@North.example.org",
            "Ada Lovelace",
            "--school",
            "north-high",
            "--professional-role",
            "teacher",
            "--system-role",
            "educator",
            "--system-role",
            "validator",
        ],
        env={"BADGES_NEW_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert "user ada@north.example.org: created in north (educator, validator)" in result.output
    assert PASSWORD not in result.output
    user = ops.get_user_by_email("ada@north.example.org")
    assert user.school.slug == "north-high" and user.professional_role == "teacher"
    assert user.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}
    assert auth.login("ada@north.example.org", PASSWORD).status_code == 302


def test_user_create_prompts_for_a_hidden_password(runner, north, monkeypatch):
    monkeypatch.delenv("BADGES_NEW_PASSWORD", raising=False)
    result = runner.invoke(
        args=["user", "create", "north", "ada@north.example.org", "Ada"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    user = ops.get_user_by_email("ada@north.example.org")
    assert user.check_password(PASSWORD)
    assert user.system_roles == {SystemRole.EDUCATOR}  # the default


@pytest.mark.parametrize(
    "args, expected",
    [
        (["nowhere", "ada@north.example.org", "Ada"], "no district with slug 'nowhere'"),
        (["north", "ada@north.example.org", "Ada", "--school", "atlantis"], "no school with slug 'atlantis'"),
        (["north", "ada@north.example.org", "Ada", "--professional-role", "janitor"], "professional_role 'janitor'"),
        (["north", "not-an-email", "Ada"], "email 'not-an-email'"),
        (["north", "ada@north.example.org", "Ada", "--system-role", "wizard"], "'wizard' is not one of"),
    ],
)
def test_user_create_bad_arguments(runner, north, args, expected):
    result = runner.invoke(args=["user", "create", *args], env={"BADGES_NEW_PASSWORD": PASSWORD})
    failed(result, expected)
    assert count(User) == 0


def test_user_create_short_password_creates_nothing(runner, north):
    result = runner.invoke(
        args=["user", "create", "north", "ada@north.example.org", "Ada"], env={"BADGES_NEW_PASSWORD": "too-short"}
    )
    failed(result, "password must be at least 12 characters")
    assert "too-short" not in result.output
    assert count(User) == 0


def test_user_create_duplicate_email(runner, north):
    env = {"BADGES_NEW_PASSWORD": PASSWORD}
    runner.invoke(args=["user", "create", "north", "ada@north.example.org", "Ada"], env=env)
    failed(runner.invoke(args=["user", "create", "north", "ADA@north.example.org", "Ada"], env=env), "already used")
    assert count(User) == 1


def test_user_set_password(runner, north, auth):
    ops.create_user(north, "ada@north.example.org", "Ada", system_roles={SystemRole.EDUCATOR})
    db.session.commit()
    result = runner.invoke(
        args=["user", "set-password", "ADA@north.example.org"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={"BADGES_NEW_PASSWORD": None},
    )
    assert result.exit_code == 0, result.output
    assert "user ada@north.example.org: password set" in result.output and PASSWORD not in result.output
    assert auth.login("ada@north.example.org", PASSWORD).status_code == 302


def test_user_set_password_mismatched_prompt_asks_again(runner, north):
    ops.create_user(north, "ada@north.example.org", "Ada")
    db.session.commit()
    result = runner.invoke(
        args=["user", "set-password", "ada@north.example.org"],
        input=f"{PASSWORD}\nsomething-else-entirely\n{PASSWORD}\n{PASSWORD}\n",
        env={"BADGES_NEW_PASSWORD": None},
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize(
    "email, password, expected",
    [
        ("ghost@north.example.org", PASSWORD, "no user with email 'ghost@north.example.org'"),
        ("ada@north.example.org", "short", "password must be at least 12 characters"),
    ],
)
def test_user_set_password_bad_arguments(runner, north, email, password, expected):
    ops.create_user(north, "ada@north.example.org", "Ada")
    db.session.commit()
    result = runner.invoke(args=["user", "set-password", email], env={"BADGES_NEW_PASSWORD": password})
    failed(result, expected)
    assert ops.get_user_by_email("ada@north.example.org").password_hash is None


# --- demo ------------------------------------------------------------------------------------


def test_demo_seed_loads_the_framework_and_prints_logins(runner, app):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert count(Framework) == 1
    assert "district demo (Demo Unified School District): created (2 schools, 30 staff)" in result.output
    assert "  teacher@demo.example.org  demo-password-2026  (educator: " in result.output
    login_lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(login_lines) == 6


def test_demo_seed_twice_changes_nothing(runner, demo):
    before = count(User)
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "already present, unchanged" in result.output
    assert "  admin@demo.example.org  demo-password-2026  (admin" in result.output
    assert count(User) == before and count(Framework) == 1


# --- roster ----------------------------------------------------------------------------------

HEADER = "email,name,school,professional_role,system_roles\n"


def test_roster_import(runner, north, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        HEADER + "ada@north.example.org,Ada,north-high,teacher,\n"
        "alan@north.example.org,Alan,,district-staff,district_leader\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["roster", "import", "north", str(path)])
    assert result.exit_code == 0, result.output
    assert "roster imported into north: 2 created, 0 updated, 0 unchanged" in result.output
    result = runner.invoke(args=["roster", "import", "north", str(path)])
    assert "0 created, 0 updated, 2 unchanged" in result.output


def test_roster_import_reports_every_bad_row(runner, north, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        HEADER + "ada@north.example.org,Ada,north-high,teacher,\n"
        "bad-email,Bad,north-high,teacher,\n"
        "x@north.example.org,X,atlantis,teacher,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["roster", "import", "north", str(path)])
    assert result.exit_code == 1
    assert "line 3: email 'bad-email'" in result.stderr
    assert "line 4: school 'atlantis'" in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: roster rejected: 2 bad rows, nothing imported"
    assert count(User) == 0


def test_roster_import_not_utf8_is_one_line(runner, north, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes((HEADER + "jose@north.example.org,José,north-high,teacher,\n").encode("latin-1"))
    result = runner.invoke(args=["roster", "import", "north", str(path)])
    assert failed(result, "not UTF-8", "nothing imported") == result.output.strip()
    assert count(User) == 0


@pytest.mark.parametrize(
    "district, name, expected",
    [
        ("nowhere", "staff.csv", "no district with slug 'nowhere'"),
        ("north", "missing.csv", "does not exist"),
    ],
)
def test_roster_import_bad_arguments(runner, north, tmp_path, district, name, expected):
    (tmp_path / "staff.csv").write_text(HEADER + "ada@north.example.org,Ada,north-high,teacher,\n")
    failed(runner.invoke(args=["roster", "import", district, str(tmp_path / name)]), expected)
    assert count(User) == 0
