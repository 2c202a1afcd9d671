"""The district admin's pages and API: validator scopes, conflicts of interest, the audit log.

Through HTTP with a real sign-in. Every refusal is checked for its status and for leaving the
database as it was; another district's people and records answer 404.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from badges import audit
from badges.extensions import db
from badges.models import AuditEvent, Conflict, District, School
from badges.people.scope import scope_of
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from

API = "/api/v1/admin"


@pytest.fixture
def validator(make_user):
    return make_user("vera@northfield.example.org", roles=("validator",), name="Vera Validator")


@pytest.fixture
def south(app, framework, make_user):
    """A second district with its own school, admin and validator."""
    district = District(slug="southfield", name="Southfield District", framework=framework)
    district.schools.append(School(slug="south", name="South School"))
    db.session.add(district)
    db.session.commit()
    return {
        "district": district,
        "school": district.schools[0],
        "admin": make_user("admin@southfield.example.org", roles=("admin",), in_district=district),
        "validator": make_user("val@southfield.example.org", roles=("validator",), in_district=district),
    }


@pytest.fixture
def signed_in(auth, admin):
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    return admin


def token(client, path="/admin/conflicts") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def events(action_prefix: str = "") -> list[AuditEvent]:
    db.session.rollback()  # see what the requests committed
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith(action_prefix)).order_by(AuditEvent.id)
        )
    )


def conflicts() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Conflict))


def save_scope(client, validator, **fields):
    data = {
        "domains": ["delivery-operations"],
        "roles": ["teacher"],
        "schools": [],
        "reason": "",
        "csrf_token": token(client, f"/admin/validators/{validator.id}/scope"),
    }
    data.update(fields)
    return client.post(f"/admin/validators/{validator.id}/scope", data=data)


# --- scopes ----------------------------------------------------------------------------------


def test_scope_page_saves_and_the_audit_log_shows_why(client, signed_in, validator, district):
    page = client.get(f"/admin/validators/{validator.id}/scope").get_data(as_text=True)
    for label in (
        "Delivery and Operations",
        "Teacher",
        "North School",
        "Save scope",
        "Reason for the change",
        "Whole district (every school and the district office)",
    ):
        assert label in page
    school = district.schools[0]
    response = save_scope(client, validator, schools=[str(school.id)], reason="Covers North from January")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/validators")
    db.session.rollback()
    facts = scope_of(validator)
    assert facts.domain_codes == {"delivery-operations"} and facts.role_codes == {"teacher"}
    assert facts.school_ids == {school.id} and not facts.whole_district
    listing = client.get("/admin/validators").get_data(as_text=True)
    assert "Vera Validator" in listing and "Delivery and Operations" in listing and "North School" in listing
    assert "Edit scope" in listing
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "scope.changed" in log and "Covers North from January" in log
    [event] = events("scope.changed")
    assert event.reason == "Covers North from January" and event.actor_id == signed_in.id


def test_whole_district_scope_through_the_api(client, signed_in, validator):
    url = f"{API}/validators/{validator.id}/scope"
    body = {
        "domains": ["delivery-operations"],
        "roles": ["teacher", "school-leader"],
        "schools": [],
        "whole_district": True,
        "reason": "District-wide reviewer",
    }
    response = client.put(url, json=body, headers=api_headers(client))
    assert response.status_code == 200, response.get_json()
    expected = {
        "domains": ["delivery-operations"],
        "roles": ["school-leader", "teacher"],
        "schools": [],
        "whole_district": True,
    }
    assert response.get_json() == expected and client.get(url).get_json() == expected
    [row] = client.get(f"{API}/validators").get_json()
    assert row == {
        "id": validator.id,
        "name": "Vera Validator",
        "email": validator.email,
        "school": None,
        "scope": expected,
    }
    assert events("scope.changed")[0].reason == "District-wide reviewer"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"domains": ["no-such-domain"]}, "domains"),
        ({"roles": ["astronaut"]}, "roles"),
        ("south-school", "schools"),
    ],
)
def test_bad_scope_input_is_400_and_changes_nothing(client, signed_in, validator, south, change, field):
    if change == "south-school":
        change = {"schools": [south["school"].id]}
    page = save_scope(client, validator, **{k: [str(v) for v in vs] for k, vs in change.items()})
    assert page.status_code == 400 and 'class="field-errors"' in page.get_data(as_text=True)
    body = {"domains": [], "roles": [], "schools": [], "whole_district": False, **change}
    api = client.put(f"{API}/validators/{validator.id}/scope", json=body, headers=api_headers(client))
    assert api.status_code == 400 and field in api.get_json()["errors"]
    db.session.rollback()
    assert scope_of(validator).domain_codes == frozenset() and events() == []


def test_scope_of_a_non_validator(client, signed_in, teacher):
    assert client.get(f"/admin/validators/{teacher.id}/scope").status_code == 404
    assert client.get(f"{API}/validators/{teacher.id}/scope").status_code == 404
    page = save_scope(client, teacher, csrf_token=token(client))
    assert page.status_code == 400 and "does not have the validator role" in page.get_data(as_text=True)
    api = client.put(
        f"{API}/validators/{teacher.id}/scope",
        headers=api_headers(client),
        json={"domains": [], "roles": [], "schools": [], "whole_district": True},
    )
    assert api.status_code == 400 and "validator" in api.get_json()["errors"]
    assert client.get(f"/admin/validators/{2**40}/scope").status_code == 404
    assert events() == []


def test_scope_api_checks_types(client, signed_in, validator):
    response = client.put(
        f"{API}/validators/{validator.id}/scope",
        headers=api_headers(client),
        json={"domains": "delivery-operations", "roles": [], "schools": ["x"], "whole_district": "maybe", "reason": 5},
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"domains", "schools", "whole_district", "reason"}
    nul = client.put(
        f"{API}/validators/{validator.id}/scope",
        headers=api_headers(client),
        json={"domains": [], "roles": [], "schools": [], "whole_district": True, "reason": "a\x00b"},
    )
    assert nul.status_code == 400 and "reason" in nul.get_json()["errors"]  # refused by the request guard


# --- conflicts -------------------------------------------------------------------------------


def test_conflict_recorded_refused_twice_and_removed_through_the_pages(client, signed_in, validator, teacher):
    form = client.get("/admin/conflicts").get_data(as_text=True)
    assert "Record conflict" in form and "Vera Validator" in form and "Terry Teacher" in form
    data = {
        "validator": str(validator.id),
        "educator": str(teacher.id),
        "reason": "Spouse",
        "csrf_token": csrf_token_from(form),
    }
    assert client.post("/admin/conflicts", data=data).status_code == 302
    listing = client.get("/admin/conflicts").get_data(as_text=True)
    assert "Spouse" in listing and "Remove" in listing
    again = client.post("/admin/conflicts", data=data)
    assert again.status_code == 400 and "already recorded" in again.get_data(as_text=True)
    no_reason = client.post("/admin/conflicts", data={**data, "reason": " "})
    assert no_reason.status_code == 400 and "Say what the conflict is" in no_reason.get_data(as_text=True)
    assert conflicts() == 1
    conflict_id = db.session.scalar(select(Conflict.id))
    removed = client.post(
        f"/admin/conflicts/{conflict_id}/remove", data={"csrf_token": data["csrf_token"], "reason": "Divorced"}
    )
    assert removed.status_code == 302 and conflicts() == 0
    assert [(e.action, e.reason) for e in events("conflict.")] == [
        ("conflict.recorded", "Spouse"),
        ("conflict.removed", "Divorced"),
    ]


def test_conflict_parties_must_be_a_validator_and_an_educator_of_the_district(
    client, signed_in, validator, teacher, south
):
    csrf = token(client)
    for bad in (
        {"validator": str(teacher.id)},
        {"validator": str(south["validator"].id)},
        {"educator": str(south["validator"].id)},
        {"validator": "x", "educator": ""},
    ):
        data = {
            "validator": str(validator.id),
            "educator": str(teacher.id),
            "reason": "Spouse",
            "csrf_token": csrf,
            **bad,
        }
        response = client.post("/admin/conflicts", data=data)
        assert response.status_code == 400 and "Choose a" in response.get_data(as_text=True)
    assert conflicts() == 0 and events() == []


def test_conflicts_through_the_api(client, signed_in, validator, teacher):
    headers = api_headers(client)
    body = {"validator": validator.id, "educator": teacher.id, "reason": "Direct report"}
    created = client.post(f"{API}/conflicts", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    conflict = created.get_json()
    assert conflict["validator"]["id"] == validator.id and conflict["educator"]["name"] == "Terry Teacher"
    assert client.get(f"{API}/conflicts").get_json() == [conflict]
    duplicate = client.post(f"{API}/conflicts", json=body, headers=headers)
    assert duplicate.status_code == 400 and "already recorded" in duplicate.get_json()["errors"]["educator"][0]
    assert client.post(f"{API}/conflicts", json={**body, "educator": "x"}, headers=headers).status_code == 422
    assert client.post(f"{API}/conflicts", json={**body, "validator": 2**40}, headers=headers).status_code == 400
    assert client.post(f"{API}/conflicts", json=body).status_code == 400  # no CSRF header
    assert client.delete(f"{API}/conflicts/{conflict['id']}?reason=Moved", headers=headers).status_code == 204
    assert client.delete(f"{API}/conflicts/{conflict['id']}", headers=headers).status_code == 404
    assert conflicts() == 0 and events("conflict.removed")[0].reason == "Moved"


# --- districts stay apart --------------------------------------------------------------------


def test_another_districts_admin_gets_404_on_our_validator_and_conflict(client, auth, validator, teacher, admin, south):
    from badges.people.scope import record_conflict

    conflict_id = record_conflict(admin, validator, teacher, "Spouse").id
    db.session.commit()
    assert auth.login(south["admin"].email, USER_PASSWORD).status_code == 302
    csrf = token(client)
    assert client.get(f"/admin/validators/{validator.id}/scope").status_code == 404
    assert (
        client.post(
            f"/admin/validators/{validator.id}/scope", data={"csrf_token": csrf, "roles": ["teacher"]}
        ).status_code
        == 404
    )
    assert client.post(f"/admin/conflicts/{conflict_id}/remove", data={"csrf_token": csrf}).status_code == 404
    headers = api_headers(client)
    assert client.get(f"{API}/validators/{validator.id}/scope").status_code == 404
    assert (
        client.put(
            f"{API}/validators/{validator.id}/scope",
            headers=headers,
            json={"domains": [], "roles": [], "schools": [], "whole_district": True},
        ).status_code
        == 404
    )
    assert client.delete(f"{API}/conflicts/{conflict_id}", headers=headers).status_code == 404
    assert "Vera Validator" not in client.get("/admin/validators").get_data(as_text=True)
    assert [v["id"] for v in client.get(f"{API}/validators").get_json()] == [south["validator"].id]
    assert client.get(f"{API}/conflicts").get_json() == []
    assert client.get(f"{API}/audit").get_json()["total"] == 0
    assert "Spouse" not in client.get("/admin/audit.csv").get_data(as_text=True)
    assert conflicts() == 1 and len(events()) == 1


@pytest.mark.parametrize("role", ["educator", "validator", "district_leader"])
def test_only_admins(client, auth, make_user, role):
    user = make_user(f"{role}@northfield.example.org", roles=(role,))
    assert auth.login(user.email, USER_PASSWORD).status_code == 302
    for path in (
        "/admin/validators",
        "/admin/conflicts",
        "/admin/audit",
        "/admin/audit.csv",
        f"{API}/validators",
        f"{API}/conflicts",
        f"{API}/audit",
        f"{API}/audit.csv",
    ):
        assert client.get(path).status_code == 403, path


# --- the audit log ---------------------------------------------------------------------------


def test_audit_page_is_newest_first_filtered_and_paged(client, signed_in, district):
    for n in range(55):
        audit.record(district, signed_in, "claim.submitted" if n % 2 else "scope.changed", signed_in, f"Event {n}.")
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.index("Event 54.") < page.index("Event 53.") and "Event 4." not in page
    assert "Older events" in page and "Download CSV" in page
    assert "Event 4." in client.get("/admin/audit?page=2").get_data(as_text=True)
    claims = client.get("/admin/audit?action=claim.").get_data(as_text=True)
    assert "Event 53." in claims and "Event 54." not in claims
    assert client.get("/admin/audit?action=<script>").status_code == 400
    api = client.get(f"{API}/audit?page=2").get_json()
    assert (api["page"], api["pages"], api["total"]) == (2, 2, 55)
    assert [e["summary"] for e in api["events"]] == [f"Event {n}." for n in range(4, -1, -1)]
    filtered = client.get(f"{API}/audit?action=claim.").get_json()
    assert filtered["total"] == 27 and {e["action"] for e in filtered["events"]} == {"claim.submitted"}
    assert client.get(f"{API}/audit?action=%00").status_code == 400  # the request guard: NUL in a query
    assert client.get(f"{API}/audit?page=0").status_code == 422


@pytest.mark.parametrize("path", ["/admin/audit.csv", f"{API}/audit.csv"])
def test_csv_export(client, signed_in, validator, path):
    assert save_scope(client, validator, reason='=HYPERLINK("http://evil")').status_code == 302
    assert save_scope(client, validator, reason="+plain").status_code == 302
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit-northfield.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == audit.CSV_COLUMNS
    assert len(rows) == 1 + len(events())
    assert [row[7] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")', "'+plain"]
    assert len(list(csv.reader(io.StringIO(client.get(path + "?action=claim.").get_data(as_text=True))))) == 1


def test_audit_log_is_append_only_in_the_database(signed_in, district, is_postgres):
    audit.record(district, signed_in, "scope.changed", signed_in, "Something happened.")
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(update(AuditEvent).values(summary="x"))
        db.session.flush()
    db.session.rollback()
    if is_postgres:
        with pytest.raises(DatabaseError):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
    assert [e.summary for e in events()] == ["Something happened."]
