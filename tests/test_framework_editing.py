"""Editing a draft (badges.authoring.editing): wording, levels, domains, key questions added, reworded
and retired, roles added, edited and removed, which questions apply to a role; each change recorded in
the framework's stream, bad input named, and what was edited published as version 2."""

from __future__ import annotations

import pytest

from badges.authoring import editing
from badges.authoring.drafts import discard_draft, start_draft
from badges.authoring.publishing import publish_draft, publishing_problems
from badges.base import InvalidInput, NotPermitted, StateConflict
from badges.extensions import db
from badges.frameworks.events import framework_events
from badges.frameworks.queries import get_framework
from badges.models import District
from tests.framework_setup import NEW_ROLE_NAME, publish_version_2
from tests.framework_setup import draft_of as start_of


def draft_of(admin):
    """A committed draft, so a refused edit's rollback keeps it."""
    draft = start_of(admin)
    db.session.commit()
    return draft


def errors_of(call, *args):
    """The refused call's field errors; what came before it is kept (committed), as by a request."""
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        call(*args)
    db.session.rollback()
    return refused.value.errors


def edits(draft):
    return [e.summary for e in framework_events(draft.slug) if e.action == "framework.draft_changed"]


def test_the_framework_wording_and_version(admin):
    draft = draft_of(admin)
    editing.edit_framework(admin, draft, "  Our competencies ", "What we expect.", "2.1")
    assert (draft.title, draft.description, draft.version) == ("Our competencies", "What we expect.", "2.1")
    assert edits(draft) == ["The framework's title and description and version edited."]
    editing.edit_framework(admin, draft, "Our competencies", "What we expect.", "2.1")
    assert len(edits(draft)) == 1  # nothing changed, nothing recorded
    errors = errors_of(editing.edit_framework, admin, draft, "", "a\x00b", "2 beta")
    assert errors["title"] == ["The title is required."]
    assert "not allowed" in errors["description"][0]
    assert "letters, digits" in errors["version"][0]


def test_a_version_label_another_version_has_is_refused(admin):
    version_2 = publish_version_2(admin)
    draft = start_draft(admin, version_2)
    assert draft.version == "3"
    errors = errors_of(editing.edit_framework, admin, draft, draft.title, "", "2")
    assert errors == {"version": [f"{draft.slug} already has a version 2; give the draft another version."]}


def test_level_and_domain_wording(admin):
    draft = draft_of(admin)
    expert = draft.levels[-1]
    editing.edit_level(admin, draft, expert, "Master", "I lead others to mastery.")
    assert (expert.name, expert.descriptor) == ("Master", "I lead others to mastery.")
    domain = draft.domains[0]
    editing.edit_domain(admin, draft, domain, "Delivery", "How learning is run.")
    assert domain.name == "Delivery"
    assert errors_of(editing.edit_level, admin, draft, expert, "x" * 81, "")["name"][0].startswith("The level's name")
    assert errors_of(editing.edit_domain, admin, draft, domain, "", "")["name"] == ["The domain's name is required."]
    changes = publish_ready_changes(admin, draft)
    assert "Level 4 renamed from Expert to Master." in changes
    assert any(c.startswith("Domain ") and "renamed to Delivery" in c for c in changes)


def publish_ready_changes(admin, draft):
    published = publish_draft(admin, draft)
    db.session.commit()
    return published.change_summary


