"""`flask --app badges credentials ...`: credentials of awards.

New awards are issued as credentials when they are made; awards made before credentials existed
are issued here, once, rather than by a page view (a GET never writes).
"""

from __future__ import annotations

import click
from sqlalchemy import select

from .cli_transaction import one_transaction
from .credentials.issuing import ensure_issued
from .extensions import db
from .models import Award


@click.group("credentials")
def credentials_cli() -> None:
    """Issued credentials of awards."""


@credentials_cli.command("issue-missing")
def issue_missing_command() -> None:
    """Issue (sign) the credential of every award that has none yet, in one transaction."""
    with one_transaction():
        awards = list(db.session.scalars(select(Award).where(Award.credential_uuid.is_(None)).order_by(Award.id)))
        for award in awards:
            ensure_issued(award)
    click.echo(
        f"Issued {len(awards)} credential(s) for awards that had none."
        if awards
        else "Every award already has its credential."
    )
