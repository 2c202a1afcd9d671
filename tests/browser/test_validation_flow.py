"""As new users would, in the demo district: the teacher claims a badge with evidence; a validator
whose scope is another school cannot see it; the validator in scope returns it with feedback; the
teacher resubmits; the validator approves; the teacher sees the award."""

import pytest
from playwright.sync_api import expect

from badges.people.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

BADGE = "Delivery and Operations: Experienced, Teacher"


def sign_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def add_link(page, base, title, url):
    page.goto(base + "/educator/evidence/new-link")
    page.get_by_label("Web address").fill(url)
    page.get_by_label("Title").fill(title)
    page.get_by_label("What it shows and what you learned").fill("How I track where each student is.")
    page.get_by_label("4.1 How will you know where students are").check()
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def rate_all(page, level_label):
    for fieldset in page.locator("fieldset.indicator").all():
        fieldset.get_by_label(level_label).check()


def test_claim_is_returned_resubmitted_approved_and_awarded(live_server, page, demo):
    base = live_server
    sign_in(page, base, "teacher@demo.example.org")
    add_link(page, base, "Learning progression tracker", "https://example.org/tracker")
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Badges").click()
    page.get_by_role("link", name="Claim a badge").click()
    value = page.locator('optgroup[label="Delivery and Operations"] option', has_text="Experienced").get_attribute(
        "value"
    )
    page.get_by_label("Badge").select_option(value)
    page.get_by_label("Why your evidence shows this level").fill("Every unit now starts from the tracker.")
    page.get_by_label("Learning progression tracker").check()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BADGE)
    expect(page.get_by_text("Awaiting review").first).to_be_visible()
    claim_url = page.url
    claim_id = claim_url.rstrip("/").rsplit("/", 1)[-1]

    # Priya validates Roosevelt High only: the Lincoln teacher's claim is not hers to see.
    sign_in(page, base, "validator2@demo.example.org")
    page.goto(base + "/validator/claims/")
    expect(page.get_by_text("Dana Teacher")).to_have_count(0)
    assert page.goto(f"{base}/validator/claims/{claim_id}").status == 404

    # Marcus validates Lincoln Elementary: he returns it for more evidence.
    sign_in(page, base, "validator@demo.example.org")
    page.goto(base + "/validator/claims/")
    page.get_by_role("row", name="Dana Teacher").get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BADGE)
    expect(page.get_by_role("link", name="https://example.org/tracker")).to_be_visible()
    rate_all(page, "Novice (2)")
    page.get_by_label("Feedback for the educator").fill("Show how students who fall behind get support (4.2).")
    page.get_by_role("button", name="Return for more evidence").click()
    expect(page.locator(".flash")).to_contain_text("Return")

    # The teacher sees the news and the feedback, adds evidence and resubmits.
    sign_in(page, base, "teacher@demo.example.org")
    expect(page.get_by_text("returned for more evidence").first).to_be_visible()
    add_link(page, base, "Intervention block schedule", "https://example.org/intervention")
    page.goto(claim_url)
    expect(page.get_by_text("Show how students who fall behind get support (4.2).")).to_be_visible()
    page.get_by_label("Intervention block schedule").check()
    page.get_by_role("button", name="Resubmit claim").click()
    expect(page.get_by_text("Awaiting review").first).to_be_visible()

    # Marcus approves revision 2.
    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim_id}")
    expect(page.get_by_role("link", name="https://example.org/intervention")).to_be_visible()
    rate_all(page, "Experienced (3)")
    page.get_by_label("Feedback for the educator").fill("Clear progression and support. Well done.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("awarded")

    # The teacher sees the award.
    sign_in(page, base, "teacher@demo.example.org")
    expect(page.get_by_text("approved").first).to_be_visible()
    page.goto(base + "/educator/claims/")
    expect(page.locator("main")).to_contain_text(BADGE)
    expect(page.get_by_text("Approved").first).to_be_visible()
