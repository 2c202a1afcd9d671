"""Accounts through the pages and the API: "Forgot your password?", the reset and invitation links,
changing your own password, and an admin's invite, reset, deactivate and reactivate."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from badges.extensions import db
from badges.models import AuditEvent, District, User
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from
from tests.test_accounts import NEW_PASSWORD

LINK_RE = re.compile(r"(https?://\S+?)(/(?:invitation|reset-password)/\S+)")
FORGOT_WORDS = "If an account uses that address, we have sent it a link to choose a new password."


def sign_in(app, email: str, password: str = USER_PASSWORD):
    client = app.test_client()
    assert Browserless(client).login(email, password).status_code == 302
    return client


def signed_in(client) -> bool:
    return client.get("/api/v1/me").status_code == 200


def link_in(mail) -> str:
    """The path of the link a mail names (the test client has no host)."""
    match = LINK_RE.search(mail.body)
    assert match, mail.body
    return match.group(2)


def post_form(client, page: str, data: dict, action: str | None = None, **kwargs):
    token = csrf_token_from(client.get(page, **kwargs).get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token}, **kwargs)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- forgot your password ----------------------------------------------------------------------


def test_the_sign_in_page_links_to_forgot_password(client, app):
    html = text_of(client.get("/login"))
    assert 'href="/forgot-password"' in html and "Forgot your password?" in html


def test_forgot_password_answers_the_same_whoever_asks(app, client, teacher, newcomer, admin, outbox):
    db.session.get(User, newcomer.id).active = False
    db.session.commit()
    answers = [
        post_form(client, "/forgot-password", {"email": address})
        for address in (teacher.email, "nobody@northfield.example.org", newcomer.email)
    ]
    assert {a.status_code for a in answers} == {200}
    bodies = {re.sub(r'value="[^"]+"', "", text_of(a)) for a in answers}  # the form's fresh CSRF token aside
    assert len(bodies) == 1 and FORGOT_WORDS in bodies.pop()
    assert [m.to for m in outbox] == [teacher.email]


def test_a_reset_link_names_the_public_address_whatever_the_host_header(app, client, teacher, outbox):
    app.config["BADGES_PUBLIC_URL"] = "https://badges.example.org"
    post_form(client, "/forgot-password", {"email": teacher.email}, headers={"Host": "evil.example"})
    (mail,) = outbox
    assert LINK_RE.search(mail.body).group(1) == "https://badges.example.org"


def test_forgot_password_needs_an_address(client, app):
    response = post_form(client, "/forgot-password", {"email": "not an address"})
    assert response.status_code == 400 and "Invalid email address" in text_of(response)


def test_forgot_password_is_throttled_per_address_typed(app, client, teacher, outbox):
    for _ in range(3):
        assert post_form(client, "/forgot-password", {"email": teacher.email}).status_code == 200
    limited = post_form(client, "/forgot-password", {"email": teacher.email})
    assert limited.status_code == 429 and "Too many reset links asked for this address." in text_of(limited)
    assert int(limited.headers["Retry-After"]) > 0
    assert len(outbox) == 3
    other = post_form(client, "/forgot-password", {"email": "someone@northfield.example.org"})
    assert other.status_code == 200


# --- the links ---------------------------------------------------------------------------------


def reset_link(client, teacher, outbox) -> str:
    post_form(client, "/forgot-password", {"email": teacher.email})
    return link_in(outbox[-1])


def test_a_reset_link_sets_the_password_and_signs_in(app, client, teacher, outbox):
    laptop = sign_in(app, teacher.email)
    link = reset_link(client, teacher, outbox)
    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"
    mismatch = post_form(client, link, {"new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD + "!"})
    assert mismatch.status_code == 400 and "The two passwords are not the same." in text_of(mismatch)
    common = post_form(client, link, {"new_password": "qwerty123456", "repeat": "qwerty123456"})
    assert common.status_code == 400 and "one of the most common passwords" in text_of(common)
    done = post_form(client, link, {"new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/home/educator"
    assert signed_in(client) and "you are signed in" in text_of(client.get("/home/educator"))
    assert not signed_in(laptop)  # the new password ended every older session
    assert Browserless(app.test_client()).login(teacher.email, USER_PASSWORD).status_code == 401
    again = client.get(link)
    assert again.status_code == 400 and "This link has been used" in text_of(again)
    db.session.expire_all()  # the requests wrote through their own sessions
    assert db.session.get(User, teacher.id).last_sign_in_at is not None


@pytest.mark.parametrize("path", ["/reset-password/garbage", "/invitation/garbage", "/invitation/" + "x" * 3000])
def test_a_bad_link_gets_a_page_that_says_so(client, app, path):
    for response in (client.get(path), post_form(client, "/login", {"new_password": "x"}, action=path)):
        assert response.status_code == 400
        assert "This link does not work" in text_of(response) and "This link is not valid" in text_of(response)


def test_a_deactivated_persons_link_says_so(app, client, teacher, admin, outbox):
    link = reset_link(client, teacher, outbox)
    admin_client = sign_in(app, admin.email)
    post_form(admin_client, "/home/admin", {"confirmed": "yes"}, action=f"/admin/people/{teacher.id}/deactivate")
    page = client.get(link)
    assert page.status_code == 400 and "This account is deactivated" in text_of(page)


def test_an_admin_invites_from_the_staff_list_and_the_person_signs_in(app, client, newcomer, admin, outbox):
    admin_client = sign_in(app, admin.email)
    home = text_of(admin_client.get("/home/admin"))
    assert f'action="/admin/people/{newcomer.id}/invite"' in home and "Not invited yet." in home
    sent = post_form(admin_client, "/home/admin", {"next": "/home/admin"}, action=f"/admin/people/{newcomer.id}/invite")
    assert sent.status_code == 302 and sent.headers["Location"] == "/home/admin"
    home = text_of(admin_client.get("/home/admin"))
    assert "Sent an invitation to Nina Newcomer" in home and "Send invitation again" in home
    link = link_in(outbox[-1])
    assert link.startswith("/invitation/")
    page = client.get(link)
    assert "Choose your password" in text_of(page) and newcomer.email in text_of(page)
    done = post_form(client, link, {"new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and signed_in(client)
    assert "Welcome, Nina Newcomer" in text_of(client.get(done.headers["Location"]))
    assert [e.actor_id for e in events("account.invited")] == [admin.id]
    assert events("account.password_set")[-1].actor_id == newcomer.id
    assert "Last signed in" in text_of(admin_client.get("/home/admin"))


def test_an_invitation_to_someone_with_a_password_is_refused(app, teacher, admin, outbox):
    admin_client = sign_in(app, admin.email)
    refused = post_form(admin_client, "/home/admin", {}, action=f"/admin/people/{teacher.id}/invite")
    assert refused.status_code == 409 and "already has a password" in text_of(refused)
    assert outbox == [] and events("account.invited") == []


def test_an_admin_sends_a_reset_link(app, teacher, admin, outbox):
    admin_client = sign_in(app, admin.email)
    sent = post_form(admin_client, "/home/admin", {}, action=f"/admin/people/{teacher.id}/send-reset")
    assert sent.status_code == 302 and len(outbox) == 1 and outbox[0].to == teacher.email
    assert events("account.reset_sent")[0].actor_id == admin.id


@pytest.mark.parametrize(
    "given, back", [("/admin/audit", "/admin/audit"), ("https://evil.example/", "/home/admin"), ("", "/home/admin")]
)
def test_an_action_goes_back_only_to_a_local_page(app, teacher, admin, outbox, given, back):
    admin_client = sign_in(app, admin.email)
    sent = post_form(admin_client, "/home/admin", {"next": given}, action=f"/admin/people/{teacher.id}/send-reset")
    assert sent.headers["Location"] == back


# --- changing your own password ----------------------------------------------------------------


def test_changing_your_password_ends_your_other_sessions_and_keeps_this_one(app, teacher):
    phone = sign_in(app, teacher.email)
    laptop = sign_in(app, teacher.email)
    page = "/account/password"
    wrong = post_form(
        laptop, page, {"current_password": "not it", "new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and "The current password is not right." in text_of(wrong)
    short = post_form(laptop, page, {"current_password": USER_PASSWORD, "new_password": "short", "repeat": "short"})
    assert short.status_code == 400 and "at least 12 characters" in text_of(short)
    assert signed_in(phone)
    done = post_form(
        laptop, page, {"current_password": USER_PASSWORD, "new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert signed_in(laptop) and not signed_in(phone)
    assert "Every other session of yours has been signed out." in text_of(laptop.get(done.headers["Location"]))
    (event,) = events("account.password_set")
    assert event.actor_id == teacher.id and "by themselves" in event.summary


def test_the_change_password_page_needs_a_session(client, app):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# --- deactivation ------------------------------------------------------------------------------


def test_deactivation_asks_first_then_ends_the_open_session(app, teacher, admin):
    open_session = sign_in(app, teacher.email)
    admin_client = sign_in(app, admin.email)
    action = f"/admin/people/{teacher.id}/deactivate"
    asked = post_form(admin_client, "/home/admin", {"next": "/home/admin"}, action=action)
    assert asked.status_code == 200
    html = text_of(asked)
    assert "Deactivate Terry Teacher?" in html and "Their badges stay valid; their sessions end now." in html
    assert 'name="next" value="/home/admin"' in html and 'name="confirmed" value="yes"' in html
    assert signed_in(open_session)  # asking changed nothing
    done = post_form(admin_client, "/home/admin", {"next": "/home/admin", "confirmed": "yes"}, action=action)
    assert done.status_code == 302
    assert not signed_in(open_session)
    assert open_session.get("/home/educator").headers["Location"].startswith("/login")
    assert Browserless(app.test_client()).login(teacher.email, USER_PASSWORD).status_code == 401
    assert "Deactivated Terry Teacher" in text_of(admin_client.get("/home/admin"))
    assert events("account.deactivated")[0].actor_id == admin.id
    again = post_form(admin_client, "/home/admin", {"confirmed": "yes"}, action=action)
    assert again.status_code == 409 and "already deactivated" in text_of(again)
    back = post_form(admin_client, "/home/admin", {}, action=f"/admin/people/{teacher.id}/reactivate")
    assert back.status_code == 302 and events("account.reactivated")[0].actor_id == admin.id
    assert not signed_in(open_session)  # the old session stays ended
    assert signed_in(sign_in(app, teacher.email))


def test_an_admin_cannot_deactivate_themselves_from_the_page(app, admin):
    admin_client = sign_in(app, admin.email)
    assert f"/admin/people/{admin.id}/deactivate" not in text_of(admin_client.get("/home/admin"))
    refused = post_form(
        admin_client, "/home/admin", {"confirmed": "yes"}, action=f"/admin/people/{admin.id}/deactivate"
    )
    assert refused.status_code == 409 and signed_in(admin_client)


def test_another_districts_admin_gets_404(app, teacher, make_user, framework, outbox):
    elsewhere = District(slug="southfield", name="Southfield District", framework=framework)
    db.session.add(elsewhere)
    db.session.commit()
    stranger = sign_in(app, make_user("admin@southfield.example.org", roles=("admin",), in_district=elsewhere).email)
    for action in ("invite", "send-reset", "deactivate", "reactivate"):
        response = post_form(
            stranger, "/home/admin", {"confirmed": "yes"}, action=f"/admin/people/{teacher.id}/{action}"
        )
        assert response.status_code == 404
    for action in ("invitation", "password-reset", "deactivation", "reactivation"):
        api = stranger.post(f"/api/v1/admin/people/{teacher.id}/{action}", headers=api_headers(stranger))
        assert api.status_code == 404
    assert outbox == [] and db.session.get(User, teacher.id).active


# --- the API -----------------------------------------------------------------------------------


def test_the_admin_api_invites_deactivates_and_reactivates(app, teacher, newcomer, admin, outbox):
    open_session = sign_in(app, teacher.email)
    api = sign_in(app, admin.email)
    headers = api_headers(api)
    invited = api.post(f"/api/v1/admin/people/{newcomer.id}/invitation", headers=headers)
    assert invited.status_code == 200
    body = invited.get_json()
    assert body["has_password"] is False and body["invited_at"] is not None
    assert link_in(outbox[-1]).startswith("/invitation/")
    refused = api.post(f"/api/v1/admin/people/{teacher.id}/invitation", headers=headers)
    assert refused.status_code == 409 and "already has a password" in refused.get_json()["message"]
    reset = api.post(f"/api/v1/admin/people/{teacher.id}/password-reset", headers=headers)
    assert reset.status_code == 200 and outbox[-1].to == teacher.email
    gone = api.post(f"/api/v1/admin/people/{teacher.id}/deactivation", headers=headers)
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert not signed_in(open_session)
    assert api.post(f"/api/v1/admin/people/{teacher.id}/deactivation", headers=headers).status_code == 409
    back = api.post(f"/api/v1/admin/people/{teacher.id}/reactivation", headers=headers)
    assert back.status_code == 200 and back.get_json()["active"] is True
    assert api.post(f"/api/v1/admin/people/{teacher.id}/reactivation", headers=headers).status_code == 409
    assert api.post(f"/api/v1/admin/people/{admin.id}/deactivation", headers=headers).status_code == 409
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["account.invited", "account.reset_sent", "account.deactivated", "account.reactivated"]


def test_the_api_changes_your_own_password(app, teacher):
    phone = sign_in(app, teacher.email)
    api = sign_in(app, teacher.email)
    url = "/api/v1/me/password"
    wrong = api.post(url, json={"current_password": "nope", "new_password": NEW_PASSWORD}, headers=api_headers(api))
    assert wrong.status_code == 400 and wrong.get_json()["errors"] == {
        "current_password": ["The current password is not right."]
    }
    common = api.post(
        url, json={"current_password": USER_PASSWORD, "new_password": "Password1234"}, headers=api_headers(api)
    )
    assert common.status_code == 400 and "most common" in common.get_json()["errors"]["new_password"][0]
    assert api.post(url, json={}, headers=api_headers(api)).status_code == 422
    done = api.post(
        url, json={"current_password": USER_PASSWORD, "new_password": NEW_PASSWORD}, headers=api_headers(api)
    )
    assert done.status_code == 204
    assert signed_in(api) and not signed_in(phone)
    assert Browserless(app.test_client()).login(teacher.email, NEW_PASSWORD).status_code == 302


def test_the_new_routes_are_in_the_api_document(client, app):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("invitation", "password-reset", "deactivation", "reactivation"):
        assert f"/api/v1/admin/people/{{user_id}}/{path}" in paths
    assert "/api/v1/me/password" in paths


def test_changing_a_password_is_throttled_per_account(app, teacher):
    laptop = sign_in(app, teacher.email)
    wrong = {"current_password": "a guess at it", "new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    for _ in range(5):  # LOGIN_RATE_LIMIT: 5 a minute
        assert post_form(laptop, "/account/password", wrong).status_code == 400
    limited = post_form(laptop, "/account/password", wrong)
    assert limited.status_code == 429 and "Too many password changes tried for this account." in text_of(limited)
    guess = {"current_password": "a guess at it", "new_password": NEW_PASSWORD}
    api = laptop.post("/api/v1/me/password", json=guess, headers=api_headers(laptop))
    assert api.status_code == 429  # one counter for the page and the API
