"""`flask --app badges keys ...`: list, create, rotate, retire and remove the service's signing keys.

Only public facts about a key are ever printed (kid, algorithm, status, dates); the private half
stays encrypted in the database. Each command is one transaction, like every other command.
"""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from .cli_transaction import one_transaction
from .credentials import keys
from .extensions import db
from .models import Award, KeyAlgorithm, KeyStatus, SigningKey

ALGORITHMS = [a.value for a in KeyAlgorithm]


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}Z" if moment is not None else "-"


def _algorithm(value: str | None) -> KeyAlgorithm:
    """The chosen algorithm, or the one new VC-JWTs are signed with (JWT_ALGORITHM)."""
    return KeyAlgorithm(value or current_app.config["JWT_ALGORITHM"])


def _check_passphrase() -> None:
    """A new key encrypted under another passphrase would sign on this instance only: refuse first.

    The active keys must decrypt with this instance's SIGNING_KEY_PASSPHRASE (KeyError_ says which does not).
    """
    for key in keys.list_keys():
        if key.status is KeyStatus.ACTIVE:
            keys.private_key_of(key)


def _new_key(algorithm: KeyAlgorithm) -> tuple[SigningKey, SigningKey | None]:
    _check_passphrase()
    before = db.session.scalar(
        select(SigningKey).where(SigningKey.algorithm == algorithm, SigningKey.status == KeyStatus.ACTIVE)
    )
    return keys.create_key(algorithm), before  # create_key retired `before` (the same object)


def _signed_with(key: SigningKey) -> str:
    """How many badges carry a signature by this key, in words."""
    if key.algorithm is KeyAlgorithm.ED25519:
        count = db.session.scalar(
            select(func.count(Award.id)).where(Award.data_integrity.contains(f'/keys/{key.kid}"', autoescape=True))
        )
        return f"{count} badge(s) carry a Data Integrity proof made with it"
    count = db.session.scalar(select(func.count(Award.id)).where(Award.jwt_kid == key.kid))
    return f"{count} badge(s) carry a VC-JWT signed with it"


@click.group("keys", help="The signing keys of the credentials (private halves never shown).")
def keys_cli():
    pass


@keys_cli.command("list", help="Every key: kid, algorithm, status, created, retired.")
def keys_list_command():
    rows = keys.list_keys()
    if not rows:
        click.echo("no signing keys yet: the first award creates them, or run `keys create`")
        return
    click.echo(f"{'KID':<24}  {'ALGORITHM':<9}  {'STATUS':<7}  {'CREATED':<17}  RETIRED")
    for key in rows:
        click.echo(
            f"{key.kid:<24}  {key.algorithm.value:<9}  {key.status.value:<7}  {_when(key.created_at):<17}  "
            f"{_when(key.retired_at)}"
        )


algorithm_option = click.option(
    "--algorithm",
    type=click.Choice(ALGORITHMS),
    default=None,
    help="ES256 or RS256 for VC-JWTs, Ed25519 for Data Integrity proofs; default: JWT_ALGORITHM.",
)


@keys_cli.command("create", help="Create a new active key; the active key of the same algorithm is retired.")
@algorithm_option
def keys_create_command(algorithm: str | None):
    with one_transaction():
        key, retired = _new_key(_algorithm(algorithm))
    click.echo(f"created {key.algorithm.value} key {key.kid} (active)")
    if retired is not None:
        click.echo(f"retired {retired.kid}: it signs nothing new and still verifies what it signed")


@keys_cli.command(
    "rotate",
    help="Rotate: a new active key signs from now on; the old one is retired and still verifies what it signed.",
)
@algorithm_option
def keys_rotate_command(algorithm: str | None):
    with one_transaction():
        key, retired = _new_key(_algorithm(algorithm))
    old = (
        f"{retired.kid} is retired and still verifies what it signed"
        if retired is not None
        else f"there was no active {key.algorithm.value} key before"
    )
    click.echo(f"rotated {key.algorithm.value}: new badges are signed with {key.kid}; {old}")


def _confirmed(question: str, refusal: str) -> None:
    """Ask before a step that cannot be taken back; no answer (no terminal) or "no" refuses, saying why.
    The question is asked outside any transaction, so no row stays locked while a person reads it."""
    try:
        if click.confirm(question, default=False):
            return
    except click.Abort:
        pass
    raise click.ClickException(refusal)


yes_option = click.option("--yes", is_flag=True, help="Do not ask first (for scripts).")


@keys_cli.command("retire", help="Retire a key: it signs nothing new, and still verifies what it signed.")
@click.argument("kid")
@yes_option
def keys_retire_command(kid: str, yes: bool):
    with one_transaction():
        key = keys.retirable(kid)  # unknown or not active: refused before anything is asked
        algorithm = key.algorithm.value
    if not yes:
        _confirmed(
            f"Retire {algorithm} key {kid}? It will sign nothing new (what it signed still verifies), and "
            "it cannot be made active again.",
            f"key {kid} was not retired; add --yes to retire it without this question",
        )
    with one_transaction():
        key = keys.retire_key(kid)
    click.echo(
        f"retired {key.algorithm.value} key {key.kid}: it still verifies what it signed; the next badge "
        f"issued creates a new {key.algorithm.value} key unless you create one"
    )


@keys_cli.command("remove", help="Destroy a retired key's private half: what it signed no longer verifies.")
@click.argument("kid")
@click.option("--yes", is_flag=True, help="Do not ask first: what this key signed will no longer verify.")
def keys_remove_command(kid: str, yes: bool):
    with one_transaction():
        signed = _signed_with(keys.removable(kid))  # unknown, active or already removed: refused first
    if not yes:
        _confirmed(
            f"Remove key {kid}? This cannot be undone: what this key signed will no longer verify ({signed}).",
            f"key {kid} was not removed: removing it cannot be undone, and what this key signed will no longer "
            f"verify ({signed}); add --yes to remove it without this question",
        )
    with one_transaction():
        key = keys.remove_key(kid)
    click.echo(f"removed {key.algorithm.value} key {key.kid}: what it signed no longer verifies ({signed})")
