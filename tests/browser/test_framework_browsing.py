"""As a new user would: the demo teacher signs in and reads the nine domains and four levels."""

import pytest
from playwright.sync_api import expect

from tests.seed_facts import DOMAIN_NAMES as DOMAINS
from tests.seed_facts import LEVELS as SEED_LEVELS

pytestmark = pytest.mark.browser

LEVELS = [f"{name} ({value})" for value, name, _ in SEED_LEVELS]


def test_demo_teacher_signs_in_and_browses_the_nine_domains(live_server, page, demo):
    page.goto(live_server + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("teacher@demo.example.org")
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Dana Teacher")
    expect(page.get_by_text("Your professional role: Teacher")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Framework").click()
    page.get_by_role("link", name="Competencies for Competency Education").click()
    for level in LEVELS:
        expect(page.get_by_text(level, exact=True)).to_be_visible()
    domain_links = page.get_by_role("list").filter(has_text=DOMAINS[0]).get_by_role("link")
    expect(domain_links).to_have_text(DOMAINS)

    domain_links.first.click()
    for position, name in enumerate(DOMAINS, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{position}. {name}")
        expect(page.get_by_role("table")).to_contain_text("Key question")
        if position < len(DOMAINS):
            page.get_by_role("link", name=f"Next: {DOMAINS[position]}").click()
    expect(page.get_by_role("link", name="Next:")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
