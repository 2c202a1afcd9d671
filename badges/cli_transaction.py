"""What every command group shares (badges.cli, badges.cli_keys, badges.cli_policy, ...): one transaction per
command, and the framework version a SLUG@VERSION argument names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from .credentials.keys import KeyError_
from .extensions import db
from .frameworks.loader import FrameworkFileError
from .frameworks.queries import get_framework
from .models import Framework
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


def framework_by_spec(spec: str) -> Framework:
    slug, sep, version = spec.partition("@")
    if not (sep and slug and version):
        raise click.ClickException(
            f"--framework must be SLUG@VERSION (e.g. cbe-educator-competencies@1.0), not {spec!r}"
        )
    framework = get_framework(slug, version)
    if framework is None:
        raise click.ClickException(f"framework {slug}@{version} is not loaded; load it with `framework load FILE`")
    return framework
