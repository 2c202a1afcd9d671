"""`flask --app badges readiness ...`: synthetic districts for demos and benchmarks, and rebuilding
a district's readiness figures from its history."""

from __future__ import annotations

import os

import click
from werkzeug.security import generate_password_hash

from .base import InvalidInput
from .cli_transaction import one_transaction
from .extensions import db
from .frameworks.loader import read_framework_file
from .frameworks.queries import get_framework, latest_framework
from .models import Framework
from .people import operations
from .readiness.synthetic import generate_district
from .readiness.upkeep import rebuild_district, refresh_counts
from .resources import default_framework_file

LEADER_PASSWORD_ENV = "BADGES_LEADER_PASSWORD"


@click.group("readiness")
def readiness_cli() -> None:
    """District readiness: synthetic districts, and figures rebuilt from the history."""


def _framework(spec: str | None) -> Framework:
    """SLUG@VERSION, or the latest loaded version of the default framework."""
    if spec is None:
        slug = read_framework_file(default_framework_file())["slug"]
        found = latest_framework(slug)
        if found is None:
            raise click.ClickException(f"framework {slug} is not loaded; load it with `framework load FILE`")
        return found
    slug, sep, version = spec.partition("@")
    found = get_framework(slug, version) if sep and slug and version else None
    if found is None:
        raise click.ClickException(f"--framework must name a loaded framework as SLUG@VERSION, not {spec!r}")
    return found


def _one_line(exc: InvalidInput) -> str:
    return " ".join(message for messages in exc.errors.values() for message in messages)


@readiness_cli.command("synthesize")
@click.option("--slug", required=True, help="The new district's slug.")
@click.option("--name", required=True, help="The new district's name.")
@click.option("--staff", type=int, default=50_000, show_default=True)
@click.option("--schools", type=int, default=100, show_default=True)
@click.option("--years", type=int, default=2, show_default=True, help="Years of history, ending now.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed makes the same district.")
@click.option("--framework", "framework_spec", metavar="SLUG@VERSION", help="Default: the seed framework.")
def synthesize_command(
    slug: str, name: str, staff: int, schools: int, years: int, seed: int, framework_spec: str | None
) -> None:
    """Create a synthetic district with years of self-assessments, goals, claims and badges.

    Nobody in it can sign in, except the first district leader when $BADGES_LEADER_PASSWORD is set.
    Its badges are unsigned; `credentials issue-missing` signs them."""
    password = os.environ.get(LEADER_PASSWORD_ENV)
    try:
        with one_transaction():
            summary = generate_district(
                _framework(framework_spec),
                slug,
                name,
                staff=staff,
                schools=schools,
                years=years,
                seed=seed,
                leader_password_hash=generate_password_hash(password) if password else None,
            )
    except InvalidInput as exc:
        raise click.ClickException(_one_line(exc)) from None
    click.echo(summary.line())
    if password and summary.leader_email:
        click.echo(f"district leader {summary.leader_email} can sign in with ${LEADER_PASSWORD_ENV}")


@readiness_cli.command("rebuild")
@click.argument("district_slug")
def rebuild_command(district_slug: str) -> None:
    """Recompute a district's readiness standings and monthly trend from its history."""
    with one_transaction():
        district = operations.get_district(district_slug)
        counted = rebuild_district(db.session.connection(), district.id)
    click.echo(f"district {district_slug}: readiness rebuilt from the history; {counted} people counted")


@readiness_cli.command("refresh")
@click.argument("district_slug")
def refresh_command(district_slug: str) -> None:
    """Re-count the standings whose badges expired since they were counted (run it nightly).

    The dashboard is right without it (it corrects those rows in its query); this keeps that
    correction small."""
    with one_transaction():
        district = operations.get_district(district_slug)
        refreshed = refresh_counts(db.session.connection(), district.id)
    click.echo(f"district {district_slug}: {refreshed} readiness standings re-counted")
