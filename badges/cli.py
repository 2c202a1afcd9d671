"""Command line: `flask --app badges ...` (or the `badges` script installed with the package).

Every command runs in one transaction: it commits when it succeeds and leaves the database
as it was when it fails, exiting non-zero with one line that says what was wrong.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from .calibration.demo import seed_demo_calibration
from .catalogue.loading import install_framework, install_framework_file
from .cli_case import case_commands
from .cli_credentials import credentials_cli
from .cli_keys import keys_cli
from .cli_policy import policy_cli
from .cli_readiness import readiness_cli
from .cli_transaction import framework_by_spec, one_transaction
from .educator import storage
from .extensions import db
from .frameworks.events import record_framework_event
from .frameworks.loader import FrameworkFileError, read_framework_file
from .frameworks.queries import latest_framework
from .models import Framework, SystemRole, User
from .people import operations, staff
from .people.demo import seed_demo_district
from .people.roster import RosterError, import_roster
from .readiness.demo_history import seed_demo_history
from .resources import default_framework_file

PASSWORD_ENV = "BADGES_NEW_PASSWORD"
MAX_ROSTER_BYTES = 20 * 1024 * 1024


def new_password() -> str:
    """From $BADGES_NEW_PASSWORD (for scripts) or a hidden, confirmed prompt; never echoed."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    return password


@click.group("framework", help="Load and list competency frameworks.")
def framework_cli():
    pass


@framework_cli.command("load", help="Load a framework file (JSON). Loading the same file again changes nothing.")
@click.argument("path", type=click.Path(dir_okay=False))
def load_command(path: str):
    try:
        result = install_framework_file(path)
        if result.created:
            fw = result.framework
            record_framework_event(
                fw,
                None,
                "framework.loaded",
                f"Version {fw.version} loaded from the file {Path(path).name}.",
                [
                    f"{len(fw.domains)} domains, {sum(len(d.indicators) for d in fw.domains)} key questions, "
                    f"{len(fw.roles)} roles, {len(fw.levels)} levels"
                ],
            )
        db.session.commit()
    except FrameworkFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    fw = result.framework
    state = "loaded" if result.created else "already loaded, unchanged"
    click.echo(
        f"{fw.slug} {fw.version}: {state} ({len(fw.domains)} domains, "
        f"{sum(len(d.indicators) for d in fw.domains)} indicators, {len(fw.roles)} roles)"
    )


for _command in case_commands:  # framework export / framework import (CASE 1.1)
    framework_cli.add_command(_command)


@click.group("district", help="Create districts.")
def district_cli():
    pass


@district_cli.command("create", help="Create a district; --framework SLUG@VERSION is what its staff assess against.")
@click.argument("slug")
@click.argument("name")
@click.option("--framework", "framework_spec", metavar="SLUG@VERSION", help="A loaded framework version.")
@click.option("--email", "contact_email", help="The issuer's contact address, named in its badges' issuer profile.")
def district_create_command(slug: str, name: str, framework_spec: str | None, contact_email: str | None = None):
    with one_transaction():
        framework = framework_by_spec(framework_spec) if framework_spec else None
        district = operations.create_district(slug, name, framework, contact_email)
    on = f" on {framework.slug}@{framework.version}" if framework else " (no framework)"
    click.echo(f"district {district.slug}: created{on}")


@click.group("school", help="Create schools.")
def school_cli():
    pass


@school_cli.command("create", help="Create a school in a district.")
@click.argument("district_slug")
@click.argument("slug")
@click.argument("name")
def school_create_command(district_slug: str, slug: str, name: str):
    with one_transaction():
        school = operations.create_school(operations.get_district(district_slug), slug, name)
    click.echo(f"school {district_slug}/{school.slug}: created")


@click.group("user", help="Create staff accounts, set passwords, deactivate accounts and end sessions.")
def user_cli():
    pass


@user_cli.command("create", help=f"Create a staff account. The password comes from ${PASSWORD_ENV} or a prompt.")
@click.argument("district_slug")
@click.argument("email")
@click.argument("name")
@click.option("--school", "school_slug", metavar="SLUG", help="School slug (omit for the district office).")
@click.option("--professional-role", metavar="CODE", help="A role code of the district's framework.")
@click.option(
    "--system-role",
    "system_roles",
    multiple=True,
    type=click.Choice([r.value for r in SystemRole]),
    help="Repeatable; default: educator.",
)
def user_create_command(
    district_slug: str,
    email: str,
    name: str,
    school_slug: str | None,
    professional_role: str | None,
    system_roles: tuple[str, ...],
):
    with one_transaction():
        district = operations.get_district(district_slug)
        school = operations.get_school(district, school_slug) if school_slug else None
        roles = {SystemRole(r) for r in system_roles} or {SystemRole.EDUCATOR}
        user = operations.create_user(
            district,
            email,
            name,
            school=school,
            professional_role=professional_role,
            system_roles=roles,
            password=new_password(),
        )
    click.echo(
        f"user {user.email}: created in {district_slug} ({', '.join(sorted(r.value for r in user.system_roles))})"
    )


@user_cli.command("set-password", help=f"Set a user's password from ${PASSWORD_ENV} or a prompt.")
@click.argument("email")
def user_set_password_command(email: str) -> None:
    with one_transaction():
        user = operations.get_user_by_email(email)
        operations.set_password(user, new_password())
    click.echo(f"user {user.email}: password set; every session they had is ended")