def test_add_reword_and_retire_key_questions_codes_never_reused(admin):
    draft = draft_of(admin)
    domain = draft.domains[0]
    first = domain.indicators[0]
    count = len(domain.indicators)
    added = editing.add_question(admin, draft, domain, "How do learners show mastery?", ["teacher"])
    assert added.code == f"{domain.position}.{count + 1}" and [r.code for r in added.roles] == ["teacher"]
    editing.edit_question(admin, draft, first, "Reworded question?", ["teacher", "school-leader"])
    assert first.text == "Reworded question?"
    last = domain.indicators[count - 1]
    retired_code = last.code
    editing.retire_question(admin, draft, last)
    again = editing.add_question(admin, draft, domain, "Another?", ["teacher"])
    assert again.code not in {retired_code, added.code}  # a code the framework used is never given again
    errors = errors_of(editing.add_question, admin, draft, domain, "", ["nope"])
    assert errors["text"] == ["The key question is required."]
    assert errors["roles"] == ["This draft has no role nope."]
    assert errors_of(editing.edit_question, admin, draft, first, "Fine", [])["roles"] == [
        "Choose at least one role the key question applies to."
    ]
    changes = publish_ready_changes(admin, draft)
    assert any(c.startswith(f"Key question {first.code} reworded") for c in changes)
    assert any(c.startswith(f"Key question {again.code} added") for c in changes)
    assert any(c.startswith(f"Key question {retired_code} retired") for c in changes)


def test_add_the_advance_upon_mastery_role_and_set_its_questions(admin):
    draft = draft_of(admin)
    role = editing.add_role(admin, draft, NEW_ROLE_NAME, "Decides when a learner advances.")
    assert role.code == "advance-upon-mastery-decision-maker" and role.position == len(draft.roles)
    questions = [ind.id for ind in draft.domains[0].indicators]
    editing.set_role_questions(admin, draft, role, questions)
    assert [ind.id for ind in role.indicators] == questions
    assert all(role in ind.roles for ind in draft.domains[0].indicators)
    # Same name twice is refused; a second role of a similar name gets a code of its own.
    assert "already has a role" in errors_of(editing.add_role, admin, draft, NEW_ROLE_NAME.upper(), "")["name"][0]
    other = editing.add_role(admin, draft, "Advance upon mastery: decision maker", "")
    assert other.code == "advance-upon-mastery-decision-maker-2"
    editing.remove_role(admin, draft, other)
    assert other not in draft.roles
    assert "no key question" in errors_of(editing.set_role_questions, admin, draft, role, [999999])["questions"][0]
    editing.edit_role(admin, draft, role, "AUM decision maker", "Decides.")
    assert role.code == "advance-upon-mastery-decision-maker"  # the code stays
    assert publishing_problems(draft) == []
    changes = publish_ready_changes(admin, draft)
    assert "Role added: AUM decision maker." in changes
    published = get_framework(draft.slug, draft.version)
    assert published is not None and published.role(role.code) is not None


def test_removing_the_only_role_of_a_question_is_a_publishing_problem(admin):
    draft = draft_of(admin)
    role = editing.add_role(admin, draft, "Only role", "")
    question = draft.domains[0].indicators[0]
    editing.edit_question(admin, draft, question, question.text, [role.code])
    editing.remove_role(admin, draft, role)
    assert question.roles == []
    assert any(where.endswith("indicators[0].roles") for where, _ in publishing_problems(draft))


def test_every_edit_is_in_the_stream_and_only_the_owner_edits(admin, make_user, teacher):
    draft = draft_of(admin)
    editing.edit_level(admin, draft, draft.levels[0], "Beginner", draft.levels[0].descriptor)
    assert edits(draft) == [f"Level 1 ({draft.based_on.levels[0].name}) edited."]
    db.session.commit()
    other = District(slug="southfield", name="Southfield", framework=admin.district.framework)
    db.session.add(other)
    db.session.commit()
    stranger = make_user("admin@south.example.org", roles=("admin",), professional_role=None, in_district=other)
    with pytest.raises(NotPermitted):
        editing.edit_level(stranger, draft, draft.levels[0], "Mine", "Mine")
    with pytest.raises(NotPermitted):
        editing.add_role(teacher, draft, "Mine", "")
    # Another draft's rows are refused, and a published version is never edited.
    published = admin.district.framework
    with pytest.raises(InvalidInput, match="not part of this draft"):
        editing.edit_level(admin, draft, published.levels[0], "x", "y")
    with pytest.raises(StateConflict):
        editing.edit_level(admin, published, published.levels[0], "x", "y")
    discard_draft(admin, draft)
    db.session.commit()
    assert start_draft(admin, published).is_draft
