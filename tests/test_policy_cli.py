"""`policy show` and `policy set`: the badge policy of a framework version, from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from badges.catalogue.badge_classes import policy_for
from badges.catalogue.policy_changes import change_policy
from badges.educator import evidence
from badges.extensions import db
from badges.frameworks.events import framework_events
from badges.models import BadgeClass, BadgePolicy, Indicator, ProfessionalRole
from badges.validation.claims import create_claim
from tests.framework_setup import publish_version_2
from tests.test_cli import FW, failed


def policy(framework):
    db.session.rollback()  # see what the command committed
    return policy_for(framework)


def test_show_the_default_policy(runner, framework):
    result = runner.invoke(args=["policy", "show", FW])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        FW,
        "requires previous level: no (default)",
        "approvals for a level-4 badge (Expert): 2 (default)",
        "approvals for other levels: 1 (fixed)",
        "validity months: none (awards do not expire) (default)",
    ]


def test_set_both_and_show(runner, framework):
    result = runner.invoke(args=["policy", "set", FW, "--requires-previous-level", "--expert-approvals", "3"])
    assert result.exit_code == 0, result.output
    assert "previous level required: yes; approvals for a level-4 badge: 3" in result.output
    assert policy(framework).requires_previous_level and policy(framework).expert_approvals_required == 3
    result = runner.invoke(args=["policy", "set", FW, "--no-requires-previous-level"])
    assert result.exit_code == 0, result.output
    assert (policy(framework).requires_previous_level, policy(framework).expert_approvals_required) == (False, 3)
    shown = runner.invoke(args=["policy", "show", FW]).output
    assert "requires previous level: no (default)" in shown
    assert "approvals for a level-4 badge (Expert): 3\n" in shown
    assert "validity months: none (awards do not expire) (default)" in shown


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("cbe-educator-competencies", "SLUG@VERSION"),
        ("cbe-educator-competencies@9.9", "framework cbe-educator-competencies@9.9 is not loaded"),
    ],
)
@pytest.mark.parametrize("command", [["show"], ["set", "--expert-approvals", "1"]])
def test_unknown_framework(runner, framework, command, spec, expected):
    failed(runner.invoke(args=["policy", command[0], spec, *command[1:]]), expected)
    db.session.rollback()
    assert db.session.scalar(select(BadgePolicy)) is None


@pytest.mark.parametrize("n", ["0", "4", "-1"])
def test_approvals_outside_one_to_three(runner, framework, n):
    failed(
        runner.invoke(args=["policy", "set", FW, "--requires-previous-level", "--expert-approvals", n]),
        "must be 1, 2 or 3",
        n,
    )
    assert (policy(framework).requires_previous_level, policy(framework).expert_approvals_required) == (False, 2)
    assert db.session.scalar(select(BadgePolicy)) is None  # nothing half-done


def test_set_without_a_change(runner, framework):
    failed(runner.invoke(args=["policy", "set", FW]), "nothing to change")


def test_a_claim_made_after_the_change_needs_the_new_count(runner, framework, teacher):
    indicator = db.session.scalar(
        select(Indicator).where(Indicator.framework_id == framework.id, Indicator.code == "4.1")
    )
    item = evidence.add_link(teacher, "Data meetings", "What it shows.", "https://example.org/x", [indicator.id])
    expert = db.session.scalar(
        select(BadgeClass)
        .join(ProfessionalRole, BadgeClass.role_id == ProfessionalRole.id)
        .where(
            BadgeClass.framework_id == framework.id,
            BadgeClass.domain_id == indicator.domain_id,
            BadgeClass.level == 4,
            ProfessionalRole.code == "teacher",
        )
    )
    below = db.session.scalar(
        select(BadgeClass).where(
            BadgeClass.domain_id == expert.domain_id, BadgeClass.role_id == expert.role_id, BadgeClass.level == 3
        )
    )
    db.session.commit()
    before = create_claim(teacher, expert.id, "Weekly data meetings, for a year.", [item.id])
    db.session.commit()
    assert before.approvals_required == 2
    result = runner.invoke(args=["policy", "set", FW, "--expert-approvals", "1"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert before.approvals_required == 2  # open claims keep the policy they were made under
    other = db.session.scalar(
        select(BadgeClass).where(
            BadgeClass.role_id == expert.role_id, BadgeClass.level == 4, BadgeClass.id != expert.id
        )
    )
    after = create_claim(teacher, other.id, "Weekly data meetings, for a year.", [item.id])
    assert after.approvals_required == 1
    assert create_claim(teacher, below.id, "Level 3.", [item.id]).approvals_required == 1


# --- issue 13: every setting shown, and every change on the framework's audit stream ----------


def test_show_names_a_set_setting_without_default(runner, framework):
    assert runner.invoke(args=["policy", "set", FW, "--validity-months", "12"]).exit_code == 0
    lines = runner.invoke(args=["policy", "show", FW]).output.splitlines()
    assert "validity months: 12 (awards valid for 12 months)" in lines
    assert "requires previous level: no (default)" in lines
    assert "approvals for a level-4 badge (Expert): 2 (default)" in lines
    assert len(lines) == 5


def test_a_policy_change_is_on_the_stream_with_before_and_after(runner, framework):
    result = runner.invoke(args=["policy", "set", FW, "--expert-approvals", "3", "--validity-months", "24"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    events = framework_events(framework.slug)
    assert [e.action for e in events] == ["framework.policy_changed"]
    event = events[0]
    assert event.framework_version == "1.0" and event.actor_label == "command line"
    assert event.details == [
        "approvals for a level-4 badge (Expert): 2 -> 3",
        "validity months: none (awards do not expire) -> 24 (awards valid for 24 months)",
    ]


def test_setting_the_same_values_again_records_nothing(runner, framework):
    assert runner.invoke(args=["policy", "set", FW, "--expert-approvals", "3"]).exit_code == 0
    assert runner.invoke(args=["policy", "set", FW, "--expert-approvals", "3"]).exit_code == 0
    db.session.rollback()
    assert len(framework_events(framework.slug)) == 1


def test_a_refused_change_records_nothing(runner, framework):
    failed(runner.invoke(args=["policy", "set", FW, "--expert-approvals", "7"]), "must be 1, 2 or 3")
    db.session.rollback()
    assert framework_events(framework.slug) == []


def test_publishing_a_version_carries_the_policy_on_the_record(app, framework, admin):
    change_policy(None, framework, requires_previous_level=True)
    db.session.commit()
    v2 = publish_version_2(admin)
    assert policy_for(v2).requires_previous_level
    carried = [e for e in framework_events(v2.slug) if e.action == "framework.policy_changed"]
    assert [e.details for e in carried] == [["requires previous level: no -> yes"]]
    assert carried[0].framework_version == v2.version


def test_show_names_the_top_level_as_the_framework_does(runner, app):
    assert runner.invoke(args=["framework", "load", "seed_frameworks/leadership-rubric.json"]).exit_code == 0
    result = runner.invoke(args=["policy", "show", "school-leadership-rubric@1.0"])
    assert result.exit_code == 0, result.output
    assert "approvals for a level-4 badge (Distinguished): 2 (default)" in result.output.splitlines()
