"""The goals API under /api/v1/me/goals: JSON in and out, CSRF on changes, only your own goals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from badges.educator import goals
from badges.extensions import db
from badges.models import EvidenceItem, EvidenceKind, Goal, GoalStatus
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from

URL = "/api/v1/me/goals"
SOON = date.today() + timedelta(days=60)
YESTERDAY = date.today() - timedelta(days=1)


def evidence(user, title="Exit tickets") -> EvidenceItem:
    item = EvidenceItem(
        user=user, kind=EvidenceKind.LINK, url="https://example.org/evidence", title=title, narrative="What it shows."
    )
    db.session.add(item)
    db.session.commit()
    return item


def goal_for(user, domain="delivery-operations") -> Goal:
    goal = goals.create_goal(user, domain, 3, SOON, "Run weekly data meetings.")
    db.session.commit()
    return goal


def goal_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Goal))


def body(**overrides) -> dict:
    data = {
        "domain": "delivery-operations",
        "target_level": 3,
        "target_date": SOON.isoformat(),
        "actions": "Run weekly data meetings.",
        "support_needed": "A coach.",
    }
    data.update(overrides)
    return data


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert payload["code"] == status and payload["message"]
    return payload


@pytest.fixture
def headers(client, auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return api_headers(client)


def test_create_two_goals_and_list_them(client, headers, teacher):
    item = evidence(teacher)
    first = client.post(URL, json=body(evidence=[item.id]), headers=headers)
    assert first.status_code == 201, first.get_json()
    created = first.get_json()
    assert created["domain"] == "delivery-operations" and created["domain_name"] == "Delivery and Operations"
    assert created["target_level"] == 3 and created["target_level_name"] == "Experienced"
    assert created["target_date"] == SOON.isoformat() and created["status"] == "not_started"
    assert created["evidence"] == [item.id]
    assert created["evidence_items"] == [{"id": item.id, "title": "Exit tickets"}]
    assert created["url"].endswith(f"{URL}/{created['id']}")
    second = client.post(
        URL,
        json=body(domain="supporting-educators", target_level=4, target_date=(SOON - timedelta(days=30)).isoformat()),
        headers=headers,
    )
    assert second.status_code == 201
    listed = client.get(URL).get_json()
    assert [g["id"] for g in listed] == [second.get_json()["id"], created["id"]]  # soonest first
    assert client.get(f"{URL}/{created['id']}").get_json() == created


def test_past_date_for_a_new_goal_is_a_400_naming_target_date(client, headers):
    payload = assert_json_error(client.post(URL, json=body(target_date=YESTERDAY.isoformat()), headers=headers), 400)
    assert "in the past" in payload["errors"]["target_date"][0]
    assert goal_count() == 0


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"target_level": 0}, "target_level"),
        ({"target_level": 5}, "target_level"),
        ({"domain": "nope"}, "domain"),
        ({"actions": ""}, "actions"),
        ({"support_needed": "x" * 5001}, "support_needed"),
        ({"evidence": [424242]}, "evidence"),
    ],
)
def test_rule_breaking_goals_are_400_with_field_messages_and_not_saved(client, headers, overrides, field):
    payload = assert_json_error(client.post(URL, json=body(**overrides), headers=headers), 400)
    assert list(payload["errors"]) == [field]
    assert goal_count() == 0


def test_level_message_names_the_levels(client, headers):
    payload = assert_json_error(client.post(URL, json=body(target_level=5), headers=headers), 400)
    assert "Explorer 1" in payload["errors"]["target_level"][0] and "Expert 4" in payload["errors"]["target_level"][0]


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b.pop("actions"),
        lambda b: b.pop("domain"),
        lambda b: b.update(target_date="tomorrow"),
        lambda b: b.update(target_level="high"),
        lambda b: b.update(colour="blue"),
    ],
)
def test_malformed_bodies_are_422_json_and_not_saved(client, headers, change):
    data = body()
    change(data)
    payload = assert_json_error(client.post(URL, json=data, headers=headers), 422)
    assert payload["errors"]
    assert goal_count() == 0


def test_changes_need_the_csrf_header(client, auth, teacher):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    assert_json_error(client.post(URL, json=body()), 400)
    assert goal_count() == 0


def test_patch_status_and_link_own_evidence(client, headers, teacher):
    goal = goal_for(teacher)
    item = evidence(teacher)
    response = client.patch(f"{URL}/{goal.id}", json={"status": "in_progress", "evidence": [item.id]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "in_progress" and response.get_json()["evidence"] == [item.id]
    assert response.get_json()["actions"] == "Run weekly data meetings."  # keys not sent are unchanged


def test_patch_refuses_another_educators_evidence_and_changes_nothing(client, headers, teacher, make_user):
    goal = goal_for(teacher)
    theirs = evidence(make_user("other@northfield.example.org"), "Their work")
    response = client.patch(f"{URL}/{goal.id}", json={"status": "achieved", "evidence": [theirs.id]}, headers=headers)
    payload = assert_json_error(response, 400)
    assert str(theirs.id) in payload["errors"]["evidence"][0]
    after = client.get(f"{URL}/{goal.id}").get_json()
    assert after["status"] == "not_started" and after["evidence"] == []


def test_patch_refuses_unknown_status_and_a_new_past_date(client, headers, teacher):
    goal = goal_for(teacher)
    payload = assert_json_error(client.patch(f"{URL}/{goal.id}", json={"status": "done"}, headers=headers), 400)
    assert "in_progress" in payload["errors"]["status"][0]
    payload = assert_json_error(
        client.patch(f"{URL}/{goal.id}", json={"target_date": YESTERDAY.isoformat()}, headers=headers), 400
    )
    assert "target_date" in payload["errors"]
    assert client.get(f"{URL}/{goal.id}").get_json()["target_date"] == SOON.isoformat()


def test_delete_removes_the_goal(client, headers, teacher):
    goal = goal_for(teacher)
    response = client.delete(f"{URL}/{goal.id}", headers=headers)
    assert response.status_code == 204
    assert goal_count() == 0
    assert_json_error(client.get(f"{URL}/{goal.id}"), 404)


def test_another_educators_goal_is_404_and_unchanged(client, auth, teacher, make_user):
    goal = goal_for(teacher)
    other = make_user("other@northfield.example.org")
    assert auth.login(other.email, USER_PASSWORD).status_code == 302
    headers = api_headers(client)
    assert client.get(URL).get_json() == []
    assert_json_error(client.get(f"{URL}/{goal.id}"), 404)
    assert_json_error(client.patch(f"{URL}/{goal.id}", json={"status": "achieved"}, headers=headers), 404)
    assert_json_error(client.delete(f"{URL}/{goal.id}", headers=headers), 404)
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).status is GoalStatus.NOT_STARTED


@pytest.mark.parametrize(
    "method,path", [("GET", URL), ("POST", URL), ("GET", f"{URL}/1"), ("PATCH", f"{URL}/1"), ("DELETE", f"{URL}/1")]
)
def test_anonymous_is_401(client, app, method, path):
    # A token from the sign-in page gets past the CSRF check, so the answer is about signing in.
    headers = {"X-CSRFToken": csrf_token_from(client.get("/login").get_data(as_text=True))}
    response = client.open(path, method=method, json=body() if method in ("POST", "PATCH") else None, headers=headers)
    assert_json_error(response, 401)
    assert goal_count() == 0


def test_a_person_without_the_educator_role_is_403(client, auth, make_user):
    leader = make_user("leader@northfield.example.org", roles=("district_leader",))
    assert auth.login(leader.email, USER_PASSWORD).status_code == 302
    assert_json_error(client.get(URL), 403)
    assert_json_error(client.post(URL, json=body(), headers=api_headers(client)), 403)
    assert goal_count() == 0


def test_goals_are_in_the_openapi_document(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"get", "post"} <= set(spec["paths"][URL])
    assert {"get", "patch", "delete"} <= set(spec["paths"][URL + "/{goal_id}"])
    schemas = spec["components"]["schemas"]
    assert {"GoalCreate", "GoalUpdate", "Goal"} <= set(schemas)
    assert schemas["GoalUpdate"]["properties"]["status"]["enum"] == [s.value for s in GoalStatus]


def test_ids_beyond_the_integer_range_are_404_and_not_in_your_portfolio(client, headers):
    assert_json_error(client.get(f"{URL}/99999999999999999999"), 404)
    payload = assert_json_error(client.post(URL, json=body(evidence=[2**40]), headers=headers), 400)
    assert str(2**40) in payload["errors"]["evidence"][0]
    assert goal_count() == 0


def test_an_educator_without_a_professional_role_is_told_why(client, auth, make_user):
    loner = make_user("loner@northfield.example.org", professional_role=None)
    assert auth.login(loner.email, USER_PASSWORD).status_code == 302
    payload = assert_json_error(client.post(URL, json=body(), headers=api_headers(client)), 400)
    assert "professional role" in payload["message"] + str(payload.get("errors"))
    assert goal_count() == 0
