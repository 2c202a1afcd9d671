"""As an admin of the demo district would: search the staff list, open a person, give them the
validator role, and import a small roster through its preview; on a desktop and on a phone, where
no page may be wider than the screen."""

import pytest
from playwright.sync_api import expect

from badges.people.demo import DEMO_PASSWORD
from tests.browser.pages import scroll_width

pytestmark = pytest.mark.browser

ROSTER = (
    "email,name,school,professional_role,system_roles\n"
    "noor.new@demo.example.org,Noor Newcomer,lincoln-elementary,teacher,educator\n"
)


def fits(page, width: int) -> None:
    scroll = scroll_width(page)
    assert scroll <= width, f"{page.url} is {scroll} px wide on a {width} px screen"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_admin_finds_a_person_gives_a_role_and_imports_a_roster(chromium, live_server, demo, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server
    try:
        page.goto(base + "/login")
        page.get_by_label("Email").fill("admin@demo.example.org")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("main").get_by_role("link", name="Staff", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
        fits(page, width)

        page.get_by_label("Name or email contains").fill("dana")
        # Suggestions while typing (the search works without them): the email finds one person.
        expect(page.locator('datalist option[value="teacher@demo.example.org"]')).to_have_count(1)
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#people-count")).to_contain_text("match")
        fits(page, width)
        page.get_by_role("link", name="Dana Teacher").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Dana Teacher")
        expect(page.locator("#person-state")).to_have_text("Active")
        fits(page, width)

        page.get_by_role("link", name="Edit details and roles").click()
        page.get_by_label("Validator", exact=True).check()
        fits(page, width)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash")).to_contain_text("gave Validator")
        expect(page.locator(".person-facts")).to_contain_text("Educator, Validator")

        page.goto(base + "/admin/people")
        page.get_by_role("link", name="Import a roster (CSV)").click()
        fits(page, width)
        page.get_by_label("Roster file (CSV)").set_input_files(
            {"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}
        )
        page.get_by_role("button", name="Check the file").click()
        expect(page.locator("#roster-summary")).to_have_text("1 to add, 0 to change, 0 already up to date.")
        expect(page.locator("#roster-create")).to_contain_text("Noor Newcomer")
        fits(page, width)
        page.get_by_role("button", name="Import 1 person").click()
        expect(page.locator(".flash")).to_contain_text("1 added")
        page.get_by_label("Name or email contains").fill("noor.new")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name="Noor Newcomer")).to_be_visible()
        fits(page, width)

        page.goto(base + "/admin/conflicts")
        fits(page, width)
        page.goto(base + "/admin/audit")
        expect(page.get_by_text("account.roles_changed")).to_be_visible()
        fits(page, width)
    finally:
        context.close()
