"""`flask policy`: show and change the badge policy of a framework version."""

from __future__ import annotations

import click

from .catalogue.badge_classes import EXPERT_LEVEL, policy_for
from .catalogue.policy_changes import change_policy, describe_settings
from .cli_transaction import framework_by_spec, one_transaction
from .models import Framework


@click.group("policy", help="Show and change the badge policy of a framework (claims made from then on follow it).")
def policy_cli():
    pass


def describe_policy(framework: Framework, name_validity: bool = False) -> str:
    """The policy in one line. The validity period is named when awards expire, or when asked."""
    policy = policy_for(framework)
    validity = (
        f"; awards valid for {policy.validity_months} months"
        if policy.validity_months
        else "; awards do not expire"
        if name_validity
        else ""
    )
    return (
        f"{framework.slug}@{framework.version}: previous level required: "
        f"{'yes' if policy.requires_previous_level else 'no'}; approvals for a level-{EXPERT_LEVEL} badge: "
        f"{policy.expert_approvals_required} (other levels: 1){validity}"
    )


@policy_cli.command(
    "show", help='Print every setting of the policy of a loaded framework version, "(default)" for those never set.'
)
@click.argument("framework_spec", metavar="SLUG@VERSION")
def policy_show_command(framework_spec: str):
    framework = framework_by_spec(framework_spec)
    click.echo(f"{framework.slug}@{framework.version}")
    for line in describe_settings(framework):
        click.echo(line)


@policy_cli.command("set", help="Change the policy of a loaded framework version; open claims keep theirs.")
@click.argument("framework_spec", metavar="SLUG@VERSION")
@click.option(
    "--requires-previous-level/--no-requires-previous-level",
    default=None,
    help="Whether a badge needs the level below it first.",
)
@click.option("--expert-approvals", type=int, metavar="N", help="Approvals an Expert badge needs: 1, 2 or 3.")
@click.option(
    "--validity-months",
    type=int,
    metavar="N",
    help="Badges issued from now on expire N months after they are awarded (1 to 120).",
)
@click.option("--no-expiry", is_flag=True, help="Badges issued from now on do not expire (the default).")
def policy_set_command(
    framework_spec: str,
    requires_previous_level: bool | None,
    expert_approvals: int | None,
    validity_months: int | None,
    no_expiry: bool,
):
    if validity_months is not None and no_expiry:
        raise click.ClickException("give --validity-months N or --no-expiry, not both")
    if requires_previous_level is None and expert_approvals is None and validity_months is None and not no_expiry:
        raise click.ClickException(
            "nothing to change: give --requires-previous-level, "
            "--no-requires-previous-level, --expert-approvals N, --validity-months N "
            "or --no-expiry"
        )
    validity = (
        {"validity_months": None}
        if no_expiry
        else ({"validity_months": validity_months} if validity_months is not None else {})
    )
    with one_transaction():
        framework = framework_by_spec(framework_spec)
        try:
            change_policy(
                None,
                framework,
                requires_previous_level=requires_previous_level,
                expert_approvals_required=expert_approvals,
                **validity,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(describe_policy(framework, name_validity=True))
