"""Command line: `flask --app badges ...` (or the `badges` script installed with the package).

Every command runs in one transaction: it commits when it succeeds and leaves the database
as it was when it fails, exiting non-zero with one line that says what was wrong.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from .extensions import db
from .frameworks.loader import FrameworkFileError, load_framework_file


@click.group("framework", help="Load and list competency frameworks.")
def framework_cli():
    pass


@framework_cli.command("load", help="Load a framework file (JSON). Loading the same file again changes nothing.")
@click.argument("path", type=click.Path(dir_okay=False))
def load_command(path: str):
    try:
        result = load_framework_file(path)
        db.session.commit()
    except FrameworkFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    fw = result.framework
    state = "loaded" if result.created else "already loaded, unchanged"
    click.echo(f"{fw.slug} {fw.version}: {state} ({len(fw.domains)} domains, "
               f"{sum(len(d.indicators) for d in fw.domains)} indicators, {len(fw.roles)} roles)")


def register_cli(app: Flask) -> None:
    app.cli.add_command(framework_cli)


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=create_app)()
