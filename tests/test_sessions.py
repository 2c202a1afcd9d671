"""Sessions end when they should: a copied session cookie is refused after the person signs out, gets a new
password, is deactivated, or is signed out everywhere by an admin (page, API or command line)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from badges.extensions import db
from badges.models import AuditEvent, District, User
from badges.people import operations
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from

NEW_PASSWORD = "a brand new password 2026"


def sign_in(app, email: str, password: str = USER_PASSWORD):
    client = app.test_client()
    assert Browserless(client).login(email, password).status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding a copy of the client's session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def assert_signed_in(client) -> None:
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/home/educator").status_code == 200


def assert_refused(client) -> None:
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/home/educator")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_a_copied_cookie_works_until_an_event_ends_it(app, teacher):
    thief = copy_of(app, sign_in(app, teacher.email))
    assert_signed_in(thief)  # the replay is real: without an event it would go on working


def test_logout_ends_a_copied_cookie_and_every_other_session(app, teacher):
    laptop = sign_in(app, teacher.email)
    phone = sign_in(app, teacher.email)
    thief = copy_of(app, laptop)
    assert Browserless(laptop).logout().status_code == 302
    assert_refused(thief)
    assert_refused(phone)  # signing out signs out everywhere
    assert_refused(laptop)
    assert_signed_in(sign_in(app, teacher.email))  # and signing in again works


def test_a_new_password_from_the_command_line_ends_every_session(app, teacher, runner, monkeypatch):
    thief = copy_of(app, sign_in(app, teacher.email))
    monkeypatch.setenv("BADGES_NEW_PASSWORD", NEW_PASSWORD)
    result = runner.invoke(args=["user", "set-password", teacher.email])
    assert result.exit_code == 0, result.output
    assert "every session they had is ended" in result.output
    assert_refused(thief)
    assert Browserless(app.test_client()).login(teacher.email, USER_PASSWORD).status_code == 401
    assert_signed_in(sign_in(app, teacher.email, NEW_PASSWORD))


def test_every_caller_of_set_password_ends_sessions(app, teacher):
    thief = copy_of(app, sign_in(app, teacher.email))
    operations.set_password(db.session.get(User, teacher.id), NEW_PASSWORD)
    db.session.commit()
    assert_refused(thief)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.password_set"))
    assert event is not None and event.subject_id == teacher.id and event.actor_label == "command line"


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(app, teacher, runner):
    thief = copy_of(app, sign_in(app, teacher.email))
    result = runner.invoke(args=["user", "deactivate", teacher.email])
    assert result.exit_code == 0, result.output
    assert_refused(thief)
    assert Browserless(app.test_client()).login(teacher.email, USER_PASSWORD).status_code == 401
    again = runner.invoke(args=["user", "deactivate", teacher.email])
    assert again.exit_code != 0 and "already deactivated" in again.output
    assert runner.invoke(args=["user", "reactivate", teacher.email]).exit_code == 0
    assert_refused(thief)  # the old cookie stays dead
    assert_signed_in(sign_in(app, teacher.email))


def test_an_admin_signs_a_person_out_everywhere_from_the_staff_list(app, teacher, admin):
    thief = copy_of(app, sign_in(app, teacher.email))
    admin_client = sign_in(app, admin.email)
    page = admin_client.get("/home/admin")
    html = page.get_data(as_text=True)
    action = f"/admin/people/{teacher.id}/sign-out-everywhere"
    assert f'action="{action}"' in html
    response = admin_client.post(action, data={"csrf_token": csrf_token_from(html)})
    assert response.status_code == 302 and response.headers["Location"] == "/home/admin#staff"
    assert "Signed Terry Teacher out everywhere" in admin_client.get("/home/admin").get_data(as_text=True)
    assert_refused(thief)
    assert admin_client.get("/api/v1/me").status_code == 200  # the admin's own session goes on
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.signed_out_everywhere"))
    assert event.subject_id == teacher.id and event.actor_id == admin.id


def test_the_page_action_needs_the_forms_token(app, teacher, admin):
    thief = copy_of(app, sign_in(app, teacher.email))
    admin_client = sign_in(app, admin.email)
    assert admin_client.post(f"/admin/people/{teacher.id}/sign-out-everywhere").status_code == 400
    assert_signed_in(thief)


def test_an_admin_signs_a_person_out_everywhere_through_the_api(app, teacher, admin):
    thief = copy_of(app, sign_in(app, teacher.email))
    admin_client = sign_in(app, admin.email)
    response = admin_client.post(
        f"/api/v1/admin/people/{teacher.id}/sign-out-everywhere", headers=api_headers(admin_client)
    )
    assert response.status_code == 204
    assert_refused(thief)


def test_sign_out_everywhere_from_the_command_line(app, teacher, runner):
    thief = copy_of(app, sign_in(app, teacher.email))
    result = runner.invoke(args=["user", "sign-out-everywhere", teacher.email])
    assert result.exit_code == 0 and "signed out everywhere" in result.output
    assert_refused(thief)
    unknown = runner.invoke(args=["user", "sign-out-everywhere", "nobody@northfield.example.org"])
    assert unknown.exit_code != 0 and "no user with email" in unknown.output


def test_another_districts_admin_cannot_sign_anyone_out(app, teacher, make_user, framework):
    elsewhere = District(slug="southfield", name="Southfield District", framework=framework)
    db.session.add(elsewhere)
    db.session.commit()
    stranger = make_user("admin@southfield.example.org", roles=("admin",), in_district=elsewhere)
    thief = copy_of(app, sign_in(app, teacher.email))
    other_admin = sign_in(app, stranger.email)
    html = other_admin.get("/home/admin").get_data(as_text=True)
    page = other_admin.post(
        f"/admin/people/{teacher.id}/sign-out-everywhere", data={"csrf_token": csrf_token_from(html)}
    )
    assert page.status_code == 404
    api = other_admin.post(f"/api/v1/admin/people/{teacher.id}/sign-out-everywhere", headers=api_headers(other_admin))
    assert api.status_code == 404
    assert_signed_in(thief)
    with pytest.raises(PermissionError):  # the domain's own check, for any future caller
        operations.sign_out_everywhere(db.session.get(User, teacher.id), actor=db.session.get(User, stranger.id))


@pytest.mark.parametrize(
    "session_id",
    [
        "{id}",  # a session from before session versions: refused once, then sign in again
        "{id}:",
        "{id}:01",  # compared as text: no leading zeros, no spaces
        "{id}: 0",
        "{id}:0:0",
        "\u00b9:0",  # a superscript one: str.isdigit() accepts it, int() refuses it
        "9" * 400 + ":0",
        "99999999999:0",  # beyond the id range
        ":0",
    ],
)
def test_malformed_or_old_session_ids_are_refused(app, teacher, session_id):
    client = sign_in(app, teacher.email)
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{teacher.id}:{teacher.session_version}"
        session["_user_id"] = session_id.format(id=teacher.id)
    assert_refused(client)


def test_no_remember_me_cookie_outlives_the_session(app, teacher):
    client = app.test_client()
    response = Browserless(client).login(teacher.email, USER_PASSWORD)
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
