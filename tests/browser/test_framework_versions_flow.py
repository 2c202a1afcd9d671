"""The issue's flow as new users would click it, in the demo district: the admin makes the district's own
version of the framework, rewords the Experienced descriptor and adds the Advance-Upon-Mastery Decision
Maker role, and publishes version 2. The demo teacher's Experienced badge, awarded under version 1.0, still
shows version 1.0's wording and says so; their next self-assessment rates against version 2's wording.
At desktop width and on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from badges.educator import evidence
from badges.extensions import db
from badges.models import User
from badges.validation import claims
from tests.browser.pages import scroll_width, sign_in
from tests.framework_setup import NEW_ROLE_NAME
from tests.validation_setup import approve, badge, indicator_id

pytestmark = pytest.mark.browser

EXPERIENCED_V1 = "it may not be perfect but I’m learning from my mistakes"
EXPERIENCED_V2 = "I have implemented it across a whole course and I adjust it from what my students show me."
BADGE = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def experienced_teacher(demo):
    """The demo teacher holds the Experienced badge in Delivery and Operations, awarded under version 1.0."""
    teacher = db.session.scalar(select(User).where(User.email == "teacher@demo.example.org"))
    validator = db.session.scalar(select(User).where(User.email == "validator@demo.example.org"))
    item = evidence.add_link(
        teacher,
        "Flexible pacing",
        "Our pacing board and regrouping notes.",
        "https://example.org/pacing",
        [indicator_id(demo.district.framework, "4.1")],
    )
    approve(validator, claims.create_claim(teacher, badge(BADGE).id, "Two terms of flexible pacing.", [item.id]))
    return teacher


def fits(page, width):
    measured = scroll_width(page)
    assert measured <= width, f"{page.url} is {measured} px wide on a {width} px screen"


def publish_version_2(page, base, width):
    page.goto(base + "/home/admin")
    page.get_by_role("link", name="Frameworks").first.click()
    page.get_by_role("link", name="Competencies for Competency Education").first.click()
    page.get_by_role("button", name="Make our own version").click()
    page.wait_for_url("**/frameworks/drafts/*")
    draft_url = page.url
    page.get_by_role("link", name="Level 3: Experienced").click()
    page.get_by_label("Descriptor").fill(EXPERIENCED_V2)
    fits(page, width)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(draft_url)
    page.get_by_role("link", name="Add a role").click()
    page.get_by_label("Name of the role").fill(NEW_ROLE_NAME)
    page.get_by_label("Description").fill("Decides when a learner has shown mastery and advances.")
    for box in page.locator("fieldset.role-questions fieldset.indicator").first.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Add the role").click()
    page.wait_for_url(draft_url)
    expect(page.get_by_text("Level 3 (Experienced): descriptor reworded.")).to_be_visible()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_role("heading", name="Publish version 2?")).to_be_visible()
    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_url("**/frameworks/*/2")
    changed = page.get_by_role("region", name="What changed")
    expect(changed).to_contain_text(f"Role added: {NEW_ROLE_NAME}.")
    expect(page.get_by_text("(in use in your district)")).to_be_visible()
    fits(page, width)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_version_2_is_published_the_old_badge_keeps_its_words_the_next_assessment_uses_the_new(
    live_server, page, experienced_teacher, width
):
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "admin")
    publish_version_2(page, base, width)

    sign_in(page, base, "teacher")
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Badges").click()
    held = page.locator("ul.cards li").filter(has_text=BADGE).first
    held.get_by_role("link", name=BADGE).click()
    made_under = page.locator(".made-under")
    expect(made_under).to_contain_text("version 1.0")
    expect(made_under).to_contain_text("now uses Competencies for Competency Education, version 2")
    fits(page, width)
    page.go_back()
    page.locator("ul.cards li").filter(has_text=BADGE).first.get_by_role("link", name="Share and download").click()
    criteria = page.locator(".criteria")
    expect(criteria).to_contain_text(EXPERIENCED_V1)
    expect(criteria).not_to_contain_text(EXPERIENCED_V2)
    fits(page, width)

    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Self-assessment").click()
    page.get_by_role("button", name="Start a new self-assessment").click()
    # Starting opens the first domain: its key questions are rated against version 2's level descriptors.
    expect(page.get_by_role("heading", name="1. Engagement and Communication")).to_be_visible()
    expect(page.get_by_text(EXPERIENCED_V2).first).to_be_visible()
    expect(page.get_by_text(re.compile(re.escape(EXPERIENCED_V1)))).to_have_count(0)
    fits(page, width)
