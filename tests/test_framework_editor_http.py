"""The framework editor over HTTP: an admin starts their district's own version from the framework page,
edits wording, levels, domains, key questions and roles (the Advance-Upon-Mastery Decision Maker), sees
the changes and every problem, publishes version 2 after a confirmation showing the change summary, or
discards; adopting asks first. Bad input answers 400 naming what is wrong; another district's admin 404."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from badges.extensions import db
from badges.frameworks.events import framework_events
from badges.frameworks.queries import get_framework
from badges.models import District, Framework
from tests.conftest import USER_PASSWORD, csrf_token_from
from tests.framework_setup import NEW_ROLE_NAME

FW = "/frameworks/cbe-educator-competencies/1.0"


def text(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data=None):
    token = csrf_token_from(client.get("/frameworks/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


@pytest.fixture
def as_admin(client, auth, admin):
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    return client


def started(client) -> Framework:
    response = post(client, f"{FW}/draft")
    assert response.status_code == 302
    draft = db.session.scalar(select(Framework).where(Framework.published_at.is_(None)))
    assert response.headers["Location"].endswith(f"/frameworks/drafts/{draft.id}")
    return draft


def test_the_framework_page_offers_an_admin_their_own_version(as_admin, framework):
    page = text(as_admin.get(FW))
    assert "Make our own version" in page and "(in use in your district)" in page
    assert "Use this version in our district" not in page  # it is in use already
    assert "Versions" in page
    draft = started(as_admin)
    page = text(as_admin.get(FW))
    assert "Continue our draft (version 2)" in page and "Make our own version" not in page
    assert "Continue our draft" in text(as_admin.get("/frameworks/"))
    assert "Frameworks</a>" in text(as_admin.get(f"/frameworks/drafts/{draft.id}"))  # the admin menu


def test_edit_publish_version_2_with_the_change_summary(as_admin, admin):
    client = as_admin
    draft = started(client)
    base = f"/frameworks/drafts/{draft.id}"
    overview = text(client.get(base))
    assert "Nothing has changed yet." in overview and "nothing has changed since" in overview
    # A level descriptor.
    assert client.get(f"{base}/levels/4").status_code == 200
    saved = post(client, f"{base}/levels/4", {"name": "Expert", "descriptor": "I coach my peers to mastery."})
    assert saved.status_code == 302
    # A new role with the questions of domain 1, chosen in the per-domain fieldsets.
    domain = draft.domains[0]
    form = text(client.get(f"{base}/roles/new"))
    assert f"<legend>{domain.position}. {domain.name}</legend>" in form
    ids = [str(ind.id) for ind in domain.indicators]
    made = post(client, f"{base}/roles/new", {"name": NEW_ROLE_NAME, "description": "Decides.", "questions": ids})
    assert made.status_code == 302
    role = draft.role("advance-upon-mastery-decision-maker")
    assert role is not None and [str(i.id) for i in role.indicators] == ids
    # A key question added, one reworded, the domain renamed.
    added = post(
        client, f"{base}/domains/{domain.code}/questions", {"text": "How is mastery shown?", "roles": ["teacher"]}
    )
    assert added.status_code == 302
    first = domain.indicators[0]
    form = text(client.get(f"{base}/questions/{first.id}"))
    for r in first.roles:  # the roles it applies to are ticked
        assert re.search(rf'<input checked id="roles-\d+" name="roles" type="checkbox" value="{r.code}">', form)
    reworded = post(client, f"{base}/questions/{first.id}", {"text": "Reworded?", "roles": ["teacher"]})
    assert reworded.status_code == 302
    assert post(client, f"{base}/domains/{domain.code}", {"name": "Delivery", "description": ""}).status_code == 302
    overview = text(client.get(base))
    assert "Role added: Advance-Upon-Mastery Decision Maker." in overview
    assert "Level 4 (Expert): descriptor reworded." in overview
    assert "Nothing stops this draft from being published." in overview
    # Publishing asks first, showing what changed; nothing is published by the question.
    asked = post(client, f"{base}/publish")
    assert asked.status_code == 200 and "Publish version 2?" in text(asked)
    assert "Role added: Advance-Upon-Mastery Decision Maker." in text(asked)
    assert get_framework(draft.slug, "2") is None
    done = post(client, f"{base}/publish", {"confirmed": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/frameworks/{draft.slug}/2")
    page = text(client.get(f"/frameworks/{draft.slug}/2"))
    assert "What changed" in page and "Role added: Advance-Upon-Mastery Decision Maker." in page
    assert "(in use in your district)" in page
    db.session.expire_all()
    assert admin.district.framework.version == "2"
    assert any(e.action == "framework.published" for e in framework_events(draft.slug))


def test_bad_input_answers_400_naming_what_is_wrong(as_admin):
    client = as_admin
    draft = started(client)
    base = f"/frameworks/drafts/{draft.id}"
    refused = post(client, f"{base}/details", {"title": "", "version": "2 beta", "description": "x" * 4001})
    assert refused.status_code == 400
    body = text(refused)
    assert "The title is required." in body and "letters, digits" in body and "at most 4,000" in body
    refused = post(client, f"{base}/levels/1", {"name": "x" * 81, "descriptor": ""})
    assert refused.status_code == 400 and "The descriptor is required." in text(refused)
    refused = post(client, f"{base}/domains/{draft.domains[0].code}/questions", {"text": "Q?", "roles": ["nope"]})
    assert refused.status_code == 400 and "This draft has no role nope." in text(refused)
    refused = post(client, f"{base}/roles/new", {"name": "", "questions": ["abc"]})
    assert refused.status_code == 400 and "Choose from the list" in text(refused)
    keeps = post(client, f"{base}/roles/new", {"name": "", "questions": [str(draft.domains[0].indicators[0].id)]})
    assert keeps.status_code == 400 and "The role&#39;s name is required." in text(keeps)
    assert (
        f'value="{draft.domains[0].indicators[0].id}" id="questions-{draft.domains[0].indicators[0].id}" checked'
        in text(keeps)
    )
    refused = post(client, f"{base}/roles/new", {"name": "R", "questions": ["999999"]})
    assert refused.status_code == 400 and "no key question 999999" in text(refused)
    assert draft.role("r") is None  # nothing half-made
    assert client.get(f"{base}/levels/9").status_code == 404
    assert client.get(f"{base}/domains/nope").status_code == 404
    assert client.get(f"{base}/roles/nope").status_code == 404
    # A published version's question is not this draft's.
    assert (
        client.get(
            f"{base}/questions/{get_framework('cbe-educator-competencies', '1.0').domains[0].indicators[0].id}"
        ).status_code
        == 404
    )


def test_publishing_a_draft_with_problems_shows_every_one_and_publishes_nothing(as_admin):
    client = as_admin
    draft = started(client)
    base = f"/frameworks/drafts/{draft.id}"
    question = draft.domains[0].indicators[0]
    made = post(client, f"{base}/roles/new", {"name": "Only role", "questions": [str(question.id)]})
    assert made.status_code == 302
    assert (
        post(client, f"{base}/questions/{question.id}", {"text": question.text, "roles": ["only-role"]}).status_code
        == 302
    )
    assert post(client, f"{base}/roles/only-role/remove").status_code == 200  # the question
    assert post(client, f"{base}/roles/only-role/remove", {"confirmed": "yes"}).status_code == 302
    refused = post(client, f"{base}/publish", {"confirmed": "yes"})
    assert refused.status_code == 400
    assert "indicators[0].roles" in text(refused)
    assert get_framework(draft.slug, draft.version) is None


def test_retire_a_question_and_discard_the_draft_ask_first(as_admin):
    client = as_admin
    draft = started(client)
    base = f"/frameworks/drafts/{draft.id}"
    question = draft.domains[0].indicators[-1]
    asked = post(client, f"{base}/questions/{question.id}/retire")
    assert asked.status_code == 200 and f"Retire key question {question.code}?" in text(asked)
    assert post(client, f"{base}/questions/{question.id}/retire", {"confirmed": "yes"}).status_code == 302
    assert f"Key question {question.code} retired" in text(client.get(base))
    asked = post(client, f"{base}/discard")
    assert asked.status_code == 200 and "Discard this draft?" in text(asked)
    gone = post(client, f"{base}/discard", {"confirmed": "yes"})
    assert gone.status_code == 302
    assert client.get(base).status_code == 404


def test_adopting_a_version_asks_first(as_admin, admin, framework):
    admin.district.framework = None
    db.session.commit()
    page = text(as_admin.get(FW))
    assert "Use this version in our district" in page
    asked = post(as_admin, f"{FW}/adopt")
    assert asked.status_code == 200 and "Use Competencies for Competency Education 1.0 in your district?" in text(asked)
    db.session.expire_all()
    assert admin.district.framework is None
    assert post(as_admin, f"{FW}/adopt", {"confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert admin.district.framework_id == framework.id


def test_another_districts_admin_gets_404(client, auth, as_admin, make_user, admin):
    draft = started(as_admin)
    other = District(slug="southfield", name="Southfield", framework=admin.district.framework)
    db.session.add(other)
    db.session.commit()
    stranger = make_user("admin@south.example.org", roles=("admin",), professional_role=None, in_district=other)
    auth.logout()
    assert auth.login(stranger.email, USER_PASSWORD).status_code == 302
    base = f"/frameworks/drafts/{draft.id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/levels/1").status_code == 404
    assert post(client, f"{base}/publish", {"confirmed": "yes"}).status_code == 404
    assert post(client, f"{base}/discard", {"confirmed": "yes"}).status_code == 404
