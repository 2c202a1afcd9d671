"""The second framework (seed_frameworks/leadership-rubric.json, a small school-leadership rubric): it loads,
gets its badges, and once a district whose staff hold badges of the CBE framework adopts it, the dashboard
shows the rubric's domains next to the CBE domains those staff still hold (marked as an earlier framework)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from badges.authoring.adoption import adopt_framework
from badges.educator import assessments
from badges.extensions import db
from badges.frameworks.events import framework_events
from badges.frameworks.queries import get_framework
from badges.models import BadgeClass
from badges.permissions import ReadinessScope
from badges.readiness import dashboard, report
from badges.readiness.shape import EARLIER_MARK
from badges.resources import resource_dir
from tests.conftest import USER_PASSWORD
from tests.test_readiness_upkeep import assess
from tests.validation_setup import approve, make_world

RUBRIC_FILE = resource_dir("seed_frameworks") / "leadership-rubric.json"
RUBRIC = "school-leadership-rubric"
RUBRIC_DOMAINS = ["shared-vision", "instructional-leadership", "people-and-culture"]
DELIVERY = "delivery-operations"


@pytest.fixture
def rubric(runner, framework):
    result = runner.invoke(args=["framework", "load", str(RUBRIC_FILE)])
    assert result.exit_code == 0, result.output
    assert "school-leadership-rubric 1.0: loaded (3 domains, 9 indicators, 2 roles)" in result.output
    db.session.rollback()
    return get_framework(RUBRIC, "1.0")


@pytest.fixture
def world(make_user, district, framework):
    """A teacher holding a CBE badge and a submitted CBE self-assessment."""
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user, "v@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(validator)
    approve(validator, world.claim())  # Delivery and Operations: Experienced, Teacher
    assess(world.teacher, framework, 2)
    return world


def test_it_loads_with_its_own_levels_roles_and_domains(rubric, framework):
    assert [lv.name for lv in rubric.levels] == ["Emerging", "Developing", "Effective", "Distinguished"]
    assert [r.code for r in rubric.roles] == ["principal", "assistant-principal"]
    assert [d.code for d in rubric.domains] == RUBRIC_DOMAINS
    assert not {d.code for d in rubric.domains} & {d.code for d in framework.domains}
    assert all(2 <= len(d.indicators) <= 4 for d in rubric.domains)
    loaded = framework_events(RUBRIC)
    assert [e.action for e in loaded] == ["framework.loaded"]
    assert loaded[0].actor_label == "command line" and "leadership-rubric.json" in loaded[0].summary


def test_loading_it_again_changes_nothing_and_records_nothing(runner, rubric):
    result = runner.invoke(args=["framework", "load", str(RUBRIC_FILE)])
    assert result.exit_code == 0 and "already loaded, unchanged" in result.output
    db.session.rollback()
    assert len(framework_events(RUBRIC)) == 1


def test_it_gets_its_badges(rubric):
    badges = db.session.scalars(select(BadgeClass).where(BadgeClass.framework_id == rubric.id)).all()
    assert len(badges) == 2 * 3 * 4  # both roles have key questions in every domain; four levels
    names = {b.name for b in badges}
    assert "Shared Vision: Distinguished, Principal" in names
    assert "Instructional Leadership: Emerging, Assistant principal" in names


def test_after_adoption_the_dashboard_shows_it_next_to_the_earlier_domains(
    client, auth, make_user, world, rubric, framework
):
    adopt_framework(world.admin, rubric)
    db.session.commit()
    principal = world.person(make_user, "principal@northfield.example.org", role="principal")
    draft = assessments.start_assessment(principal)
    assert draft.framework_id == rubric.id
    entries = [{"indicator": i.code, "level": 3, "reflection": ""} for i in assessments.applicable_indicators(draft)]
    assessments.rate(principal, draft, entries)
    assessments.submit(principal, draft)
    db.session.commit()

    data = dashboard.load(ReadinessScope(world.teacher.district_id, None))
    codes = [code for code, _ in data.shape.domains]
    assert codes[:3] == RUBRIC_DOMAINS  # the current framework's first, in its order
    assert DELIVERY in codes[3:] and data.shape.is_earlier(DELIVERY)
    assert data.shape.earlier[DELIVERY] == f"{framework.title} {framework.version}"
    assert data.shape.domain_name(DELIVERY) == "Delivery and Operations" + EARLIER_MARK
    built = report.build_report(data, dashboard.Filters(), min_cell=1)
    north = next(row for row in built.rows if row.school_key == world.north.id)
    assert north.cells[codes.index(DELIVERY)].levels[2] == 1  # the teacher's CBE badge still counts
    assert north.cells[codes.index("shared-vision")].levels == (0, 0, 0, 0)  # no rubric badge yet
    self_view = report.build_report(data, dashboard.Filters(view="self"), min_cell=1)
    north_self = next(row for row in self_view.rows if row.school_key == world.north.id)
    assert north_self.cells[codes.index("shared-vision")].levels[2] == 1

    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    assert auth.login(leader.email, USER_PASSWORD).status_code == 302
    html = client.get("/readiness").get_data(as_text=True)
    svg = html[html.index('<svg class="heatmap"') : html.index("</svg>", html.index('<svg class="heatmap"'))]
    assert "Shared Vision" in svg and "(earlier framework)" in svg and "Delivery and" in svg
    table = html[html.index('<table class="heatmap-table"') :]
    assert "Shared Vision</th>" in table and "Delivery and Operations (earlier framework)</th>" in table
    assert f"Delivery and Operations (earlier framework) from {framework.title} {framework.version}" in html
    trend = client.get("/readiness?view=trend").get_data(as_text=True)
    assert "Shared Vision" in trend and "Delivery and Operations (earlier framework)" in trend


def test_an_open_cbe_draft_with_nothing_that_applies_under_the_rubric_is_removed(world, rubric, framework):
    draft = assessments.start_assessment(world.teacher)
    code = assessments.applicable_indicators(draft)[0].code
    assessments.rate(world.teacher, draft, [{"indicator": code, "level": 2, "reflection": ""}])
    db.session.commit()
    adopt_framework(world.admin, rubric)  # the rubric has no teacher role: nothing to carry
    db.session.commit()
    assert assessments.current_draft(world.teacher) is None
    assert {a.framework_id for a in assessments.submitted_assessments(world.teacher)} == {framework.id}  # kept
