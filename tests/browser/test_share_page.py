"""As people would: after an award, the holder opens the share page on a phone (390 px) and at 1280 px:
it fits the screen, its LinkedIn link and link-preview tags are right, the copy-link button copies, and
the verify page it links to shows "Valid" with its icon."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from badges.educator import evidence
from badges.extensions import db
from badges.models import User
from badges.people.demo import DEMO_PASSWORD
from badges.validation import claims
from tests.browser.pages import scroll_width
from tests.validation_setup import approve, badge, indicator_id

pytestmark = pytest.mark.browser

BADGE = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def awarded(demo):
    teacher = db.session.scalar(select(User).where(User.email == "teacher@demo.example.org"))
    validator = db.session.scalar(select(User).where(User.email == "validator@demo.example.org"))
    item = evidence.add_link(
        teacher,
        "Tracker",
        "How I track each student.",
        "https://example.org/t",
        [indicator_id(demo.district.framework, "4.1")],
    )
    claim = claims.create_claim(teacher, badge(BADGE).id, "Every unit starts from the tracker.", [item.id])
    return approve(validator, claim).award


@pytest.mark.parametrize("width", [390, 1280])
def test_share_page_fits_links_and_copies(public_server, chromium, demo, awarded, width):
    base = public_server
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{base}/credentials/{awarded.credential_uuid}")
        expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
        measured = scroll_width(page)
        assert measured <= width, f"the share page is {measured} px wide at {width} px"
        share_url = f"{base}/credentials/{awarded.credential_uuid}"
        assert page.locator('meta[property="og:url"]').get_attribute("content") == share_url
        image = page.locator('meta[property="og:image"]').get_attribute("content")
        assert image == f"{base}/badge-classes/{awarded.badge_class_id}/image.png"
        assert page.locator('meta[name="twitter:card"]').get_attribute("content") == "summary"

        linkedin = urlsplit(page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href"))
        query = {key: values[0] for key, values in parse_qs(linkedin.query).items()}
        assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/profile/add")
        assert query["startTask"] == "CERTIFICATION_NAME" and query["name"] == BADGE
        assert query["certUrl"] == share_url and query["certId"] == awarded.credential_uuid

        page.get_by_role("button", name="Copy link").click()
        expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == share_url

        page.get_by_role("link", name="Verify it yourself").click()
        expect(page.locator("#verdict")).to_have_text("Valid")
        expect(page.locator('.verdict svg[data-icon="valid"]')).to_be_visible()
        expect(page.locator(".verdict-words")).to_contain_text("This badge is valid: ")
        assert scroll_width(page) <= width
    finally:
        context.close()


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_holder_lists_a_badge_on_a_public_profile(public_server, chromium, demo, awarded, width):
    base = public_server
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, base, "teacher@demo.example.org")
        page.goto(f"{base}/educator/badges/{awarded.id}")
        assert scroll_width(page) <= width
        page.get_by_label("List this badge on my public profile").check()
        page.get_by_role("button", name="Save listing").click()
        expect(page.locator(".flash")).to_contain_text("now listed on your public profile")
        page.get_by_label("Turn on my public profile").check()
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator(".flash")).to_contain_text("Your public profile is on")
        page.get_by_role("link", name="Open my public profile").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(awarded.user.name)
        assert scroll_width(page) <= width
        page.get_by_role("link", name=BADGE).click()
        expect(page.locator("#status-heading")).to_have_text("Status: Valid")
    finally:
        context.close()
