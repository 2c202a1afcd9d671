"""The framework audit stream, page and API: the admins of every district using a framework read it,
newest first with the itemised changes; anyone else gets 404 (or is refused by role); links to it."""

from __future__ import annotations

from html import unescape

import pytest

from badges.catalogue.policy_changes import change_policy
from badges.extensions import db
from badges.models import District
from tests.conftest import USER_PASSWORD
from tests.framework_setup import publish_version_2

CBE = "cbe-educator-competencies"


@pytest.fixture
def v2(admin):
    return publish_version_2(admin)


@pytest.fixture
def stranger(make_user, framework):
    """An admin of another district that uses the shared framework (not Northfield's version 2)."""
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    return make_user("admin@south.example.org", roles=("admin",), professional_role=None, in_district=other)


def sign_in(auth, user) -> None:
    assert auth.login(user.email, USER_PASSWORD).status_code == 302


def test_the_page_lists_the_stream_newest_first_with_the_changes(client, auth, admin, v2):
    change_policy(admin, v2, validity_months=24)
    db.session.commit()
    sign_in(auth, admin)
    response = client.get(f"/frameworks/{v2.slug}/events")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    published, policy, started = (
        html.index("Version 2 published"),
        html.index("Badge policy of version 2 changed"),
        html.index("framework.draft_started"),
    )
    assert policy < published < started  # newest first
    text = unescape(html)
    assert v2.change_summary and all(sentence in text for sentence in v2.change_summary)  # itemised
    assert "validity months: none (awards do not expire) -> 24 (awards valid for 24 months)" in text
    assert "Ada Admin" in html


def test_the_api_gives_the_same_events(client, auth, admin, v2):
    sign_in(auth, admin)
    response = client.get(f"/api/v1/frameworks/{v2.slug}/events")
    assert response.status_code == 200
    events = response.get_json()
    assert [e["action"] for e in events] == ["framework.published", "framework.draft_started"]
    assert events[0]["details"] == v2.change_summary
    assert events[0]["framework_version"] == "2" and events[0]["occurred_at"].startswith("20")
    assert set(events[0]) == {
        "id", "occurred_at", "framework_slug", "framework_version", "actor", "action", "summary", "details"
    }  # fmt: skip


def test_another_districts_admin_gets_404_until_their_district_uses_it(client, auth, v2, stranger):
    sign_in(auth, stranger)
    assert client.get(f"/frameworks/{v2.slug}/events").status_code == 404
    assert client.get(f"/api/v1/frameworks/{v2.slug}/events").status_code == 404
    assert client.get(f"/frameworks/{CBE}/events").status_code == 200  # the shared one they use


def test_no_one_but_admins(client, auth, teacher, v2):
    assert client.get(f"/frameworks/{v2.slug}/events").status_code == 302
    assert client.get(f"/api/v1/frameworks/{v2.slug}/events").status_code == 401
    sign_in(auth, teacher)
    assert client.get(f"/frameworks/{v2.slug}/events").status_code == 403
    assert client.get(f"/api/v1/frameworks/{v2.slug}/events").status_code == 403


def test_an_empty_stream_says_so(client, auth, admin, framework):
    sign_in(auth, admin)
    html = client.get(f"/frameworks/{CBE}/events").get_data(as_text=True)
    assert "Nothing has been recorded for this framework yet." in html


def test_linked_from_the_framework_page_and_the_audit_log_for_admins_only(client, auth, admin, teacher, v2):
    link = f'href="/frameworks/{v2.slug}/events"'
    sign_in(auth, admin)
    assert link in client.get(f"/frameworks/{v2.slug}/2").get_data(as_text=True)
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert link in audit and f'href="/frameworks/{CBE}/events"' in audit
    auth.logout()
    sign_in(auth, teacher)
    assert "/events" not in client.get(f"/frameworks/{v2.slug}/2").get_data(as_text=True)
