"""`flask --app badges framework export|import`: a framework version out as a CASE 1.1 CFPackage, and a
package in: published at once as a shared framework (or a new version of one) with --publish, or as a
district's draft with --district. Without either the package is only checked: a shared draft would have
no admins to finish it, and would hold its slug.

Each command is one transaction: a refused import leaves nothing behind and prints one line per problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .authoring.case_export import package_of
from .authoring.imports import import_package
from .authoring.publishing import DraftProblems, publish_shared_draft
from .extensions import db
from .frameworks.case_import import MAX_PACKAGE_BYTES
from .frameworks.loader import FrameworkFileError
from .frameworks.queries import get_framework
from .people import operations
from .people.operations import PeopleError


def _problems(label: str, problems: list[tuple[str, str]]) -> click.ClickException:
    lines = "\n".join(f"  {where}: {what}" for where, what in problems)
    return click.ClickException(f"{label} cannot be imported ({len(problems)} problem(s)):\n{lines}")


@click.command("export", help="Write a published framework version as a CASE 1.1 package (JSON).")
@click.argument("spec", metavar="SLUG@VERSION")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="A file (default: stdout).")
def export_command(spec: str, output: str | None):
    slug, sep, version = spec.partition("@")
    framework = get_framework(slug, version) if sep and slug and version else None
    if framework is None:
        raise click.ClickException(f"no published framework {spec!r}: give SLUG@VERSION of a loaded framework")
    text = json.dumps(package_of(framework), ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"{slug}@{version}: written to {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command(
    "import",
    help="Check a CASE 1.1 package (JSON), and import it: published as a shared framework (--publish) "
    "or as a district's draft (--district).",
)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--slug", help="The new framework's short name (default: made from its title).")
@click.option("--as-version-of", "as_version_of", metavar="SLUG", help="A new version of this shared framework.")
@click.option("--publish", is_flag=True, help="Publish it at once (every key question must name its roles).")
@click.option(
    "--district",
    "district_slug",
    metavar="SLUG",
    help="A draft of this district's own (not shared): its admins set roles and publish it in the browser.",
)
def import_command(path: str, slug: str | None, as_version_of: str | None, publish: bool, district_slug: str | None):
    if publish and district_slug:
        raise click.ClickException("--publish is for shared frameworks; a district's admins publish its draft")
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_PACKAGE_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        district = operations.get_district(district_slug) if district_slug else None
        draft = import_package(None, data, slug=slug, as_version_of=as_version_of, label=path, district=district)
        if publish:
            publish_shared_draft(draft)
        state = "imported and published" if publish else "imported as a draft" if district else "checked"
        summary = (
            f"{draft.slug} {draft.version}: {state} "
            f"({len(draft.domains)} domains, {sum(len(d.indicators) for d in draft.domains)} key questions, "
            f"{len(draft.roles)} roles)"
        )
        if publish or district:
            db.session.commit()
        else:  # a shared draft nobody could edit would hold the slug: without either, only a check
            db.session.rollback()
            summary += "; nothing was imported: add --publish, or --district SLUG for a district's draft"
    except FrameworkFileError as exc:
        db.session.rollback()
        raise _problems(path, exc.problems) from None
    except DraftProblems as exc:
        db.session.rollback()
        raise _problems(path, exc.problems) from None
    except PeopleError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    except BaseException:
        db.session.rollback()
        raise
    click.echo(summary)


case_commands = (export_command, import_command)
