"""As a new user would: the demo district leader sets a target on the dashboard's figures, forms a
training cohort for one domain with a suggested coach, and a member of the cohort sees it on their
home page; at desktop width and on a 390 px phone.

History is made through the domain's own functions before the browser starts: two rounds of
self-assessment for every teacher (the first teacher shares theirs by name and rates Novice), and
an Expert badge in Delivery and Operations for a Lincoln teacher, awarded by the demo validator.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from badges.catalogue.badge_classes import set_policy
from badges.educator import evidence
from badges.extensions import db
from badges.models import User
from badges.validation import claims, reviews
from tests.browser.pages import scroll_width
from tests.browser.test_readiness_dashboard import history  # noqa: F401  (the fixture)
from tests.validation_setup import badge, full_ratings, indicator_id

pytestmark = pytest.mark.browser
PASSWORD = "demo-password-2026"


@pytest.fixture
def coach(history, demo, framework):  # noqa: F811
    """Maria Gonzalez (Lincoln) holds the Expert badge in Delivery and Operations."""
    set_policy(framework, expert_approvals_required=1)
    maria = db.session.scalar(select(User).where(User.name == "Maria Gonzalez"))
    validator = db.session.scalar(select(User).where(User.email == "validator@demo.example.org"))
    item = evidence.add_link(
        maria, "Scheduling redesign", "How our team ran flexible pacing.", "https://example.org/pacing",
        [indicator_id(framework, "4.1")],
    )  # fmt: skip
    claim = claims.create_claim(maria, badge("Delivery and Operations: Expert, Teacher").id, "It shows it.", [item.id])
    reviews.decide(validator, claim.id, "approve", "Exemplary.", full_ratings(claim, 4))
    db.session.commit()
    return maria


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_leader_sets_a_target_and_forms_a_cohort_a_member_sees(chromium, live_server, coach, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "leader@demo.example.org")
        page.get_by_role("link", name="Open the readiness dashboard").click()
        page.get_by_role("link", name="Targets", exact=True).click()
        page.get_by_label("Domain").select_option(label="Delivery and Operations")
        page.get_by_label("Professional role").select_option(label="Teacher")
        page.get_by_label("Share of staff (percent)").fill("75")
        page.get_by_label("Due date").fill("2027-06-30")
        page.get_by_role("button", name="Set target").click()
        targets = page.locator("table").first
        expect(targets).to_contain_text("Delivery and Operations")
        expect(targets).to_contain_text("75%")
        assert scroll_width(page) <= width

        page.goto(live_server + "/readiness")
        expect(page.get_by_role("table", name="Progress toward the district's targets")).to_contain_text(
            "Delivery and Operations"
        )
        page.get_by_role("link", name="Next steps: who is ready for support, and who could coach").click()
        page.get_by_label("Domain").select_option(label="Delivery and Operations")
        page.get_by_role("button", name="Show").click()
        page.get_by_label("Dana Teacher").check()
        page.get_by_label("Maria Gonzalez").check()  # the suggested coach, same school first
        page.get_by_label("Cohort name").fill("Flexible pacing circle")
        page.get_by_label("Start date").fill("2027-01-11")
        page.get_by_role("button", name="Form cohort").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Flexible pacing circle")
        expect(page.locator("main")).to_contain_text("Maria Gonzalez")
        assert scroll_width(page) <= width
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, live_server, "teacher@demo.example.org")
        page.goto(live_server + "/home/educator")
        cohorts = page.get_by_role("table", name="Training cohorts your leaders formed with you in them")
        expect(cohorts).to_contain_text("Flexible pacing circle")
        expect(cohorts).to_contain_text("Maria Gonzalez")
        assert scroll_width(page) <= width
    finally:
        context.close()
