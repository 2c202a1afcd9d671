"""The admin's people API: the staff list with cursor pages, adding and changing people, the roster
with and without a dry run; every refusal leaves the database as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.models import AuditEvent, District, SystemRole, User
from tests.conftest import USER_PASSWORD, api_headers

API = "/api/v1/admin"
HEADER = "email,name,school,professional_role,system_roles\n"


@pytest.fixture
def signed_in(client, auth, admin):
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    return api_headers(client)


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(User.id)))


def audited(prefix: str) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith(prefix))))


def test_staff_list_filters_and_cursor_pages(client, signed_in, make_user, framework):
    for i in range(5):
        make_user(f"p{i}@northfield.example.org", name=f"Pat {i}")
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    make_user("pat@southfield.example.org", name="Pat South", in_district=other)
    first = client.get(f"{API}/people?q=pat&limit=3").get_json()
    assert [p["name"] for p in first["people"]] == ["Pat 0", "Pat 1", "Pat 2"]
    assert first["matches"] == 5 and first["more"] is False
    assert first["people"][0]["state"] == "active" and first["people"][0]["system_roles"] == ["educator"]
    second = client.get(f"{API}/people?q=pat&limit=3&cursor={first['next_cursor']}").get_json()
    assert [p["name"] for p in second["people"]] == ["Pat 3", "Pat 4"] and second["next_cursor"] is None
    assert client.get(f"{API}/people?system_role=admin").get_json()["people"][0]["name"] == "Ada Admin"
    assert client.get(f"{API}/people?state=nope").status_code == 422
    assert client.get(f"{API}/people?role=wizard").status_code == 400


def test_add_and_change_a_person(client, signed_in, district):
    school = district.schools[0]
    body = {"email": "Dana@Northfield.example.org", "name": "Dana", "school": school.id, "professional_role": "teacher"}
    made = client.post(f"{API}/people", json=body, headers=signed_in)
    assert made.status_code == 201
    dana = made.get_json()
    assert (dana["email"], dana["school"]["id"], dana["system_roles"], dana["state"]) == (
        "dana@northfield.example.org",
        school.id,
        ["educator"],
        "not_invited",
    )
    patch = {"system_roles": ["educator", "validator"], "school": None}
    changed = client.patch(f"{API}/people/{dana['id']}", json=patch, headers=signed_in)
    assert changed.status_code == 200
    assert changed.get_json()["system_roles"] == ["educator", "validator"] and changed.get_json()["school"] is None
    assert changed.get_json()["name"] == "Dana"  # not sent: kept
    assert audited("account.") == ["account.created", "account.updated", "account.roles_changed"]
    assert client.get(f"{API}/people/{dana['id']}").get_json()["name"] == "Dana"


def test_bad_people_are_refused_by_field(client, signed_in, admin):
    before = user_count()
    answer = client.post(f"{API}/people", json={"email": admin.email, "name": " "}, headers=signed_in)
    assert answer.status_code == 400 and set(answer.get_json()["errors"]) == {"email", "name"}
    answer = client.post(f"{API}/people", json={"email": "a@b.org", "name": "A", "school": 999999}, headers=signed_in)
    assert answer.status_code == 400 and "school" in answer.get_json()["errors"]
    assert client.post(f"{API}/people", json={"name": "A"}, headers=signed_in).status_code == 422
    own = client.patch(f"{API}/people/{admin.id}", json={"system_roles": ["educator"]}, headers=signed_in)
    assert own.status_code == 400 and "own admin role" in own.get_json()["errors"]["system_roles"][0]
    assert user_count() == before and audited("account.") == []


def test_another_districts_person_is_404(client, signed_in, make_user, framework):
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    sam = make_user("sam@southfield.example.org", in_district=other)
    assert client.get(f"{API}/people/{sam.id}").status_code == 404
    assert client.patch(f"{API}/people/{sam.id}", json={"name": "X"}, headers=signed_in).status_code == 404
    assert client.get(f"{API}/people?cursor={sam.id}").status_code == 400


def test_roster_dry_run_then_import(client, signed_in):
    roster = HEADER + "dana@northfield.example.org,Dana,north,teacher,educator;validator\n"
    before = user_count()
    dry = client.post(f"{API}/roster", json={"csv": roster, "dry_run": True}, headers=signed_in)
    assert dry.status_code == 200
    assert dry.get_json() == {
        "applied": False,
        "problems": [],
        "to_create": [{"line": 2, "email": "dana@northfield.example.org", "name": "Dana", "changes": []}],
        "to_update": [],
        "unchanged": 0,
    }
    assert user_count() == before
    done = client.post(f"{API}/roster", json={"csv": roster}, headers=signed_in)
    assert done.status_code == 200 and done.get_json()["applied"] is True
    assert user_count() == before + 1 and audited("roster.") == ["roster.imported"]
    dana = db.session.scalar(select(User).where(User.email == "dana@northfield.example.org"))
    assert dana.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}


def test_roster_problems_by_line(client, signed_in):
    roster = HEADER + "ok@northfield.example.org,Ok,,teacher,\nbad,Bad,,teacher,\n"
    before = user_count()
    dry = client.post(f"{API}/roster", json={"csv": roster, "dry_run": True}, headers=signed_in).get_json()
    assert dry["problems"] == [{"line": 3, "message": "email 'bad' is not an email address"}]
    refused = client.post(f"{API}/roster", json={"csv": roster}, headers=signed_in)
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == {"csv": ["line 3: email 'bad' is not an email address"]}
    wrong = client.post(f"{API}/roster", json={"csv": "a,b\n1,2\n", "dry_run": True}, headers=signed_in)
    assert wrong.status_code == 400 and "csv" in wrong.get_json()["errors"]
    assert user_count() == before


def test_the_audit_api_filters_by_person_and_days(client, signed_in, admin, make_user, district):
    from datetime import datetime

    from badges import audit

    terry = make_user("terry@northfield.example.org")
    old = audit.record(district, terry, "claim.submitted", terry, "Old event.")
    old.occurred_at = datetime(2026, 1, 5, 9, 30)
    audit.record(district, admin, "account.updated", terry, "Recent event.")
    db.session.commit()
    by_terry = client.get(f"{API}/audit?actor={terry.id}").get_json()
    assert [e["summary"] for e in by_terry["events"]] == ["Old event."]
    january = client.get(f"{API}/audit?from=2026-01-01&to=2026-01-31").get_json()
    assert [e["summary"] for e in january["events"]] == ["Old event."]
    assert "Old event." not in client.get(f"{API}/audit.csv?actor={admin.id}").get_data(as_text=True)
    assert client.get(f"{API}/audit?from=2026-02-01&to=2026-01-01").status_code == 400
    assert client.get(f"{API}/audit?actor=999999").status_code == 400
    assert client.get(f"{API}/audit?from=nope").status_code == 422
