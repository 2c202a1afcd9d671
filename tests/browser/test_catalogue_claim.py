"""As a teacher would: open the badge catalogue, pick a badge, claim it attaching a new file in the claim
form, confirm nothing else is needed, and see the claim awaiting review; at desktop width and on a 390 px
phone with no sideways scroll. And the self-assessment warns before leaving with a changed rating unsaved."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import scroll_width
from tests.conftest import USER_PASSWORD
from tests.test_uploads import minimal_pdf

pytestmark = pytest.mark.browser

BADGE = "Delivery and Operations: Experienced, Teacher"


def named(action: str) -> re.Pattern:
    """A link's accessible name: the visible action, then the badge (in visually hidden text)."""
    return re.compile(rf"^{action}\W+{re.escape(BADGE)}$")


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    app.config["EVIDENCE_STORAGE_DIR"] = str(tmp_path / "evidence")
    return tmp_path / "evidence"


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def fits(page, width: int) -> None:
    scroll = scroll_width(page)
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} px wide in a {width} px viewport"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_teacher_claims_a_badge_from_the_catalogue_with_a_new_file(live_server, page, teacher, width, evidence_dir):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, teacher.email)
    page.get_by_role("link", name="Browse the badges for your role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Badge catalogue")
    fits(page, width)
    card = (
        page.locator("li.catalogue-badge")
        .filter(has_text="Experienced (3)")
        .filter(has=page.get_by_role("link", name=named("Claim this")))
    )
    expect(card).to_have_count(1)
    card.locator("summary").click()  # <details>: the criteria open in place
    expect(card.locator(".criteria")).to_be_visible()
    card.get_by_role("link", name=named("Claim this")).click()

    expect(page.get_by_role("heading", level=2, name=BADGE)).to_be_visible()  # the badge stays in view
    expect(page.get_by_label("Badge", exact=True).locator("option:checked")).to_have_text(
        "Delivery and Operations: Experienced (3)"
    )
    fits(page, width)
    page.get_by_label("Why your evidence shows this level").fill("My unit plan paces each student by evidence.")
    page.get_by_label("File").set_input_files(
        files=[{"name": "unit-plan.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    page.get_by_label("Title of the new evidence").fill("Unit plan")
    page.get_by_label("What it shows and what you learned").fill("How the unit moves at each student's pace.")
    page.get_by_role("button", name="Submit claim").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    expect(page.get_by_role("status")).to_contain_text("with your new evidence “Unit plan”")
    expect(page.get_by_text("Awaiting review")).to_have_count(2)  # the status and the revision
    expect(page.get_by_role("link", name="Unit plan")).to_be_visible()
    fits(page, width)
    assert len(list(evidence_dir.iterdir())) == 1

    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Badge catalogue").click()
    card = page.locator("li.catalogue-badge").filter(has=page.get_by_role("link", name=named("See the claim")))
    expect(card).to_contain_text("Claimed, awaiting review")

    # Withdrawing asks first, and the typed reason goes through the question.
    card.get_by_role("link", name=named("See the claim")).click()
    page.get_by_label("Why (optional, kept in the record)").fill("Claimed too early.")
    page.get_by_role("button", name="Withdraw claim…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw this claim?")
    fits(page, width)
    page.get_by_role("button", name="Withdraw claim").click()
    expect(page.get_by_role("status")).to_contain_text("is withdrawn")


def test_leaving_the_self_assessment_with_a_changed_rating_warns(live_server, page, teacher):
    sign_in(page, live_server, teacher.email)
    page.goto(live_server + "/educator/assessment/domains/engagement-communication")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    # Nothing changed: leaving asks nothing.
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My goals")
    assert dialogs == []
    page.go_back()
    page.locator("fieldset.indicator").first.get_by_label("Novice (2)").check()
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Goals").click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Engagement")  # still here, the rating unsaved
    # Saving clears the warning.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved your ratings")
    page.get_by_role("navigation", name="My competencies").get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My goals")
    assert dialogs == ["beforeunload"]
