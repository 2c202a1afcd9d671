"""A resubmission as the validator sees it, in the demo district: Marcus returns Dana's claim with
ratings; Dana edits her statement and the evidence item and resubmits; Marcus sees what changed and
his earlier ratings filled in, and approves. The review page puts the criteria beside the evidence on
wide screens and fits a phone."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import scroll_width
from tests.browser.test_validation_flow import BADGE, add_link, rate_all, sign_in

pytestmark = pytest.mark.browser


def upload_photo(page, base, title):
    picture = Image.new("RGB", (1600, 1000), (30, 90, 160))
    data = io.BytesIO()
    picture.save(data, format="JPEG")
    page.goto(base + "/educator/evidence/new-file")
    page.get_by_label("File").set_input_files({"name": "wall.jpg", "mimeType": "image/jpeg", "buffer": data.getvalue()})
    page.get_by_label("Title").fill(title)
    page.get_by_label("What it shows and what you learned").fill("The progress wall in my classroom.")
    page.get_by_label("4.1 How will you know where students are").check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def box(page, selector):
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not on the page"
    return found


def assert_side_by_side(page):
    evidence, criteria = box(page, ".review-evidence"), box(page, ".review-criteria")
    assert criteria["x"] >= evidence["x"] + evidence["width"], (evidence, criteria)
    assert criteria["y"] < evidence["y"] + evidence["height"]  # beside it, not below it
    assert criteria["width"] >= 350


def assert_fits(page, width):
    scroll = scroll_width(page)
    assert scroll <= width, f"the page is {scroll} px wide at a {width} px viewport"


def test_resubmission_shows_the_diff_and_earlier_ratings(live_server, page, demo):
    base = live_server
    sign_in(page, base, "teacher@demo.example.org")
    add_link(page, base, "Learning progression tracker", "https://example.org/tracker")
    item_url = page.url
    page.goto(base + "/educator/claims/new")
    value = page.locator('optgroup[label="Delivery and Operations"] option', has_text="Experienced").get_attribute(
        "value"
    )
    page.get_by_label("Badge").select_option(value)
    page.get_by_label("Why your evidence shows this level").fill("Every unit starts from the tracker weekly.")
    page.get_by_label("Learning progression tracker").check()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BADGE)
    claim_url = page.url
    claim_id = claim_url.rstrip("/").rsplit("/", 1)[-1]

    # Marcus returns it with his ratings.
    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim_id}")
    rate_all(page, "Novice (2)")
    page.get_by_label("Feedback for the educator").fill("Show the tracker used every day.")
    page.get_by_role("button", name="Return for more evidence").click()
    expect(page.locator(".flash")).to_contain_text("Return")

    # Dana edits the item and the statement, and resubmits.
    sign_in(page, base, "teacher@demo.example.org")
    page.goto(item_url + "/edit")
    page.get_by_label("What it shows and what you learned").fill("How I track each student, updated daily.")
    page.get_by_role("button", name="Save changes").click()
    upload_photo(page, base, "Progress wall photo")
    page.goto(claim_url)
    page.get_by_label("Why your evidence shows this level").fill("Every unit starts from the tracker daily.")
    page.get_by_label("Progress wall photo").check()
    page.get_by_role("button", name="Resubmit claim").click()
    expect(page.get_by_text("Awaiting review").first).to_be_visible()

    # Marcus sees what changed, with his ratings from revision 1 filled in.
    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim_id}")
    diff = page.locator(".revision-diff")
    expect(diff.get_by_role("heading", name="What changed since revision 1")).to_be_visible()
    expect(diff.locator(".diff-text del").first).to_contain_text("weekly")
    expect(diff.locator(".diff-text ins").first).to_contain_text("daily")
    expect(diff).to_contain_text("Changed: Learning progression tracker")
    expect(page.locator(".review-evidence")).to_contain_text("How I track each student, updated daily.")
    expect(diff).to_contain_text("Added: Progress wall photo")
    preview = page.get_by_role("img", name="Preview of Progress wall photo")
    preview.scroll_into_view_if_needed()
    expect(preview).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 1200", arg=preview.element_handle())
    fieldsets = page.locator("fieldset.indicator").all()
    assert fieldsets
    for fieldset in fieldsets:
        expect(fieldset.get_by_label("Novice (2)")).to_be_checked()

    assert_side_by_side(page)  # 1280 px, the default viewport
    page.set_viewport_size({"width": 1920, "height": 1080})
    assert_side_by_side(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page, 390)
    evidence, criteria = box(page, ".review-evidence"), box(page, ".review-criteria")
    assert criteria["y"] >= evidence["y"] + evidence["height"] - 1  # one column: below the evidence

    page.set_viewport_size({"width": 1280, "height": 720})
    rate_all(page, "Experienced (3)")
    page.get_by_label("Feedback for the educator").fill("Daily tracking shown. Well done.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("awarded")
