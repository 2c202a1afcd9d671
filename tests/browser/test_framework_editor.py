"""As a new admin would: from the admin menu to the district's framework, "Make our own version", reword the
Expert descriptor, add the Advance-Upon-Mastery Decision Maker role with domain 1's key questions (ticked in
one fieldset per domain), see the changes, publish version 2 after the confirmation that lists them, and
read "What changed" on the new version's page. At desktop width and on a 390 px phone, with every editor
page checked for width and by axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import scroll_width, sign_in
from tests.browser.test_accessibility import FAILING_IMPACTS, RUN_AXE
from tests.framework_setup import EXPERT_V2, NEW_ROLE_NAME

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def csp_free_page(chromium):
    """A page axe-core can be injected into (the CSP is bypassed for the test's own script only)."""
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def check(page, width, problems):
    measured = scroll_width(page)
    if measured > width:
        problems.append(f"{page.url} is {measured} px wide on a {width} px screen")
    if AXE.exists():
        page.add_script_tag(path=str(AXE))
        for violation in page.evaluate(RUN_AXE):
            if violation["impact"] in FAILING_IMPACTS:
                problems.append(f"{page.url} at {width}px: {violation['id']} on {', '.join(violation['targets'])}")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_admin_adapts_the_framework_and_publishes_version_2(live_server, csp_free_page, demo, width):
    page = csp_free_page
    problems: list[str] = []
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "admin")
    page.goto(live_server + "/home/admin")
    page.get_by_role("link", name="Frameworks").first.click()
    page.get_by_role("link", name="Competencies for Competency Education").first.click()
    check(page, width, problems)
    page.get_by_role("button", name="Make our own version").click()
    page.wait_for_url("**/frameworks/drafts/*")
    draft_url = page.url
    check(page, width, problems)

    page.get_by_role("link", name="Level 4: Expert").click()
    check(page, width, problems)
    page.get_by_label("Descriptor").fill(EXPERT_V2)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(draft_url)

    page.get_by_role("link", name="Add a role").click()
    page.get_by_label("Name of the role").fill(NEW_ROLE_NAME)
    page.get_by_label("Description").fill("Decides when a learner has shown mastery and advances.")
    first_domain = page.locator("fieldset.role-questions fieldset.indicator").first
    for box in first_domain.get_by_role("checkbox").all():
        box.check()
    check(page, width, problems)
    page.get_by_role("button", name="Add the role").click()
    page.wait_for_url(draft_url)

    page.get_by_role("link", name="Delivery and Operations").first.click()
    check(page, width, problems)
    page.locator(".item-actions a").first.click()
    check(page, width, problems)
    page.goto(draft_url)
    page.get_by_role("link", name="Edit the title, description and version").click()
    check(page, width, problems)
    page.goto(draft_url)

    assert page.get_by_text(f"Role added: {NEW_ROLE_NAME}.").is_visible()
    assert page.get_by_text("Nothing stops this draft from being published.").is_visible()
    page.get_by_role("button", name="Publish version 2").click()
    assert page.get_by_role("heading", name="Publish version 2?").is_visible()
    assert page.get_by_text(f"Role added: {NEW_ROLE_NAME}.").is_visible()
    check(page, width, problems)
    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_url("**/frameworks/*/2")
    assert page.get_by_role("heading", name="What changed").is_visible()
    assert page.get_by_text("(in use in your district)").is_visible()
    check(page, width, problems)
    assert not problems, "\n".join(problems)
