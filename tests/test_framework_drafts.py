"""Drafts and publication (badges.authoring): a district's own version of a shared framework, published
whole or not at all, with its change summary, badges and audit stream; earlier records keep their version."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.access import get_visible_or_404
from badges.authoring.adoption import adopt_framework
from badges.authoring.drafts import discard_draft, next_question_code, start_draft
from badges.authoring.publishing import DraftProblems, publish_draft, publishing_problems
from badges.base import InvalidInput, NotPermitted, StateConflict
from badges.extensions import db
from badges.frameworks.events import framework_events
from badges.frameworks.queries import get_framework, list_frameworks
from badges.models import AuditEvent, BadgeClass, District, Framework, Indicator
from badges.permissions import can_read_framework_events, frameworks_used_by
from badges.visibility import EDITABLE_DRAFT
from tests.framework_setup import (
    EXPERT_V2,
    NEW_ROLE_CODE,
    NEW_ROLE_NAME,
    draft_of,
    edit_as_version_2,
    publish_version_2,
)


def test_a_draft_of_a_shared_framework_is_the_districts_own_version_2(admin, framework):
    draft = draft_of(admin)
    assert draft.is_draft and draft.slug == f"{framework.slug}-northfield" and draft.version == "2"
    assert draft.based_on_id == framework.id
    assert [d.code for d in draft.domains] == [d.code for d in framework.domains]
    assert draft.identifier != framework.identifier
    assert {i.identifier for d in draft.domains for i in d.indicators}.isdisjoint(
        {i.identifier for d in framework.domains for i in d.indicators}
    )
    # A draft is seen by nobody but its editors: no public list or lookup finds it.
    assert draft not in list_frameworks() and get_framework(draft.slug, "2") is None


def test_one_draft_at_a_time(admin):
    draft_of(admin)
    with pytest.raises(StateConflict, match="already has a draft"):
        draft_of(admin)


def test_only_the_owning_districts_admins_edit_a_draft(admin, make_user, teacher):
    draft = draft_of(admin)
    db.session.commit()
    other = District(slug="southfield", name="Southfield", framework=admin.district.framework)
    db.session.add(other)
    db.session.commit()
    stranger = make_user("admin@south.example.org", roles=("admin",), professional_role=None, in_district=other)
    with pytest.raises(NotPermitted):
        publish_draft(stranger, draft)
    with pytest.raises(NotPermitted):
        start_draft(teacher, admin.district.framework)
    with pytest.raises(Exception) as found:
        get_visible_or_404(Framework, draft.id, stranger, EDITABLE_DRAFT)
    assert getattr(found.value, "code", None) == 404
    assert get_visible_or_404(Framework, draft.id, admin, EDITABLE_DRAFT) is draft


def test_publishing_an_unchanged_draft_is_refused(admin):
    draft = draft_of(admin)
    assert publishing_problems(draft) == [
        ("(draft)", "nothing has changed since Competencies for Competency Education 1.0")
    ]


def test_a_draft_is_checked_as_a_file_is_and_nothing_is_published_half_way(admin):
    draft = draft_of(admin)
    draft.domains[2].indicators[0].roles = []
    draft.levels[0].descriptor = ""
    db.session.commit()
    with pytest.raises(DraftProblems) as refused:
        publish_draft(admin, draft)
    db.session.rollback()
    where = [path for path, _ in refused.value.problems]
    assert "domains[2].indicators[0].roles" in where and "levels[0].descriptor" in where
    db.session.refresh(draft)
    assert draft.is_draft
    assert db.session.scalar(select(func.count()).where(BadgeClass.framework_id == draft.id)) == 0


def test_publishing_writes_the_summary_badges_policy_and_moves_the_district(admin, framework):
    version_1_badges = db.session.scalar(select(func.count()).where(BadgeClass.framework_id == framework.id))
    v2 = publish_version_2(admin)
    assert not v2.is_draft and v2.content_hash
    assert "Level 4 (Expert): descriptor reworded." in v2.change_summary
    assert f"Role added: {NEW_ROLE_NAME}." in v2.change_summary
    assert admin.district.framework_id == v2.id
    new_badges = db.session.scalars(select(BadgeClass).where(BadgeClass.framework_id == v2.id)).all()
    assert len(new_badges) == version_1_badges + 4  # the new role has key questions in one domain: 4 levels
    assert any(b.role.code == NEW_ROLE_CODE for b in new_badges)
    expert_v2 = next(b for b in new_badges if b.level == 4 and b.role.code == "teacher")
    assert EXPERT_V2 in expert_v2.criteria
    # Version 1's badge classes keep version 1's wording.
    expert_v1 = db.session.scalar(
        select(BadgeClass).where(BadgeClass.framework_id == framework.id, BadgeClass.level == 4)
    )
    assert EXPERT_V2 not in expert_v1.criteria
    actions = [e.action for e in framework_events(v2.slug)]
    assert actions == ["framework.published", "framework.draft_started"]
    assert framework_events(v2.slug)[0].details == v2.change_summary
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "district.framework_changed", AuditEvent.district_id == admin.district_id
        )
    )


def test_discarding_a_draft_keeps_its_history_in_the_stream(admin):
    draft = draft_of(admin)
    slug = draft.slug
    discard_draft(admin, draft)
    db.session.commit()
    assert db.session.scalar(select(Framework).where(Framework.slug == slug)) is None
    assert [e.action for e in framework_events(slug)] == ["framework.draft_discarded", "framework.draft_started"]


def test_a_retired_questions_code_is_never_given_to_a_new_one(admin):
    draft = draft_of(admin)
    domain = draft.domains[0]
    retired = domain.indicators.pop()
    db.session.flush()
    assert next_question_code(draft, domain) != retired.code
    assert next_question_code(draft, domain) not in {i.code for i in db.session.scalars(select(Indicator))}


def test_the_stream_is_read_by_the_admins_of_every_district_using_the_framework(admin, framework, make_user):
    v2 = publish_version_2(admin)
    assert frameworks_used_by(admin.district) == {v2.slug, framework.slug}
    assert can_read_framework_events(admin, framework.slug) and can_read_framework_events(admin, v2.slug)
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    stranger = make_user("admin@south.example.org", roles=("admin",), professional_role=None, in_district=other)
    assert can_read_framework_events(stranger, framework.slug)
    assert not can_read_framework_events(stranger, v2.slug)
    adopt_framework(stranger, v2)
    db.session.commit()
    assert can_read_framework_events(stranger, v2.slug)
    assert framework_events(v2.slug)[0].action == "framework.adopted"


def test_the_framework_stream_is_append_only(admin):
    draft_of(admin)
    db.session.commit()
    event = framework_events(admin.district.framework.slug + "-northfield")[0]
    event.summary = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_editing_as_version_2_then_publishing_twice_is_refused(admin):
    draft = edit_as_version_2(draft_of(admin))
    publish_draft(admin, draft)
    with pytest.raises(StateConflict, match="published"):
        publish_draft(admin, draft)


def test_a_draft_cannot_be_labelled_as_a_page_of_the_service(admin):
    with pytest.raises(InvalidInput, match="events is the name of one of the service's pages"):
        start_draft(admin, admin.district.framework, version="events")
