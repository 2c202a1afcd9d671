"""As a new user would: the demo teacher rates themself across the nine domains, sets two goals,
uploads a PDF and adds a link as evidence, and prints the conference summary."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.seed_facts import DOMAIN_NAMES

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def sign_in(page, base):
    page.goto(base + "/login")
    page.get_by_label("Email").fill("teacher@demo.example.org")
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Dana Teacher")


def rate_every_domain(page):
    page.get_by_role("link", name="Rate yourself").click()
    page.get_by_role("button", name="Start a new self-assessment").click()
    for number, name in enumerate(DOMAIN_NAMES, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{number}. {name}")
        questions = page.locator("fieldset.indicator")
        for i in range(questions.count()):
            question = questions.nth(i)
            level = "Novice (2)" if number % 3 else "Experienced (3)"
            question.get_by_label(level).check()
            if i == 0:
                question.get_by_role("textbox").fill(f"What I have done in {name.lower()}.")
        page.get_by_role("button", name="Save and").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment")
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit your self-assessment?")
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.locator("svg.level-chart")).to_have_count(9)


def set_goal(page, domain, level, actions):
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Goals").click()
    page.get_by_role("link", name="New goal").click()
    page.get_by_label("Domain").select_option(label=domain)
    page.get_by_label("Target level").select_option(label=level)
    page.get_by_label("Target date").fill((date.today() + timedelta(days=120)).isoformat())
    page.get_by_label("What I will do").fill(actions)
    page.get_by_label("What support I need").fill("Time with our instructional coach.")
    page.get_by_role("button", name="Set goal").click()
    expect(page.get_by_text(domain).first).to_be_visible()


def add_evidence(page):
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Evidence").click()
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("File").set_input_files(
        {"name": "learning-progressions.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Title").fill("Learning progression chart")
    page.get_by_label("What it shows and what you learned").fill("How I track where each student is.")
    page.get_by_label("4.1 How will you know where students are").check()
    page.get_by_label("Include in my conference summary").check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning progression chart")

    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Evidence").click()
    page.get_by_role("link", name="Add a link").click()
    page.get_by_label("Web address").fill("https://example.org/our-flex-schedule")
    page.get_by_label("Title").fill("Flex block schedule")
    page.get_by_label("What it shows and what you learned").fill("Our schedule lets students stay on pace.")
    page.get_by_label("4.3 How will day, week").check()
    page.get_by_label("Include in my conference summary").check()
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flex block schedule")


def test_teacher_assesses_sets_goals_adds_evidence_and_prints_the_summary(live_server, page, demo, tmp_path):
    sign_in(page, live_server)
    rate_every_domain(page)
    set_goal(page, "Delivery and Operations", "Experienced (3)", "Use learning progressions in every unit.")
    set_goal(page, "Information Technology", "Expert (4)", "Set up our progress dashboard.")
    add_evidence(page)

    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Conference summary").click()
    summary = page.locator("article.summary")
    expect(summary.get_by_role("heading", level=1)).to_have_text("Conference summary: Dana Teacher")
    expect(summary.locator("svg.level-chart")).to_have_count(9)
    expect(summary.get_by_role("cell", name="Use learning progressions in every unit.")).to_be_visible()
    expect(summary.get_by_role("cell", name="Set up our progress dashboard.")).to_be_visible()
    expect(summary.get_by_role("heading", name="Learning progression chart")).to_be_visible()
    expect(summary.get_by_role("heading", name="Flex block schedule")).to_be_visible()
    expect(summary.get_by_text("No validator feedback yet.")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="My competencies")).to_be_hidden()
    pdf = page.pdf(path=str(tmp_path / "summary.pdf"))
    assert pdf.startswith(b"%PDF")
