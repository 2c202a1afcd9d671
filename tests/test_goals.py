"""Goals: the operations (badges.educator.goals) and the pages under /educator/goals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput
from badges.educator import goals
from badges.extensions import db
from badges.models import EvidenceItem, EvidenceKind, Goal, GoalStatus
from tests.conftest import USER_PASSWORD, csrf_token_from

SOON = date.today() + timedelta(days=60)
LATER = date.today() + timedelta(days=120)
YESTERDAY = date.today() - timedelta(days=1)


def evidence(user, title="Exit tickets", url="https://example.org/exit-tickets") -> EvidenceItem:
    item = EvidenceItem(
        user=user, kind=EvidenceKind.LINK, url=url, title=title, narrative="What the exit tickets showed about pacing."
    )
    db.session.add(item)
    db.session.commit()
    return item


def goal_for(user, domain="delivery-operations", level=3, when=SOON, **kwargs) -> Goal:
    goal = goals.create_goal(user, domain, level, when, "Run weekly data meetings.", **kwargs)
    db.session.commit()
    return goal


def goal_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Goal))


# --- operations -------------------------------------------------------------------------------


def test_create_goal_with_plan_and_own_evidence(teacher):
    item = evidence(teacher)
    goal = goal_for(teacher, support_needed="Time with the data coach.", evidence_ids=[item.id])
    assert goal.domain.code == "delivery-operations" and goal.target_level == 3
    assert goal.status is GoalStatus.NOT_STARTED
    assert goal.support_needed == "Time with the data coach."
    assert [e.title for e in goal.evidence] == ["Exit tickets"]


@pytest.mark.parametrize(
    "args,field,words",
    [
        (("nope", 3, SOON, "Plan"), "domain", "not a domain"),
        (("", 3, SOON, "Plan"), "domain", "Choose the domain"),
        (("delivery-operations", 0, SOON, "Plan"), "target_level", "Explorer 1"),
        (("delivery-operations", 5, SOON, "Plan"), "target_level", "Expert 4"),
        (("delivery-operations", None, SOON, "Plan"), "target_level", "1 to 4"),
        (("delivery-operations", 3, YESTERDAY, "Plan"), "target_date", "in the past"),
        (("delivery-operations", 3, None, "Plan"), "target_date", "Give the date"),
        (("delivery-operations", 3, SOON, "   "), "actions", "what you will do"),
        (("delivery-operations", 3, SOON, "x" * 5001), "actions", "5,000"),
    ],
)
def test_create_goal_refuses_bad_input_and_saves_nothing(teacher, args, field, words):
    with pytest.raises(InvalidInput) as caught:
        goals.create_goal(teacher, *args)
    assert words in " ".join(caught.value.errors[field])
    db.session.rollback()
    assert goal_count() == 0


def test_create_goal_reports_every_bad_field_at_once(teacher):
    with pytest.raises(InvalidInput) as caught:
        goals.create_goal(teacher, "nope", 9, YESTERDAY, "", support_needed="y" * 5001, evidence_ids=[999])
    assert set(caught.value.errors) == {
        "domain",
        "target_level",
        "target_date",
        "actions",
        "support_needed",
        "evidence",
    }


def test_today_is_a_valid_target_date(teacher):
    assert goal_for(teacher, when=date(2030, 1, 1), today=date(2030, 1, 1)).target_date == date(2030, 1, 1)


def test_create_goal_refuses_another_educators_evidence_naming_the_ids(teacher, make_user):
    other = make_user("other@northfield.example.org")
    theirs, mine = evidence(other, "Their work"), evidence(teacher)
    with pytest.raises(InvalidInput) as caught:
        goals.create_goal(teacher, "delivery-operations", 2, SOON, "Plan", evidence_ids=[mine.id, theirs.id])
    message = " ".join(caught.value.errors["evidence"])
    assert str(theirs.id) in message and str(mine.id) not in message
    db.session.rollback()
    assert goal_count() == 0


def test_update_keeps_a_past_date_that_was_not_changed_but_refuses_a_new_past_date(teacher):
    goal = goal_for(teacher, when=date(2020, 6, 1), today=date(2020, 1, 1))
    goals.update_goal(teacher, goal, target_date=date(2020, 6, 1), status="in_progress")
    db.session.commit()
    assert goal.status is GoalStatus.IN_PROGRESS
    with pytest.raises(InvalidInput) as caught:
        goals.update_goal(teacher, goal, target_date=date(2020, 7, 1), status="achieved")
    assert "target_date" in caught.value.errors
    db.session.rollback()
    assert db.session.get(Goal, goal.id).status is GoalStatus.IN_PROGRESS  # nothing half-saved


def test_update_refuses_unknown_status_and_changes_nothing(teacher):
    goal = goal_for(teacher)
    with pytest.raises(InvalidInput) as caught:
        goals.update_goal(teacher, goal, status="finished", actions="New plan")
    assert "not_started" in caught.value.errors["status"][0]
    db.session.rollback()
    assert db.session.get(Goal, goal.id).actions == "Run weekly data meetings."


def test_update_moves_a_goal_to_another_domain_of_the_framework_only(teacher):
    goal = goal_for(teacher)
    goals.update_goal(teacher, goal, domain_code="supporting-educators", target_level=4)
    db.session.commit()
    assert (goal.domain.code, goal.target_level) == ("supporting-educators", 4)
    with pytest.raises(InvalidInput) as caught:
        goals.update_goal(teacher, goal, domain_code="nope", target_level=0)
    assert set(caught.value.errors) == {"domain", "target_level"}


def test_update_and_delete_refuse_another_persons_goal(teacher, make_user):
    goal = goal_for(teacher)
    other = make_user("other@northfield.example.org")
    with pytest.raises(InvalidInput):
        goals.update_goal(other, goal, status="achieved")
    with pytest.raises(InvalidInput):
        goals.delete_goal(other, goal)


def test_list_goals_open_first_by_date_then_closed(teacher, make_user):
    late = goal_for(teacher, when=LATER)
    done = goal_for(teacher, domain="engagement-communication", when=SOON - timedelta(days=30))
    goals.update_goal(teacher, done, status=GoalStatus.ACHIEVED)
    soon = goal_for(teacher, domain="supporting-educators", when=SOON)
    goal_for(make_user("other@northfield.example.org"))
    db.session.commit()
    assert [g.id for g in goals.list_goals(teacher)] == [soon.id, late.id, done.id]


def test_deleting_a_goal_keeps_its_evidence(teacher):
    item = evidence(teacher)
    goal = goal_for(teacher, evidence_ids=[item.id])
    goals.delete_goal(teacher, goal)
    db.session.commit()
    assert goal_count() == 0 and db.session.get(EvidenceItem, item.id) is not None


# --- pages ------------------------------------------------------------------------------------


def form_post(client, path: str, **fields):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    data.update(fields)
    return client.post(path, data=data)


def new_goal_fields(**overrides):
    fields = {
        "domain": "delivery-operations",
        "target_level": "3",
        "target_date": SOON.isoformat(),
        "actions": "Run weekly data meetings.",
        "support_needed": "A coach.",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def signed_in(auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return teacher


def test_new_goal_page_offers_domains_in_order_and_named_levels_with_descriptors(client, signed_in, framework):
    html = client.get("/educator/goals/new").get_data(as_text=True)
    positions = [html.index(f'value="{d.code}"') for d in framework.domains]
    assert positions == sorted(positions)
    for level in ("Explorer (1)", "Novice (2)", "Experienced (3)", "Expert (4)"):
        assert level in html
    assert "I’m becoming familiar" in html
    assert 'for="target_date"' in html and 'for="actions"' in html and "<script" not in html


def test_two_goals_set_through_the_pages_are_listed(client, signed_in):
    item = evidence(signed_in)
    first = form_post(client, "/educator/goals/new", **new_goal_fields(evidence=str(item.id)))
    assert first.status_code == 302 and first.headers["Location"].endswith("/educator/goals/")
    second = form_post(
        client, "/educator/goals/new", **new_goal_fields(domain="supporting-educators", target_level="4")
    )
    assert second.status_code == 302
    assert goal_count() == 2
    html = client.get("/educator/goals/").get_data(as_text=True)
    assert "Your goal is set." in html
    assert "Delivery and Operations" in html and "Supporting Educators" in html
    assert "Experienced (3)" in html and "Expert (4)" in html
    assert SOON.isoformat() in html and "Not started" in html and "Exit tickets" in html
    assert 'href="/educator/goals/new"' in html


@pytest.mark.parametrize(
    "overrides,field,words",
    [
        ({"target_date": YESTERDAY.isoformat()}, "target_date", "in the past"),
        ({"target_date": ""}, "target_date", "Give the date"),
        ({"target_level": "0"}, "target_level", "Explorer 1"),
        ({"target_level": "5"}, "target_level", "Expert 4"),
        ({"domain": "nope"}, "domain", "not a domain"),
        ({"actions": ""}, "actions", "what you will do"),
        ({"evidence": "999999"}, "evidence", "999999"),
    ],
)
def test_invalid_new_goal_rerenders_with_the_field_error_and_saves_nothing(client, signed_in, overrides, field, words):
    response = form_post(client, "/educator/goals/new", **new_goal_fields(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in html and words in html
    assert goal_count() == 0


def test_edit_page_changes_status_and_links_own_evidence(client, signed_in):
    goal = goal_for(signed_in)
    item = evidence(signed_in, "Data meeting notes")
    page = client.get(f"/educator/goals/{goal.id}/edit").get_data(as_text=True)
    assert "Data meeting notes" in page and 'name="status"' in page and "In progress" in page
    response = form_post(
        client, f"/educator/goals/{goal.id}/edit", **new_goal_fields(status="in_progress", evidence=str(item.id))
    )
    assert response.status_code == 302
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert goal.status is GoalStatus.IN_PROGRESS and [e.id for e in goal.evidence] == [item.id]


def test_edit_page_refuses_another_educators_evidence_and_changes_nothing(client, signed_in, make_user):
    goal = goal_for(signed_in)
    theirs = evidence(make_user("other@northfield.example.org"), "Their work")
    response = form_post(
        client, f"/educator/goals/{goal.id}/edit", **new_goal_fields(status="achieved", evidence=str(theirs.id))
    )
    assert response.status_code == 400 and str(theirs.id) in response.get_data(as_text=True)
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert goal.status is GoalStatus.NOT_STARTED and goal.evidence == []


def test_edit_keeps_an_old_past_date(client, signed_in):
    goal = goal_for(signed_in, when=date(2020, 6, 1), today=date(2020, 1, 1))
    response = form_post(
        client, f"/educator/goals/{goal.id}/edit", **new_goal_fields(target_date="2020-06-01", status="set_aside")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).status is GoalStatus.SET_ASIDE


def test_delete_page_removes_the_goal(client, signed_in):
    goal = goal_for(signed_in)
    page = client.get("/educator/goals/").get_data(as_text=True)
    assert 'class="danger-secondary"' in page and "Delete…" in page
    asked = client.post(f"/educator/goals/{goal.id}/delete", data={"csrf_token": csrf_token_from(page)})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Delete this goal?" in html and 'class="danger">Delete goal<' in html
    assert "The evidence it links to stays in your portfolio." in html and goal_count() == 1
    response = client.post(
        f"/educator/goals/{goal.id}/delete", data={"csrf_token": csrf_token_from(html), "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert goal_count() == 0


def test_another_educators_goal_is_404_on_edit_and_delete_and_stays(client, auth, teacher, make_user):
    goal = goal_for(teacher)
    other = make_user("other@northfield.example.org")
    assert auth.login(other.email, USER_PASSWORD).status_code == 302
    assert client.get(f"/educator/goals/{goal.id}/edit").status_code == 404
    token = csrf_token_from(client.get("/educator/goals/").get_data(as_text=True))
    edit = client.post(
        f"/educator/goals/{goal.id}/edit", data={"csrf_token": token, **new_goal_fields(status="achieved")}
    )
    assert edit.status_code == 404
    assert client.post(f"/educator/goals/{goal.id}/delete", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).status is GoalStatus.NOT_STARTED


def test_post_without_csrf_token_is_refused(client, signed_in):
    assert client.post("/educator/goals/new", data=new_goal_fields()).status_code == 400
    assert goal_count() == 0


@pytest.mark.parametrize("path", ["/educator/goals/", "/educator/goals/new"])
def test_anonymous_is_sent_to_sign_in(client, app, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/educator/goals/", "/educator/goals/new"])
def test_a_person_without_the_educator_role_is_refused(client, auth, make_user, path):
    leader = make_user("leader@northfield.example.org", roles=("district_leader",))
    assert auth.login(leader.email, USER_PASSWORD).status_code == 302
    assert client.get(path).status_code == 403


def test_made_up_goal_ids_are_404(client, signed_in):
    assert client.get("/educator/goals/99999999999999999999/edit").status_code == 404


def test_new_goal_page_explains_a_missing_professional_role(client, auth, make_user):
    loner = make_user("loner@northfield.example.org", professional_role=None)
    assert auth.login(loner.email, USER_PASSWORD).status_code == 302
    response = client.get("/educator/goals/new")
    assert response.status_code == 400 and "professional role" in response.get_data(as_text=True)
