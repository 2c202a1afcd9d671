"""Versions keep their meaning (issue 13): what was recorded under version 1 keeps version 1's wording and
names it after version 2 is published and adopted; the next self-assessment uses version 2; a draft left
open under version 1 is carried to version 2 by key question code; the readiness dashboard compares by
domain code across versions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from badges.authoring.publishing import publish_draft
from badges.educator import assessments
from badges.extensions import db
from badges.models import AuditEvent, SelfAssessment
from badges.permissions import ReadinessScope
from badges.readiness import dashboard, report
from badges.readiness.upkeep import rebuild_district
from tests.conftest import USER_PASSWORD
from tests.framework_setup import EXPERT_V2, draft_of, edit_as_version_2, publish_version_2
from tests.test_readiness_upkeep import assess, snapshot
from tests.validation_setup import approve, make_world

DELIVERY = "delivery-operations"
EXPERIENCED_V2 = "I apply competency education across my work and can show its effect on learners."
QUESTION_V2 = "How do we read learner data together, every week, to decide what happens next?"


@pytest.fixture
def world(make_user, district, framework):
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user, "v@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(validator)
    world.award = approve(validator, world.claim()).award  # Delivery and Operations: Experienced, Teacher
    return world


def reworded_version_2(admin):
    """Version 2 with the Experienced descriptor and key question 4.1 reworded too (the teacher's badge)."""
    draft = edit_as_version_2(draft_of(admin))
    next(lv for lv in draft.levels if lv.value == 3).descriptor = EXPERIENCED_V2
    next(i for d in draft.domains for i in d.indicators if i.code == "4.1").text = QUESTION_V2
    db.session.flush()
    publish_draft(admin, draft)
    db.session.commit()
    return draft


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    return html[html.index("<main") :]


def test_a_version_1_award_claim_and_credential_keep_version_1(client, auth, world, framework):
    v1_experienced = next(lv for lv in framework.levels if lv.value == 3).descriptor
    v1_question = next(i for d in framework.domains for i in d.indicators if i.code == "4.1").text
    v2 = reworded_version_2(world.admin)
    assert world.teacher.district.framework.id == v2.id
    award = world.award
    assert auth.login(world.teacher.email, USER_PASSWORD).status_code == 302
    shown = page(client, f"/educator/badges/{award.id}")
    assert "version 1.0" in shown and f"version {v2.version}; this keeps the wording of version 1.0" in shown
    assert v1_question in shown and QUESTION_V2 not in shown
    claim = page(client, f"/educator/claims/{award.claim_id}")
    assert "version 1.0" in claim
    assert v1_question in claim and QUESTION_V2 not in claim
    assert v1_experienced[:40] in claim and EXPERIENCED_V2 not in claim
    credential = json.loads(award.data_integrity)
    achievement = credential["credentialSubject"]["achievement"]
    assert "(1.0)" in json.dumps(achievement["alignment"])
    text = json.dumps(achievement)
    assert EXPERIENCED_V2 not in text and EXPERT_V2 not in text and QUESTION_V2 not in text


def test_the_next_self_assessment_uses_the_current_version(world, framework):
    assess(world.teacher, framework, 2)
    v2 = publish_version_2(world.admin)
    draft = assessments.start_assessment(world.teacher, from_previous=True)
    assert draft.framework_id == v2.id
    assert {r.indicator.framework_id for r in draft.ratings} == {v2.id}  # carried by code, onto version 2
    assert len(draft.ratings) == len(assessments.applicable_indicators(draft))
    earlier = assessments.submitted_assessments(world.teacher)
    assert [a.framework_id for a in earlier] == [framework.id]  # the submitted round stays version 1's


def test_a_draft_left_open_under_version_1_is_carried_to_version_2_by_code(world, framework):
    draft = assessments.start_assessment(world.teacher)
    codes = [i.code for i in assessments.applicable_indicators(draft)][:3]
    assessments.rate(world.teacher, draft, [{"indicator": c, "level": 3, "reflection": f"On {c}"} for c in codes])
    db.session.commit()
    v2 = publish_version_2(world.admin)
    db.session.expire_all()
    carried = assessments.current_draft(world.teacher)
    assert carried is not None and carried.id == draft.id and carried.framework_id == v2.id
    ratings = assessments.current_ratings(carried)
    assert sorted(r.indicator.code for r in ratings.values()) == sorted(codes)
    assert {r.indicator.framework_id for r in ratings.values()} == {v2.id}
    assert {r.reflection for r in ratings.values()} == {f"On {c}" for c in codes}
    logged = db.session.scalar(
        select(AuditEvent.summary)
        .where(AuditEvent.action == "district.framework_changed")
        .order_by(AuditEvent.id.desc())
    )
    assert "1 moved" in logged and "3 rating(s) kept" in logged
    assert db.session.scalar(select(SelfAssessment).where(SelfAssessment.framework_id == framework.id)) is None


def test_the_dashboard_counts_a_version_1_badge_in_version_2s_domain(world, framework):
    v2 = publish_version_2(world.admin)
    data = dashboard.load(ReadinessScope(world.teacher.district_id, None))
    assert data.shape.framework_id == v2.id
    assert data.shape.earlier == {}  # the same domain codes: nothing shown apart
    built = report.build_report(data, dashboard.Filters(), min_cell=1)
    index = [code for code, _ in built.domains].index(DELIVERY)
    north = next(row for row in built.rows if row.school_key == world.north.id)
    assert north.cells[index].levels[2] == 1  # the version 1 Experienced badge, in version 2's column


def test_adoption_keeps_the_readiness_tables_right(world, framework):
    assess(world.teacher, framework, 2)
    kept = snapshot(world.teacher.district_id)
    publish_version_2(world.admin)
    assert snapshot(world.teacher.district_id) == kept  # counted by domain code: nothing to move
    rebuild_district(db.session.connection(), world.teacher.district_id)
    db.session.flush()
    assert snapshot(world.teacher.district_id) == kept
    db.session.rollback()
