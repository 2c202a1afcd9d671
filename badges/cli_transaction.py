"""One transaction per command, shared by every command group (badges.cli, badges.cli_keys)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from .credentials.keys import KeyError_
from .extensions import db
from .frameworks.loader import FrameworkFileError
from .people.operations import PeopleError


@contextmanager
def one_transaction() -> Iterator[None]:
    """Commit what the block did, or roll all of it back; domain errors become one-line exits."""
    try:
        yield
        db.session.commit()
    except (PeopleError, FrameworkFileError, KeyError_) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    except BaseException:
        db.session.rollback()
        raise