@user_cli.command("deactivate", help="Stop a person signing in, and end every session they have now.")
@click.argument("email")
def user_deactivate_command(email: str) -> None:
    with one_transaction():
        user = operations.get_user_by_email(email)
        operations.deactivate_user(user)
    click.echo(f"user {user.email}: deactivated; every session they had is ended")


@user_cli.command("reactivate", help="Let a deactivated person sign in again.")
@click.argument("email")
def user_reactivate_command(email: str) -> None:
    with one_transaction():
        user = operations.get_user_by_email(email)
        operations.reactivate_user(user)
    click.echo(f"user {user.email}: active again; they can sign in")


@user_cli.command("sign-out-everywhere", help="End every session of a person (they may sign in again).")
@click.argument("email")
def user_sign_out_everywhere_command(email: str) -> None:
    with one_transaction():
        user = operations.get_user_by_email(email)
        operations.sign_out_everywhere(user)
    click.echo(f"user {user.email}: signed out everywhere")


@user_cli.command("set-roles", help="Give and take system roles: the person then holds exactly those given.")
@click.argument("email")
@click.option(
    "--system-role", "system_roles", multiple=True, required=True, type=click.Choice([r.value for r in SystemRole])
)
def user_set_roles_command(email: str, system_roles: tuple[str, ...]) -> None:
    with one_transaction():
        user = operations.get_user_by_email(email)
        changes = staff.set_roles(user, {SystemRole(r) for r in system_roles})
    click.echo(f"user {user.email}: {changes[0] if changes else 'system roles unchanged'}")


@click.group("demo", help="A demo district to try the service with.")
def demo_cli():
    pass


def demo_framework() -> Framework:
    """The latest loaded version of the default framework, loading its file if none is."""
    data = read_framework_file(default_framework_file())
    return latest_framework(data["slug"]) or install_framework(data, str(default_framework_file())).framework


@demo_cli.command("seed", help="Create the demo district (idempotent) and print its logins.")
def demo_seed_command():
    with one_transaction():
        demo = seed_demo_district(demo_framework())
        history = seed_demo_history(demo.district, demo.district.framework or demo_framework())
        calibration = seed_demo_calibration(demo.district)
    district = demo.district
    staff = db.session.scalar(select(func.count(User.id)).where(User.district_id == district.id))
    state = "created" if demo.created else "already present, unchanged"
    click.echo(f"district {district.slug} ({district.name}): {state} ({len(district.schools)} schools, {staff} staff)")
    added = "added (self-assessments, badges, a goal, a target, a cohort)"
    click.echo(f"readiness history: {added if history else 'already present'}")
    rated = "one round rated by both validators, and the policy"
    click.echo(f"calibration: {rated if calibration else 'already present'}")
    click.echo("Sign in with:")
    for login in demo.logins:
        click.echo(f"  {login.email}  {login.password}  ({login.description})")


@click.group("roster", help="Import staff rosters.")
def roster_cli():
    pass


@roster_cli.command(
    "import",
    help="Create or update a district's staff from a CSV file "
    "(email,name,school,professional_role,system_roles). All rows or none.",
)
@click.argument("district_slug")
@click.argument("csv_path", type=click.Path(exists=True, dir_okay=False))
def roster_import_command(district_slug: str, csv_path: str):
    try:
        if os.path.getsize(csv_path) > MAX_ROSTER_BYTES:
            raise click.ClickException(f"{csv_path}: larger than {MAX_ROSTER_BYTES} bytes; split the roster")
        raw = Path(csv_path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{csv_path}: cannot be read: {exc.strerror or exc}") from None
    try:
        with one_transaction():
            result = import_roster(operations.get_district(district_slug), raw)
    except RosterError as exc:
        if exc.whole_file:
            raise click.ClickException(f"{csv_path}: {exc.problems[0][1]}; nothing imported") from None
        for line, message in exc.problems:
            click.echo(f"line {line}: {message}", err=True)
        rows = "row" if exc.bad_rows == 1 else "rows"
        raise click.ClickException(f"roster rejected: {exc.bad_rows} bad {rows}, nothing imported") from None
    click.echo(
        f"roster imported into {district_slug}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


@click.group("evidence", help="Look after the evidence file store.")
def evidence_cli():
    pass


@evidence_cli.command("orphans", help="List stored files no evidence item names (left by a crash mid-upload).")
@click.option("--delete", is_flag=True, help="Remove them.")
@click.option(
    "--min-age",
    default=3600,
    show_default=True,
    type=click.IntRange(min=0),
    help="Only files older than this many seconds (younger ones may be mid-upload).",
)
def orphans_command(delete: bool, min_age: int):
    names = storage.orphaned_names(min_age_seconds=min_age)
    for name in names:
        if delete:
            storage.path_of(name).unlink(missing_ok=True)
        click.echo(name)
    click.echo(f"{len(names)} orphaned file(s){' removed' if delete else ''}", err=True)


def register_cli(app: Flask) -> None:
    for group in (
        framework_cli,
        district_cli,
        school_cli,
        user_cli,
        demo_cli,
        roster_cli,
        evidence_cli,
        policy_cli,
        keys_cli,
        credentials_cli,
        readiness_cli,
    ):
        app.cli.add_command(group)
