"""As the people would: an admin invites a new teacher from the staff list, the teacher opens the link
in the mail, chooses a password and is signed in; then the admin deactivates another teacher, whose
open session (another browser) ends on its next click. At desktop width and on a 390 px phone.

Mail is kept by a sender object put in the app for the test (badges.mail's sender is an extension),
and the links it names use BADGES_PUBLIC_URL, here the live server's address.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from badges.extensions import db
from tests.browser.pages import scroll_width
from tests.conftest import USER_PASSWORD, Outbox

pytestmark = pytest.mark.browser
NEW_PASSWORD = "maple syrup on tuesday mornings"


def sign_in(page, base, email, password=USER_PASSWORD):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def people(app, make_user):
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None, name="Ada Admin")
    newcomer = make_user("nina@northfield.example.org", name="Nina Newcomer")
    newcomer.password_hash = None  # imported from the roster: no password yet
    leaving = make_user("terry@northfield.example.org", name="Terry Teacher")
    db.session.commit()
    return admin, newcomer, leaving


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_invited_teacher_signs_in_and_a_deactivated_ones_session_ends(app, chromium, live_server, people, width):
    app.config["BADGES_PUBLIC_URL"] = live_server
    app.extensions["badges_mail"] = outbox = Outbox()
    contexts = [chromium.new_context(viewport={"width": width, "height": 900}) for _ in range(3)]
    admin_page, newcomer_page, leaving_page = pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(10_000)
    try:
        sign_in(admin_page, live_server, "admin@northfield.example.org")
        expect(admin_page.get_by_role("heading", level=1)).to_have_text("Administration")
        staff = admin_page.get_by_role("table", name=re.compile("^Staff"))
        assert scroll_width(admin_page) <= width  # the staff list scrolls inside its box on a phone
        expect(staff.get_by_role("row", name=re.compile("Nina Newcomer"))).to_contain_text("Not invited yet.")
        admin_page.get_by_role("button", name="Invite Nina Newcomer").click()
        expect(admin_page.get_by_role("status")).to_contain_text("Sent an invitation to Nina Newcomer")
        expect(admin_page.get_by_role("button", name="Send invitation again: Nina Newcomer")).to_be_visible()

        (mail,) = outbox
        assert mail.to == "nina@northfield.example.org"
        link = re.search(r"http\S+/invitation/\S+", mail.body).group(0)
        assert link.startswith(live_server + "/invitation/")
        newcomer_page.goto(link)
        expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Choose your password")
        assert scroll_width(newcomer_page) <= width
        newcomer_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        newcomer_page.get_by_label("Repeat the new password").fill(NEW_PASSWORD + " typo")
        newcomer_page.get_by_role("button", name="Set my password and sign in").click()
        expect(newcomer_page.get_by_role("alert")).to_contain_text("The password was not set")
        expect(newcomer_page.get_by_text("The two passwords are not the same.")).to_be_visible()
        newcomer_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        newcomer_page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
        newcomer_page.get_by_role("button", name="Set my password and sign in").click()
        expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("Hello, Nina Newcomer")
        expect(newcomer_page.get_by_role("status")).to_contain_text("Welcome, Nina Newcomer: you are signed in.")
        newcomer_page.goto(link)  # the link worked once
        expect(newcomer_page.get_by_role("heading", level=1)).to_have_text("This link has been used")

        sign_in(leaving_page, live_server, "terry@northfield.example.org")
        expect(leaving_page.get_by_role("heading", level=1)).to_have_text("Hello, Terry Teacher")

        admin_page.reload()
        admin_page.get_by_role("button", name="Deactivate… Terry Teacher").click()
        expect(admin_page.get_by_role("heading", level=1)).to_have_text("Deactivate Terry Teacher?")
        expect(admin_page.get_by_text("Their badges stay valid; their sessions end now.")).to_be_visible()
        assert scroll_width(admin_page) <= width
        admin_page.get_by_role("button", name="Deactivate account").click()
        expect(admin_page.get_by_role("status")).to_contain_text("Deactivated Terry Teacher")
        expect(staff.get_by_role("row", name=re.compile("Terry Teacher"))).to_contain_text("Deactivated.")

        leaving_page.get_by_role("link", name="Goals").first.click()  # the next click of the open session
        expect(leaving_page.get_by_role("heading", level=1)).to_have_text("Sign in")
        sign_in(leaving_page, live_server, "terry@northfield.example.org")
        expect(leaving_page.get_by_text("Email or password is not right.")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
