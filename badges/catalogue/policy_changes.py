"""Changing a framework version's badge policy, on the record: every change is written to the framework's
audit stream (framework.policy_changed) with each setting before and after, because a policy belongs to
a framework version that several districts may use, so their admins all read what changed and when.

`describe_settings` names every setting, set or not: one never set (no policy row, or a row still holding
the default value) is marked "(default)", which is what `flask policy show` prints.
"""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..frameworks.events import record_framework_event
from ..models import BadgePolicy, Framework, User
from .badge_classes import _UNCHANGED, DEFAULT, EXPERT_LEVEL, Policy, policy_for, set_policy


def _validity(months: int | None) -> str:
    return f"{months} (awards valid for {months} months)" if months else "none (awards do not expire)"


def top_level_name(framework: Framework) -> str:
    """The name the framework gives its top level (the level the approvals setting is about)."""
    return next((lv.name for lv in framework.levels if lv.value == EXPERT_LEVEL), f"level {EXPERT_LEVEL}")


def settings(policy: Policy, top_level: str) -> list[tuple[str, str]]:
    """(setting, value in words) for every setting of a policy, in a fixed order."""
    return [
        ("requires previous level", "yes" if policy.requires_previous_level else "no"),
        (f"approvals for a level-{EXPERT_LEVEL} badge ({top_level})", str(policy.expert_approvals_required)),
        ("approvals for other levels", "1"),
        ("validity months", _validity(policy.validity_months)),
    ]


def describe_settings(framework: Framework) -> list[str]:
    """One line per setting, "(default)" after those never set, "(fixed)" after the one that cannot be set."""
    explicit = db.session.get(BadgePolicy, framework.id) is not None
    top = top_level_name(framework)
    current = policy_for(framework)
    lines = []
    for (name, value), (_, default) in zip(settings(current, top), settings(DEFAULT, top), strict=True):
        if name == "approvals for other levels":
            mark = " (fixed)"
        elif not explicit or value == default:
            mark = " (default)"
        else:
            mark = ""
        lines.append(f"{name}: {value}{mark}")
    return lines


def change_policy(
    actor: User | None,
    framework: Framework,
    requires_previous_level: bool | None = None,
    expert_approvals_required: int | None = None,
    validity_months: Any = _UNCHANGED,
) -> Policy:
    """set_policy, and a framework.policy_changed event listing each changed setting as "name: before -> after"
    when anything changed (actor None: the command line). Raises ValueError as set_policy does."""
    before = policy_for(framework)
    after = set_policy(framework, requires_previous_level, expert_approvals_required, validity_months)
    top = top_level_name(framework)
    changed = [
        f"{name}: {old} -> {new}"
        for (name, old), (_, new) in zip(settings(before, top), settings(after, top), strict=True)
        if old != new
    ]
    if changed:
        record_framework_event(
            framework,
            actor,
            "framework.policy_changed",
            f"Badge policy of version {framework.version} changed ({len(changed)} setting(s)).",
            changed,
        )
    return after
