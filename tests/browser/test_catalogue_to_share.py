"""Issue 11's main educator flow end to end, as people click it, in the demo district: Dana finds a badge in
the catalogue and claims it, attaching a new file in the claim form; Marcus approves it; Dana opens the badge's
share page, whose LinkedIn link and link-preview tags name the badge, the district and the page itself."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_validation_flow import BADGE, rate_all, sign_in
from tests.test_uploads import minimal_pdf

pytestmark = pytest.mark.browser


def named(action: str) -> re.Pattern:
    return re.compile(rf"^{action}\W+{re.escape(BADGE)}$")


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    app.config["EVIDENCE_STORAGE_DIR"] = str(tmp_path / "evidence")


def test_a_badge_found_in_the_catalogue_is_claimed_awarded_and_shared(public_server, page, demo):
    base = public_server
    sign_in(page, base, "teacher@demo.example.org")
    page.goto(base + "/educator/badges/catalogue")
    card = page.locator("li.catalogue-badge").filter(has_text=BADGE.split(",")[0]).filter(has_text="Experienced (3)")
    card.get_by_role("link", name=named("Claim this")).click()
    expect(page.get_by_role("heading", level=2, name=BADGE)).to_be_visible()
    page.get_by_label("Why your evidence shows this level").fill("My unit plan paces each student by evidence.")
    page.get_by_label("File").set_input_files(
        files=[{"name": "unit-plan.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    page.get_by_label("Title of the new evidence").fill("Unit plan")
    page.get_by_label("What it shows and what you learned").fill("How the unit moves at each student's pace.")
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("status")).to_contain_text("with your new evidence “Unit plan”")
    claim_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim_id}")
    expect(page.locator(".review-evidence")).to_contain_text("Unit plan")
    rate_all(page, "Experienced (3)")
    page.get_by_label("Feedback for the educator").fill("The plan shows pacing by evidence.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("awarded")

    sign_in(page, base, "teacher@demo.example.org")
    page.goto(base + "/educator/badges/catalogue")
    held = page.locator("li.catalogue-badge").filter(has_text=BADGE.split(",")[0]).filter(has_text="Experienced (3)")
    held.get_by_role("link", name=named("Share and download")).click()
    page.get_by_role("link", name="Open the public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    share_url = page.url
    assert share_url.startswith(base + "/credentials/")
    assert page.locator('meta[property="og:url"]').get_attribute("content") == share_url
    assert page.locator('meta[property="og:title"]').get_attribute("content").startswith(BADGE)
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith(base + "/badge-classes/") and image.endswith("/image.png")
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == "summary"
    linkedin = urlsplit(page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href"))
    query = {key: values[0] for key, values in parse_qs(linkedin.query).items()}
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/profile/add")
    assert query["startTask"] == "CERTIFICATION_NAME" and query["name"] == BADGE
    assert query["organizationName"] == "Demo Unified School District"
    assert query["certUrl"] == share_url and query["certId"] == share_url.rsplit("/", 1)[-1]
    assert query["issueYear"].isdigit() and 1 <= int(query["issueMonth"]) <= 12
